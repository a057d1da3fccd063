from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.framework import SkillLevel
from mobilise.core.problems import Problem
from mobilise.core.records import FrameworkKeys, Lookups, ProblemLog
from mobilise.core.records.learning_items import (
    LEARNING_ITEMS,
    LearningItemRow,
    LearningItemsCheck,
    find_prerequisite_cycles,
    format_cost,
    format_hours,
    parse_cost,
    parse_hours,
)

LOOKUPS = Lookups(
    frameworks={
        "ddat": FrameworkKeys({"data-modelling": 5, "coding": 6}, {}),
        "council": FrameworkKeys({"coding": 60}, {}),
    },
    default_framework="ddat",
)


def item(**values: str) -> list[str]:
    row = {
        "key": "sql-101",
        "title": "SQL basics",
        "provider": "Learning Co",
        "format": "e-learning",
        "hours": "1.5",
    } | values
    return [row.get(name, "") for name in LEARNING_ITEMS.names]


def check(
    *rows: list[str],
    stored: dict[str, tuple[str, ...]] | None = None,
) -> tuple[list[LearningItemRow], list[Problem]]:
    stored = stored or {}
    log = ProblemLog("learning.csv")
    checker = LearningItemsCheck(
        LOOKUPS,
        log,
        stored_items=set(stored),
        stored_prerequisites=lambda key: stored.get(key, ()),
    )
    fed = [checker.feed(n, values) for n, values in enumerate(rows, start=1)]
    checker.finish()
    return [r for r in fed if r is not None], log.problems


def rules(problems: list[Problem]) -> list[tuple[int | None, str | None, str | None, str]]:
    return [(p.row, p.column, p.value, p.rule) for p in problems]


def test_a_full_row_becomes_a_typed_item() -> None:
    rows, problems = check(
        item(
            cost="149.99",
            teaches=" data-modelling:Practitioner ; coding:2;",
            prerequisites="intro",
            url="https://learning.example/sql",
            description="Line one\nline two",
        ),
        item(key="intro", format="article", hours="0.25"),
    )
    assert problems == []
    assert rows[0] == LearningItemRow(
        1,
        "sql-101",
        "SQL basics",
        "Learning Co",
        "e-learning",
        Decimal("1.5"),
        14999,
        "ddat",
        ((5, SkillLevel.PRACTITIONER), (6, SkillLevel.WORKING)),
        ("intro",),
        "https://learning.example/sql",
        "Line one\nline two",
    )
    assert rows[1].cost_pence == 0
    assert rows[1].framework is None
    assert rows[1].teaches == ()


def test_skills_of_another_framework_version_are_named_by_its_column() -> None:
    rows, problems = check(item(framework="council", teaches="coding:expert"))
    assert problems == []
    assert rows[0].teaches == ((60, SkillLevel.EXPERT),)
    assert rows[0].framework == "council"


def test_unknown_skill_and_level_outside_the_scale_are_named() -> None:
    _, problems = check(item(teaches="ghost-skill:working; coding:5; coding"))
    assert rules(problems) == [
        (1, "teaches", "ghost-skill", "refers to no skill of the framework 'ddat'"),
        (
            1,
            "teaches",
            "coding:5",
            "level '5' must be one of awareness, working, practitioner, expert (or 1 to 4)",
        ),
        (
            1,
            "teaches",
            "coding",
            "must be skill:level pairs separated by ';' (e.g. data-modelling:working; coding:2)",
        ),
    ]


def test_a_skill_taught_twice_and_an_unknown_framework_are_refused() -> None:
    _, twice = check(item(teaches="coding:1;coding:2"))
    assert rules(twice) == [(1, "teaches", "coding", "names the same skill twice")]
    _, unknown = check(item(framework="nope", teaches="coding:1"))
    assert rules(unknown) == [(1, "framework", "nope", "refers to no framework version")]
    _, unknown_alone = check(item(framework="nope"))
    assert rules(unknown_alone) == [(1, "framework", "nope", "refers to no framework version")]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("hours", "0"),
        ("hours", "-1"),
        ("hours", "1.255"),
        ("hours", "10000.01"),
        ("hours", "1,5"),
        ("hours", "NaN"),
        ("cost", "£10"),
        ("cost", "1,000"),
        ("cost", "1000000.01"),
        ("cost", "-5"),
        ("format", "podcast"),
        ("url", "javascript:alert(1)"),
        ("url", "https://a b"),
        ("key", "a;b"),
    ],
)
def test_bad_values_are_named_with_their_column(column: str, value: str) -> None:
    rows, problems = check(item(**{column: value}))
    assert rows == []
    assert [(p.row, p.column, p.value) for p in problems] == [(1, column, value)]


def test_required_columns_must_not_be_empty() -> None:
    _, problems = check(item(title=" ", hours=""))
    assert [(p.column, p.rule) for p in problems] == [
        ("title", "is required and must not be empty"),
        ("hours", "is required and must not be empty"),
    ]


def test_prerequisites_may_be_later_rows_or_stored_items() -> None:
    rows, problems = check(
        item(key="a", prerequisites="b; stored"),
        item(key="b"),
        stored={"stored": ()},
    )
    assert problems == []
    assert rows[0].prerequisites == ("b", "stored")


def test_unknown_own_and_repeated_prerequisites_are_named() -> None:
    _, problems = check(item(key="a", prerequisites="ghost; a; b; b"), item(key="b"))
    assert rules(problems) == [
        (1, "prerequisites", "a", "an item cannot require itself"),
        (1, "prerequisites", "b", "names the same item twice"),
        (1, "prerequisites", "ghost", "refers to no learning item"),
    ]


def test_a_repeated_key_is_named_with_the_first_row() -> None:
    _, problems = check(item(key="a"), item(key="a"))
    assert rules(problems) == [(2, "key", "a", "duplicate key: already on row 1")]


def test_a_cycle_in_the_file_is_named_in_full_on_its_first_row() -> None:
    _, problems = check(
        item(key="c", prerequisites="a"),
        item(key="a", prerequisites="b"),
        item(key="b", prerequisites="c"),
    )
    assert rules(problems) == [
        (1, "prerequisites", "a", "prerequisites form a cycle: c → a → b → c"),
    ]


def test_a_cycle_closed_through_stored_items_is_found() -> None:
    # Stored: s1 requires s2, which requires the file's item a.
    _, problems = check(
        item(key="a", prerequisites="s1"),
        stored={"s1": ("s2",), "s2": ("a",)},
    )
    assert rules(problems) == [
        (1, "prerequisites", "s1", "prerequisites form a cycle: a → s1 → s2 → a"),
    ]


def test_a_file_that_replaces_a_stored_prerequisite_may_break_a_stored_cycle() -> None:
    # Stored a requires b and b requires a (say, from an older catalogue); the file changes b.
    _, problems = check(item(key="b"), stored={"a": ("b",), "b": ("a",)})
    assert problems == []


def test_hours_and_costs_read_and_write_losslessly() -> None:
    assert parse_hours("0.25") == Decimal("0.25")
    assert parse_hours("10000") == Decimal(10_000)
    assert parse_cost("0") == 0
    assert parse_cost("12.5") == 1250
    assert parse_cost("1000000") == 100_000_000
    assert format_hours(Decimal("1.50")) == "1.5"
    assert format_hours(Decimal("100.00")) == "100"
    assert format_cost(0) == "0.00"
    assert format_cost(14999) == "149.99"


@given(st.integers(min_value=1, max_value=1_000_000))
def test_hours_round_trip(hundredths: int) -> None:
    hours = Decimal(hundredths) / 100
    assert parse_hours(format_hours(hours)) == hours


@given(st.integers(min_value=0, max_value=100_000_000))
def test_costs_round_trip(pence: int) -> None:
    assert parse_cost(format_cost(pence)) == pence


def _has_cycle(graph: dict[str, tuple[str, ...]]) -> bool:
    """Brute force: some item reaches itself by following requirements."""
    for start in graph:
        seen: set[str] = set()
        frontier = list(graph[start])
        while frontier:
            node = frontier.pop()
            if node == start:
                return True
            if node not in seen:
                seen.add(node)
                frontier.extend(graph.get(node, ()))
    return False


graphs = st.integers(min_value=1, max_value=7).flatmap(
    lambda n: st.lists(
        st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] != e[1]),
        max_size=n * 2,
    ).map(
        lambda edges: {
            f"i{k}": tuple(dict.fromkeys(f"i{b}" for a, b in edges if a == k)) for k in range(n)
        }
    )
)


@given(graphs, st.integers(min_value=0, max_value=6))
def test_cycles_are_found_exactly_when_there_are_some(
    graph: dict[str, tuple[str, ...]], split: int
) -> None:
    # Some items are "in the file", the rest "stored"; cycles must pass through the file's items.
    keys = sorted(graph)
    in_file = {k: graph[k] for k in keys[: max(1, split)]}
    cycles = find_prerequisite_cycles(in_file, lambda key: graph.get(key, ()))
    for cycle in cycles:
        assert len(set(cycle)) == len(cycle)
        for here, there in itertools.pairwise((*cycle, cycle[0])):
            assert there in graph[here]
    reachable = _reachable(in_file, graph)
    assert bool(cycles) == _has_cycle({k: v for k, v in graph.items() if k in reachable})


def _reachable(starts: dict[str, tuple[str, ...]], graph: dict[str, tuple[str, ...]]) -> set[str]:
    seen = set(starts)
    frontier = list(starts)
    while frontier:
        for following in graph[frontier.pop()]:
            if following not in seen:
                seen.add(following)
                frontier.append(following)
    return seen
