"""The welfare method: optimal by brute force on tiny problems, never worse than stable."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

from mobilise.core.allocation.problem import AllocationProblem, IntArray, problem_from_document
from mobilise.core.allocation.stable import stable_matching
from mobilise.core.allocation.welfare import (
    OBJECTIVES,
    Objective,
    edge_costs,
    welfare_matching,
    welfare_value,
)
from tests.core.allocation.strategies import attributed_documents, problem_documents


def all_matchings(problem: AllocationProblem) -> list[IntArray]:
    """Every matching within capacities over mutually acceptable pairs."""
    choices = [[-1, *problem.preferences_of(a).tolist()] for a in range(problem.applicants)]
    out = []
    for candidate in itertools.product(*choices):
        assigned = np.array(candidate, dtype=np.int64)
        counts = np.bincount(assigned[assigned >= 0], minlength=problem.opportunities)
        if (counts <= problem.capacity).all():
            out.append(assigned)
    return out


def integer_value(
    problem: AllocationProblem, assigned: IntArray, objective: Objective
) -> tuple[int, int]:
    """(-placed, total integer cost): the lexicographic key the method minimises."""
    costs = edge_costs(problem, objective)
    app = np.repeat(np.arange(problem.applicants), np.diff(problem.pref_ptr))
    held = problem.pref_opp == assigned[app]
    return -int(held.sum()), int(costs[held].sum())


def valid(problem: AllocationProblem, assigned: IntArray) -> bool:
    counts = np.bincount(assigned[assigned >= 0], minlength=problem.opportunities)
    return bool((counts <= problem.capacity).all()) and all(
        o < 0 or o in problem.preferences_of(a).tolist() for a, o in enumerate(assigned.tolist())
    )


@pytest.mark.parametrize("objective", OBJECTIVES)
@settings(max_examples=80, deadline=None)
@given(document=attributed_documents(max_applicants=5, max_opportunities=3))
def test_optimal_by_brute_force(document: dict[str, Any], objective: Objective) -> None:
    problem = problem_from_document(document)
    ours = welfare_matching(problem, objective)
    assert valid(problem, ours)
    best = min(integer_value(problem, m, objective) for m in all_matchings(problem))
    assert integer_value(problem, ours, objective) == best


@settings(max_examples=200, deadline=None)
@given(problem_documents())
def test_at_least_as_good_as_stable_and_deterministic(document: dict[str, Any]) -> None:
    problem = problem_from_document(document)
    ours = welfare_matching(problem)
    stable = stable_matching(problem)
    assert valid(problem, ours)
    mine, theirs = welfare_value(problem, ours, "rank"), welfare_value(problem, stable, "rank")
    assert mine.matched >= theirs.matched
    if mine.matched == theirs.matched:
        assert mine.total <= theirs.total
    assert not theirs.better_than(mine)
    assert np.array_equal(ours, welfare_matching(problem_from_document(document)))


def test_welfare_places_more_than_stable_when_stability_blocks_it() -> None:
    # hmrc ranks ana first, so stability gives her hmrc and leaves ben (who only wants hmrc)
    # unplaced; welfare sends ana to her 2nd choice so both are placed.
    document = {
        "applicants": [
            {"id": "ana", "preferences": ["hmrc", "dwp"]},
            {"id": "ben", "preferences": ["hmrc"]},
        ],
        "opportunities": [
            {"id": "dwp", "capacity": 1, "ranking": ["ana"]},
            {"id": "hmrc", "capacity": 1, "ranking": ["ana", "ben"]},
        ],
    }
    problem = problem_from_document(document)
    assert stable_matching(problem).tolist() == [1, -1]
    assert welfare_matching(problem).tolist() == [0, 1]
    assert welfare_value(problem, welfare_matching(problem), "rank").total == 3.0


def test_fit_objective_follows_scores_not_preferences() -> None:
    document = {
        "applicants": [
            {"id": "ana", "preferences": ["dwp", "hmrc"]},
            {"id": "ben", "preferences": ["dwp", "hmrc"]},
        ],
        "opportunities": [
            {"id": "dwp", "capacity": 1, "scores": {"ana": 0.2, "ben": 0.9}},
            {"id": "hmrc", "capacity": 1, "scores": {"ana": 0.8, "ben": 0.3}},
        ],
    }
    problem = problem_from_document(document)
    assert welfare_matching(problem, "fit").tolist() == [1, 0]
    value = welfare_value(problem, welfare_matching(problem, "fit"), "fit")
    assert (value.matched, value.total) == (2, pytest.approx(1.7))


def test_empty_problems() -> None:
    problem = problem_from_document({"applicants": [], "opportunities": []})
    assert welfare_matching(problem).tolist() == []
    problem = problem_from_document(
        {"applicants": [{"id": "a", "preferences": []}], "opportunities": []}
    )
    assert welfare_matching(problem).tolist() == [-1]


def test_unknown_objective() -> None:
    problem = problem_from_document({"applicants": [], "opportunities": []})
    with pytest.raises(ValueError, match="unknown objective"):
        welfare_matching(problem, "happiness")  # type: ignore[arg-type]
