"""Line management forms one tree per organisation, each manager senior to their reports."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mobilise.core.workforce import Workforce
from mobilise.core.workforce.hierarchy import assign_managers
from tests.core.workforce.conftest import PEOPLE


def _check_tree(organisation: np.ndarray, grade: np.ndarray, manager: np.ndarray) -> None:
    n = len(organisation)
    managed = manager >= 0
    assert np.all(manager < n)
    # Same organisation; never junior to the report; senior except within the top grade.
    assert np.all(organisation[manager[managed]] == organisation[managed])
    assert np.all(grade[manager[managed]] >= grade[managed])
    top = np.zeros(n, dtype=bool)
    for org in np.unique(organisation):
        mine = organisation == org
        top[mine] = grade[mine] == grade[mine].max()
        assert (mine & ~managed).sum() == 1  # one head
        assert not managed[mine & ~top].sum() < (mine & ~top).sum()
    assert np.all(grade[manager[managed & ~top]] > grade[managed & ~top])
    # No cycles: walking up from everyone reaches a head within n steps.
    current = np.arange(n)
    for _ in range(n + 1):
        current = np.where(current >= 0, manager[np.maximum(current, 0)], -1)
        if np.all(current < 0):
            break
    assert np.all(current < 0)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 9)), min_size=1, max_size=300),
    st.integers(0, 2**32 - 1),
)
def test_any_organisation_gets_a_tree(people: list[tuple[int, int]], seed: int) -> None:
    organisation = np.array([p[0] for p in people], dtype=np.int64)
    grade = np.array([p[1] for p in people], dtype=np.int8)
    manager = assign_managers(organisation, grade, np.random.default_rng(seed))
    _check_tree(organisation, grade, manager)


def test_generated_workforce_tree_has_realistic_spans(workforce: Workforce) -> None:
    people = workforce.people
    organisation, grade = people.organisation[:PEOPLE], people.grade[:PEOPLE]
    manager = people.manager[:PEOPLE]
    _check_tree(organisation, grade, manager)
    assert np.all(people.manager[PEOPLE:] == -1)  # leavers manage and are managed by nobody
    spans = np.bincount(manager[manager >= 0], minlength=PEOPLE)
    spans = spans[spans > 0]
    assert 5 <= np.median(spans) <= 10
    assert np.mean((spans >= 5) & (spans <= 10)) > 0.8
