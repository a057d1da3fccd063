"""Career paths are the least-gap sequence of allowed moves, checked against brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mobilise.core.profiles.career import RoleLevelPlace, career_path, move_graph


def allowed(a: RoleLevelPlace, b: RoleLevelPlace, places: list[RoleLevelPlace]) -> str | None:
    """The move rule, written out independently of the module."""
    if a.role_id == b.role_id:
        higher = sorted(
            {
                p.level_order
                for p in places
                if p.role_id == a.role_id and p.level_order > a.level_order
            }
        )
        return "up" if higher and b.level_order == higher[0] else None
    if a.family_id == b.family_id and abs(a.level_order - b.level_order) <= 1:
        return "lateral"
    return None


def step_gap(required: np.ndarray, person: np.ndarray, a: int, b: int, first: bool) -> int:
    base = person if first else np.maximum(person, required[a])
    return int(np.maximum(required[b].astype(int) - base, 0).sum())


def brute_force(
    places: list[RoleLevelPlace], required: np.ndarray, person: np.ndarray, s: int, t: int
) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None

    def walk(path: list[int], total: int) -> None:
        nonlocal best
        here = path[-1]
        if here == t:
            key = (total, len(path) - 1)
            best = key if best is None or key < best else best
            return
        for nxt in range(len(places)):
            if nxt not in path and allowed(places[here], places[nxt], places):
                walk([*path, nxt], total + step_gap(required, person, here, nxt, len(path) == 1))

    walk([s], 0)
    return best


@st.composite
def frameworks(draw: st.DrawFn) -> tuple[list[RoleLevelPlace], np.ndarray, np.ndarray]:
    roles = draw(st.integers(1, 4))
    family_of = [draw(st.integers(1, 2)) for _ in range(roles)]
    places = []
    for role in range(roles):
        orders = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3, unique=True))
        places += [RoleLevelPlace(role, family_of[role], order) for order in orders]
    skills = draw(st.integers(1, 5))
    required = draw(hnp.arrays(np.int8, (len(places), skills), elements=st.integers(0, 4)))
    person = draw(hnp.arrays(np.int8, skills, elements=st.integers(0, 4)))
    return places, required, person


@given(frameworks(), st.data())
def test_the_path_is_as_short_as_the_best_of_all_simple_paths(
    framework: tuple[list[RoleLevelPlace], np.ndarray, np.ndarray], data: st.DataObject
) -> None:
    places, required, person = framework
    s = data.draw(st.integers(0, len(places) - 1))
    t = data.draw(st.integers(0, len(places) - 1))
    path = career_path(move_graph(places), required, person, s, t)
    expected = brute_force(places, required, person, s, t)
    if expected is None:
        assert not path.reachable
        assert path.steps == ()
        assert path.reason
        return
    assert path.reachable
    assert (path.total, len(path.steps)) == expected
    row = s
    for number, step in enumerate(path.steps):
        assert step.from_row == row
        assert step.move == allowed(places[step.from_row], places[step.to_row], places)
        assert step.total == step_gap(required, person, step.from_row, step.to_row, number == 0)
        assert step.short == len(step.shortfall)
        assert sum(levels for _, levels in step.shortfall) == step.total
        row = step.to_row
    assert row == t
    assert path.total == sum(step.total for step in path.steps)


def test_the_first_step_counts_the_person_and_later_steps_the_level_they_hold() -> None:
    # One data family: analyst 1 → analyst 2, and scientist 2 beside analyst 2.
    places = [RoleLevelPlace(1, 9, 1), RoleLevelPlace(1, 9, 2), RoleLevelPlace(2, 9, 2)]
    required = np.array([[2, 0, 0], [3, 1, 0], [3, 2, 2]], dtype=np.int8)
    person = np.array([1, 0, 0], dtype=np.int8)
    path = career_path(move_graph(places), required, person, 0, 2)
    # Straight across (0 → 2, gap 2+2+2 = 6) ties with the way up then across (0 → 1: 2+1 = 3,
    # then 1 → 2 from analyst 2's requirements: 0+1+2 = 3); fewer steps wins.
    assert [(s.from_row, s.to_row, s.move, s.total) for s in path.steps] == [(0, 2, "lateral", 6)]
    # A gap taken in two steps is never smaller than in one, so a longer path appears only
    # where no direct move exists: analyst 1 → scientist 3 must go up to analyst 2 first.
    places[2] = RoleLevelPlace(2, 9, 3)
    path = career_path(move_graph(places), required, person, 0, 2)
    assert [(s.to_row, s.move, s.total) for s in path.steps] == [(1, "up", 3), (2, "lateral", 3)]
    assert path.steps[0].shortfall == ((0, 2), (1, 1))
    assert path.steps[1].shortfall == ((1, 1), (2, 2))
    assert path.total == 6


def test_a_target_elsewhere_is_unreachable_with_a_reason_and_the_start_is_reached_at_once() -> None:
    places = [RoleLevelPlace(1, 1, 1), RoleLevelPlace(1, 1, 2), RoleLevelPlace(2, 2, 1)]
    required = np.zeros((3, 1), dtype=np.int8)
    graph = move_graph(places)
    person = np.zeros(1, dtype=np.int8)
    other_family = career_path(graph, required, person, 0, 2)
    assert not other_family.reachable
    assert "job family" in other_family.reason
    down = career_path(graph, required, person, 1, 0)
    assert not down.reachable
    assert "below" in down.reason
    same = career_path(graph, required, person, 1, 1)
    assert (same.reachable, same.steps, same.total) == (True, (), 0)


def test_rows_outside_the_graph_are_a_programming_error() -> None:
    graph = move_graph([RoleLevelPlace(1, 1, 1)])
    with pytest.raises(ValueError, match="target row 3"):
        career_path(graph, np.zeros((1, 2), np.int8), np.zeros(2, np.int8), 0, 3)
