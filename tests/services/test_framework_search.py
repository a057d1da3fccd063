"""Text search over the framework, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine

from mobilise.services.framework_search import search


def test_search_is_case_insensitive_puts_name_matches_first_and_pages_both_ways(
    engine: Engine,
) -> None:
    upper = search(engine, "  ACCESSIBILITY ", limit=500)
    lower = search(engine, "accessibility", limit=500)

    assert upper.query == "ACCESSIBILITY"
    assert [h.key for h in upper.hits] == [h.key for h in lower.hits]
    misses = [h.position.name_miss for h in upper.hits]
    assert misses == sorted(misses)
    assert misses[0] == 0
    assert misses[-1] == 1
    by_offset = search(engine, "accessibility", limit=5, offset=5).hits
    by_position = search(engine, "accessibility", limit=5, after=upper.hits[4].position).hits
    assert by_offset == by_position == upper.hits[5:10]


def test_search_of_nothing_finds_nothing(engine: Engine) -> None:
    assert search(engine, "   ").total == 0
    assert search(engine, "%").total == 0
