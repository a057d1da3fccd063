"""Malformed problems are rejected with a message naming the item."""

from __future__ import annotations

from typing import Any

import pytest

from mobilise.core.allocation.problem import problem_from_document
from mobilise.core.problems import InvalidInput


def base() -> dict[str, Any]:
    return {
        "applicants": [{"id": "a", "preferences": ["x"]}, {"id": "b", "preferences": ["x"]}],
        "opportunities": [{"id": "x", "capacity": 1, "ranking": ["a", "b"]}],
    }


def rejected(document: Any) -> list[tuple[str | None, str | None, str]]:
    with pytest.raises(InvalidInput) as raised:
        problem_from_document(document)
    return [(p.column, p.value, p.rule) for p in raised.value.problems]


def test_a_valid_problem_is_indexed() -> None:
    problem = problem_from_document(base())
    assert problem.applicant_ids == ("a", "b")
    assert problem.pref_rank.tolist() == [0, 1]


def test_not_an_object() -> None:
    assert rejected([1, 2]) == [(None, None, "must be a JSON object")]


def test_unknown_ids_are_named() -> None:
    document = base()
    document["applicants"][0]["preferences"] = ["nowhere"]
    document["opportunities"][0]["ranking"] = ["a", "b", "ghost"]
    assert rejected(document) == [
        ("applicants[0].preferences[0]", "nowhere", "refers to no opportunity"),
        ("opportunities[0].ranking[2]", "ghost", "refers to no applicant"),
    ]


def test_duplicates_in_a_list_and_duplicate_ids() -> None:
    document = base()
    document["applicants"][1]["id"] = "a"
    problems = rejected(document)
    assert problems == [("applicants[1].id", "a", "duplicate id: already used by applicants[0]")]
    document = base()
    document["opportunities"][0]["ranking"] = ["a", "a", "b"]
    assert rejected(document) == [
        ("opportunities[0].ranking[1]", "a", "appears twice: a list must be strict")
    ]


@pytest.mark.parametrize("capacity", [-1, 1.5, "2", True, None])
def test_capacity_must_be_a_whole_number(capacity: Any) -> None:
    document = base()
    document["opportunities"][0]["capacity"] = capacity
    ((column, _, rule),) = rejected(document)
    assert column == "opportunities[0].capacity"
    assert rule == "must be a whole number of 0 or more"


def test_a_preference_for_an_opportunity_that_does_not_rank_you() -> None:
    document = base()
    document["opportunities"][0]["ranking"] = ["a"]
    assert rejected(document) == [
        (
            "applicants[1].preferences",
            "x",
            "applicant 'b' prefers an opportunity that does not rank them",
        )
    ]


def test_array_callers_get_duplicate_preferences_named() -> None:
    import numpy as np

    from mobilise.core.allocation.problem import problem_from_arrays

    with pytest.raises(InvalidInput) as raised:
        problem_from_arrays(
            ["a"],
            ["x", "y"],
            [1, 1],
            np.array([0, 3]),
            np.array([0, 1, 0]),
            np.array([0, 1, 2]),
            np.array([0, 0]),
        )
    (problem,) = raised.value.problems
    assert (problem.column, problem.value) == ("applicants[0].preferences", "x")
    assert "lists this opportunity twice" in problem.rule
