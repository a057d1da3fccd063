"""A catalogue is checked before any pathway is planned over it: cycles are named, not looped."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.learning.catalogue import (
    CatalogueItem,
    find_prerequisite_cycles,
    prepare_catalogue,
)
from mobilise.core.problems import InvalidInput


def item(
    id_: int, prerequisites: tuple[int, ...] = (), *, key: str = "", hours: str = "1"
) -> CatalogueItem:
    return CatalogueItem(id_, Decimal(hours), 0, {1: 2}, prerequisites, key or f"k{id_}")


def test_a_cycle_is_refused_naming_each_item_around_it() -> None:
    items = [
        item(1, (2,), key="intro"),
        item(2, (3,), key="middle"),
        item(3, (1,), key="advanced"),
        item(4, (4,), key="loop"),
        item(5, (1,), key="fine"),
    ]
    with pytest.raises(InvalidInput) as raised:
        prepare_catalogue(items)
    problems = raised.value.problems
    assert [(p.row, p.column, p.value) for p in problems] == [
        (1, "prerequisites", "intro"),
        (4, "prerequisites", "loop"),
    ]
    assert problems[0].rule.endswith("intro → middle → advanced → intro")
    assert problems[1].rule.endswith("loop → loop")


def test_unknown_prerequisites_duplicates_and_bad_values_are_named_by_row() -> None:
    items = [
        item(1, (9,)),
        item(1),
        CatalogueItem(2, Decimal("-1"), -5, {3: 5}),
    ]
    with pytest.raises(InvalidInput) as raised:
        prepare_catalogue(items)
    assert [(p.row, p.column, p.value) for p in raised.value.problems] == [
        (1, "prerequisites", "9"),
        (2, "id", "1"),
        (3, "hours", "-1"),
        (3, "cost", "-5"),
        (3, "level", "3: 5"),
    ]


def test_hours_are_scaled_to_the_fewest_decimals_that_keep_them_exact() -> None:
    catalogue = prepare_catalogue([item(2, hours="1.5"), item(1, hours="0.25"), item(3, hours="3")])
    assert [i.id for i in catalogue.items] == [1, 2, 3]
    assert (catalogue.hours_scale, catalogue.hours_units) == (100, (25, 150, 300))
    assert not catalogue.hours_rounded
    whole = prepare_catalogue([item(1, hours="2"), CatalogueItem(2, 0.5, 0, {})])
    assert (whole.hours_scale, whole.hours_units) == (10, (20, 5))
    fine = prepare_catalogue([item(1, hours="0.123456")])
    assert (fine.hours_scale, fine.hours_units, fine.hours_rounded) == (10_000, (1235,), True)


@given(
    st.integers(1, 9).flatmap(
        lambda n: st.lists(st.lists(st.integers(0, n - 1), max_size=3), min_size=n, max_size=n)
    )
)
def test_cycles_found_are_real_and_none_found_means_an_order_exists(
    graph: list[list[int]],
) -> None:
    prerequisites = [tuple(sorted(set(edges))) for edges in graph]
    cycles = find_prerequisite_cycles(prerequisites)
    for cycle in cycles:
        for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True):
            assert b in prerequisites[a]
    # Without cycles, repeatedly taking items whose prerequisites are all taken takes them all.
    taken: set[int] = set()
    progress = True
    while progress:
        ready = {
            p for p, edges in enumerate(prerequisites) if p not in taken and set(edges) <= taken
        }
        progress = bool(ready)
        taken |= ready
    assert (len(taken) == len(prerequisites)) == (not cycles)
