"""Search across guidance, the register and learning: the relevance set in
tests/data/site_search_relevance.csv (each query's expected item within its stated rank, over the
shipped guidance, the shipped register and the demo catalogue), what is public, paging, refusals."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from mobilise.core.problems import InvalidInput
from mobilise.services.guidance import seed_guidance
from mobilise.services.learning import ensure_demo_catalogue
from mobilise.services.register_transfer import import_register
from mobilise.services.site_search import search_site
from mobilise.store.database import transaction
from mobilise.store.models import AIProject

RELEVANCE = Path(__file__).parents[1] / "data" / "site_search_relevance.csv"


@pytest.fixture
def library(sqlite_engine: Engine) -> Engine:
    import_register(sqlite_engine)
    ensure_demo_catalogue(sqlite_engine, seed=7)
    seed_guidance(sqlite_engine)
    return sqlite_engine


def relevance_set() -> list[dict[str, str]]:
    with RELEVANCE.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_every_query_of_the_relevance_set_finds_its_item_within_its_rank(library: Engine) -> None:
    misses = []
    for row in relevance_set():
        within = int(row["within"])
        found = search_site(library, row["query"], page_size=within).results
        if (row["kind"], row["key"]) not in {(r.kind, r.key) for r in found}:
            misses.append(row["query"])
    assert misses == []


def test_kinds_are_ranked_together_and_can_be_narrowed(library: Engine) -> None:
    together = search_site(library, "procurement guidelines", page_size=50)
    assert {r.kind for r in together.results} == {"guidance", "project", "learning"}
    assert together.total == sum(together.counts.values())
    scores = [r.score for r in together.results]
    assert scores == sorted(scores, reverse=True)
    projects = search_site(library, "procurement guidelines", kinds=("project",))
    assert {r.kind for r in projects.results} == {"project"}
    assert projects.total == together.counts["project"]
    assert projects.counts == together.counts


def test_replaced_guidance_ranks_below_what_replaced_it_and_is_marked(library: Engine) -> None:
    # Found by its own name, but on a shared subject what replaced it comes first.
    by_name = search_site(library, "generative AI framework", kinds=("guidance",)).results
    assert not next(r for r in by_name if r.key == "generative-ai-framework-for-hmg").current
    found = search_site(library, "large language models safety", kinds=("guidance",)).results
    keys = [r.key for r in found]
    assert keys.index("ai-playbook-for-the-uk-government") < keys.index(
        "generative-ai-framework-for-hmg"
    )


def test_drafts_are_never_found_and_the_index_follows_changes(library: Engine) -> None:
    assert search_site(library, "mortgage affordability").results[0].key == (
        "money-and-pensions-service-mortgage-affordability-calculator"
    )
    with transaction(library) as session:
        session.execute(
            update(AIProject)
            .where(AIProject.key.like("money-and-pensions-service-mortgage-%"))
            .values(status="draft")
        )
    assert search_site(library, "mortgage affordability").total == 0


def test_pages_partition_the_results(library: Engine) -> None:
    whole = search_site(library, "data", page_size=100)
    first = search_site(library, "data", page=1, page_size=7)
    second = search_site(library, "data", page=2, page_size=7)
    assert [r.key for r in first.results + second.results] == [r.key for r in whole.results[:14]]
    assert first.pages == -(-whole.total // 7)


def test_no_words_find_nothing_and_bad_input_is_refused(library: Engine) -> None:
    assert search_site(library, "   ").total == 0
    assert search_site(library, "the and of").total == 0
    with pytest.raises(InvalidInput, match="kind"):
        search_site(library, "data", kinds=("people",))
    with pytest.raises(InvalidInput, match="page"):
        search_site(library, "data", page=0)
    with pytest.raises(InvalidInput, match="at most 100"):
        search_site(library, "x" * 101)
