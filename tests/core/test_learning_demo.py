from __future__ import annotations

from functools import cache

import pytest

from mobilise.core.framework import Framework
from mobilise.core.learning_demo import DEFAULT_ITEMS, KEY_PREFIX, generate_catalogue
from mobilise.core.records import FrameworkKeys, Lookups, ProblemLog
from mobilise.core.records.learning_items import (
    LEARNING_FORMATS,
    LEARNING_ITEMS,
    LearningItemsCheck,
)
from mobilise.services.framework import read_framework_directory, shipped_ddat_directory


@cache
def ddat() -> Framework:
    return read_framework_directory(shipped_ddat_directory())


def checked(rows: list[dict[str, str]]) -> ProblemLog:
    """Feed the rows to the import's own rules, as `mobilise learning demo` does."""
    framework = ddat()
    skills = {skill.key: n for n, skill in enumerate(framework.skills, start=1)}
    log = ProblemLog("demo")
    check = LearningItemsCheck(
        Lookups(frameworks={"ddat": FrameworkKeys(skills, {})}, default_framework="ddat"), log
    )
    for number, row in enumerate(rows, start=1):
        check.feed(number, [row.get(name, "") for name in LEARNING_ITEMS.names])
    check.finish()
    return log


@pytest.mark.parametrize("items", [1, 150, DEFAULT_ITEMS, 2500])
def test_a_catalogue_of_any_size_obeys_every_import_rule(items: int) -> None:
    rows = generate_catalogue(ddat(), items=items, seed=7)
    assert len(rows) == items
    assert checked(rows).problems == []
    keys = [row["key"] for row in rows]
    assert len(set(keys)) == items
    position = {key: n for n, key in enumerate(keys)}
    for n, row in enumerate(rows):
        for required in filter(None, row["prerequisites"].split("; ")):
            assert position[required] < n  # prerequisites come first, so truncation keeps them


def test_the_same_seed_gives_the_same_catalogue_and_another_seed_another() -> None:
    first = generate_catalogue(ddat(), items=300, seed=11)
    assert generate_catalogue(ddat(), items=300, seed=11) == first
    assert generate_catalogue(ddat(), items=300, seed=12) != first


def test_the_default_catalogue_covers_every_skill_format_and_level_and_says_it_is_synthetic() -> (
    None
):
    rows = generate_catalogue(ddat(), seed=20260401)
    assert {row["format"] for row in rows} == set(LEARNING_FORMATS)
    taught = {entry for row in rows for entry in row["teaches"].split("; ")}
    skills = {entry.split(":")[0] for entry in taught}
    assert skills == {skill.key for skill in ddat().skills}
    assert {entry.split(":")[1] for entry in taught} == {
        "awareness",
        "working",
        "practitioner",
        "expert",
    }
    assert any(row["prerequisites"] for row in rows)
    assert any(row["cost"] == "0.00" for row in rows)
    assert any(row["cost"] != "0.00" for row in rows)
    for row in rows:
        assert row["key"].startswith(KEY_PREFIX)
        assert "(synthetic)" in row["provider"]
        assert row["description"].startswith("Synthetic demo item")
        assert row["url"].startswith("https://learning.example/")


def test_alternatives_trade_hours_for_cost() -> None:
    framework = ddat()
    rows = generate_catalogue(framework, items=2000, seed=3)
    by_teaching: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_teaching.setdefault(row["teaches"], []).append(row)
    # Some rung has a quicker and a cheaper way to learn it, which are not the same item.
    assert any(
        min(group, key=lambda r: float(r["hours"]))["key"]
        != min(group, key=lambda r: (float(r["cost"]), float(r["hours"])))["key"]
        for group in by_teaching.values()
        if len(group) > 1
    )


def test_nothing_asked_gives_nothing() -> None:
    assert generate_catalogue(ddat(), items=0, seed=1) == []
