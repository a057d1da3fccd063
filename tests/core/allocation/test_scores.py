"""Scores as an alternative to rankings, and quotas: parsed, derived and rejected by name."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

from mobilise.core.allocation.problem import problem_from_document
from mobilise.core.allocation.quotas import Bound, Quota
from mobilise.core.problems import InvalidInput
from tests.core.allocation.strategies import attributed_documents


def document() -> dict[str, Any]:
    return {
        "applicants": [
            {"id": "a", "preferences": ["x", "y"], "attributes": {"region": "London"}},
            {"id": "b", "preferences": ["x"], "attributes": {"region": "Wales"}},
            {"id": "c", "preferences": ["x", "y"]},
        ],
        "opportunities": [
            {"id": "x", "capacity": 1, "scores": {"c": 0.5, "a": 0.9, "b": 0.5}},
            {"id": "y", "capacity": 2, "ranking": ["c", "a"]},
        ],
    }


def rejected(doc: Any) -> list[tuple[str | None, str | None, str]]:
    with pytest.raises(InvalidInput) as raised:
        problem_from_document(doc)
    return [(p.column, p.value, p.rule) for p in raised.value.problems]


def test_scores_give_the_ranking_with_ties_in_file_order() -> None:
    problem = problem_from_document(document())
    # a scores highest; b and c tie, and b comes first among the applicants in the file.
    assert problem.ranking_of(0).tolist() == [0, 1, 2]
    # Edges: a→x, a→y, b→x, c→x, c→y. x's fits are its scores; y ranks c then a: fits 1/2, 2/2.
    assert problem.pref_score.tolist() == [0.9, 0.5, 0.5, 0.5, 1.0]
    assert problem.pref_rank.tolist() == [0, 1, 1, 2, 0]


def test_without_scores_the_fit_is_derived_from_ranks() -> None:
    doc = document()
    doc["opportunities"][0] = {"id": "x", "capacity": 1, "ranking": ["b", "a", "c"]}
    problem = problem_from_document(doc)
    assert problem.pref_score.tolist() == pytest.approx([2 / 3, 0.5, 1.0, 1 / 3, 1.0])


def test_a_ranking_with_scores_keeps_its_order() -> None:
    doc = document()
    doc["opportunities"][0]["ranking"] = ["b", "c", "a"]
    problem = problem_from_document(doc)
    assert problem.ranking_of(0).tolist() == [1, 2, 0]
    assert problem.pref_score.tolist() == [0.9, 0.5, 0.5, 0.5, 1.0]


@settings(max_examples=100, deadline=None)
@given(attributed_documents())
def test_fits_are_the_scores_or_in_zero_to_one(doc: dict[str, Any]) -> None:
    problem = problem_from_document(doc)
    app = np.repeat(np.arange(problem.applicants), np.diff(problem.pref_ptr))
    for e, (a, o) in enumerate(zip(app.tolist(), problem.pref_opp.tolist(), strict=True)):
        scores = doc["opportunities"][o].get("scores")
        if scores is not None:
            assert problem.pref_score[e] == scores[problem.applicant_ids[a]]
        else:
            assert 0 < problem.pref_score[e] <= 1
        # A derived ranking never puts a lower score above a higher one.
        if scores is not None and "ranking" not in doc["opportunities"][o]:
            ranked = [problem.applicant_ids[r] for r in problem.ranking_of(o).tolist()]
            values = [scores[r] for r in ranked]
            assert values == sorted(values, reverse=True)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([1], [("opportunities[0].scores", None, "must be an object of applicant id to number")]),
        ({"a": 1, "zed": 2}, [("opportunities[0].scores", "zed", "refers to no applicant")]),
        ({"a": "high"}, [("opportunities[0].scores.a", "high", "must be a number")]),
        ({"a": True}, [("opportunities[0].scores.a", "True", "must be a number")]),
        ({"a": float("nan")}, [("opportunities[0].scores.a", "nan", "must be a finite number")]),
    ],
)
def test_malformed_scores_are_named(scores: Any, expected: list[Any]) -> None:
    doc = document()
    doc["opportunities"][0]["scores"] = scores
    doc["applicants"][1]["preferences"] = []
    doc["applicants"][2]["preferences"] = ["y"]
    doc["applicants"][0]["preferences"] = ["y"]
    assert rejected(doc) == expected


def test_scores_and_ranking_must_name_the_same_applicants() -> None:
    doc = document()
    doc["opportunities"][0]["ranking"] = ["a", "b"]
    assert rejected(doc) == [("opportunities[0].scores", "c", "is scored but not in the ranking")]
    doc["opportunities"][0]["ranking"] = ["a", "b", "c"]
    doc["opportunities"][0]["scores"] = {"a": 1, "b": 0}
    assert rejected(doc) == [("opportunities[0].scores", "c", "has no score but is in the ranking")]


def with_quotas(*quotas: Any) -> dict[str, Any]:
    doc = document()
    doc["constraints"] = {"quotas": list(quotas)}
    return doc


def test_quotas_are_parsed() -> None:
    problem = problem_from_document(
        with_quotas(
            {"id": "outside", "attribute": "region", "not_values": ["London"], "min_share": 0.6},
            {
                "id": "cap-y",
                "attribute": "region",
                "values": ["Wales"],
                "max_count": 1,
                "opportunities": ["y"],
            },
        )
    )
    outside, cap = problem.quotas
    assert outside == Quota(
        "outside", "region", ("London",), True, Bound.MIN_SHARE, Fraction(3, 5), None
    )
    assert cap.opportunities == (1,)
    assert cap.target == 1
    # An applicant without the attribute counts for neither form of quota.
    attributes = problem.applicant_attributes
    assert outside.members(attributes, 3).tolist() == [False, True, False]
    assert cap.members(attributes, 3).tolist() == [False, True, False]
    assert outside.satisfied(3, 5)
    assert not outside.satisfied(2, 5)
    assert outside.achieved(3, 5) == 0.6


def test_values_compare_with_their_kinds() -> None:
    quota = Quota("q", "g", (1, "2", True), False, Bound.MIN_COUNT, Fraction(0))
    people = [{"g": 1}, {"g": 2}, {"g": "2"}, {"g": True}, {"g": "1"}, {"g": [1]}, {}]
    people += [{"g": np.str_("2")}, {"g": np.int64(1)}, {"g": np.bool_(False)}]
    assert quota.members(people, 10).tolist()[:7] == [True, False, True, True, False, False, False]
    assert quota.members(people, 10).tolist()[7:] == [True, True, False]


@pytest.mark.parametrize(
    ("quota", "expected"),
    [
        ("x", [("constraints.quotas[0]", None, "must be an object")]),
        (
            {"attribute": "region", "values": ["Wales"], "min_count": 1},
            [("constraints.quotas[0].id", None, "is required and must be a non-empty string")],
        ),
        (
            {"id": "q", "values": ["Wales"], "min_count": 1},
            [
                (
                    "constraints.quotas[0].attribute",
                    None,
                    "is required and must be a non-empty string",
                )
            ],
        ),
        (
            {"id": "q", "attribute": "region", "min_count": 1},
            [("constraints.quotas[0]", None, "needs exactly one of values or not_values")],
        ),
        (
            {
                "id": "q",
                "attribute": "region",
                "values": ["a"],
                "not_values": ["b"],
                "min_count": 1,
            },
            [("constraints.quotas[0]", None, "needs exactly one of values or not_values")],
        ),
        (
            {"id": "q", "attribute": "region", "values": [], "min_count": 1},
            [
                (
                    "constraints.quotas[0].values",
                    None,
                    "must be a non-empty list of strings, whole numbers or booleans",
                )
            ],
        ),
        (
            {"id": "q", "attribute": "region", "values": ["a", 1.5, "a"], "min_count": 1},
            [
                (
                    "constraints.quotas[0].values[1]",
                    "1.5",
                    "must be a string, a whole number or a boolean",
                ),
                ("constraints.quotas[0].values[2]", "a", "appears twice"),
            ],
        ),
        (
            {"id": "q", "attribute": "region", "values": ["a"]},
            [
                (
                    "constraints.quotas[0]",
                    None,
                    "needs exactly one bound: min_count, min_share, max_count, max_share",
                )
            ],
        ),
        (
            {"id": "q", "attribute": "region", "values": ["a"], "min_count": 1, "max_share": 1},
            [
                (
                    "constraints.quotas[0]",
                    None,
                    "needs exactly one bound: min_count, min_share, max_count, max_share",
                )
            ],
        ),
        (
            {"id": "q", "attribute": "region", "values": ["a"], "min_share": 1.5},
            [("constraints.quotas[0].min_share", "1.5", "must be a number from 0 to 1")],
        ),
        (
            {"id": "q", "attribute": "region", "values": ["a"], "max_count": -1},
            [("constraints.quotas[0].max_count", "-1", "must be a whole number of 0 or more")],
        ),
        (
            {"id": "q", "attribute": "region", "values": ["a"], "max_count": 2.0},
            [("constraints.quotas[0].max_count", "2.0", "must be a whole number of 0 or more")],
        ),
        (
            {
                "id": "q",
                "attribute": "region",
                "values": ["a"],
                "max_count": 2,
                "opportunities": ["y", "nowhere", "y"],
            },
            [
                ("constraints.quotas[0].opportunities[1]", "nowhere", "refers to no opportunity"),
                (
                    "constraints.quotas[0].opportunities[2]",
                    "y",
                    "appears twice: a list must be strict",
                ),
            ],
        ),
        (
            {
                "id": "q",
                "attribute": "region",
                "values": ["a"],
                "max_count": 2,
                "opportunities": [],
            },
            [
                (
                    "constraints.quotas[0].opportunities",
                    None,
                    "must be a non-empty list of opportunity ids (omit it for all)",
                )
            ],
        ),
    ],
)
def test_malformed_quotas_are_named(quota: Any, expected: list[Any]) -> None:
    assert rejected(with_quotas(quota)) == expected


def test_unknown_fields_and_duplicate_quota_ids() -> None:
    good = {"id": "q", "attribute": "region", "values": ["a"], "min_count": 0}
    problems = rejected(with_quotas(good, {**good, "min_shares": 0.5}))
    assert problems[0][0] == "constraints.quotas[1].min_shares"
    assert problems[0][2].startswith("is not a quota field")
    assert rejected(with_quotas(good, good)) == [
        ("constraints.quotas[1].id", "q", "duplicate id: already used by quotas[0]")
    ]
    doc = document()
    doc["constraints"] = {"quota": []}
    assert rejected(doc) == [
        ("constraints.quota", None, "is not a known constraint (known: quotas)")
    ]
    doc["constraints"] = []
    assert rejected(doc) == [("constraints", None, "must be an object")]
    doc["constraints"] = {"quotas": {}}
    assert rejected(doc) == [("constraints.quotas", None, "must be a list of quotas")]
