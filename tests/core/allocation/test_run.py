from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from mobilise.core.allocation.problem import problem_from_document
from mobilise.core.allocation.run import allocate, group_match_rates
from mobilise.core.allocation.stable import stable_matching
from mobilise.core.problems import InvalidInput
from tests.core.allocation.strategies import problem_documents


def without_timings(document: dict[str, Any]) -> dict[str, Any]:
    metrics = {k: v for k, v in document["metrics"].items() if k != "solve_seconds"}
    return {**document, "metrics": metrics}


@settings(max_examples=50, deadline=None)
@given(problem_documents())
def test_a_run_is_reproduced_exactly_apart_from_timings(document: dict[str, Any]) -> None:
    problem = problem_from_document(document)
    first = allocate(problem, "stable", seed=3).document(problem)
    second = allocate(problem_from_document(document), "stable", seed=3).document(problem)
    assert without_timings(first) == without_timings(second)
    assert len(first["matches"]) + len(first["unmatched"]) == problem.applicants
    assert first["metrics"]["blocking_pairs"] == 0


def test_unknown_method_is_named() -> None:
    problem = problem_from_document({"applicants": [], "opportunities": []})
    with pytest.raises(InvalidInput) as raised:
        allocate(problem, "lottery")
    assert raised.value.problems[0].value == "lottery"


def test_group_rates_suppress_small_groups() -> None:
    applicants = [
        {"id": f"l{i}", "preferences": ["x"], "attributes": {"region": "London"}} for i in range(12)
    ] + [{"id": "n0", "preferences": ["x"], "attributes": {"region": "North East"}}]
    document = {
        "applicants": applicants,
        "opportunities": [{"id": "x", "capacity": 6, "ranking": [a["id"] for a in applicants]}],
    }
    problem = problem_from_document(document)
    report = group_match_rates(problem, stable_matching(problem), min_count=10)
    assert report["region"]["match_rate"] == {"London": 0.5, "North East": None}
    assert report["region"]["spread"] == 0.0


def test_fair_hides_small_quota_counts_but_says_whether_the_quota_holds() -> None:
    applicants = [
        {"id": f"a{i}", "preferences": ["x"], "attributes": {"group": "g1" if i < 2 else "g0"}}
        for i in range(30)
    ]
    document = {
        "applicants": applicants,
        "opportunities": [{"id": "x", "capacity": 20, "ranking": [a["id"] for a in applicants]}],
        "constraints": {
            "quotas": [
                {"id": "few", "attribute": "group", "values": ["g1"], "min_count": 2},
                {"id": "many", "attribute": "group", "values": ["g0"], "min_count": 12},
            ]
        },
    }
    problem = problem_from_document(document)
    result = allocate(problem, "fair", min_group_count=10).document(problem)
    few, many = result["fair"]["quotas"]
    assert few["satisfied"] is True
    assert (few["counted"], few["achieved"], few["suppressed_below"]) == (None, None, 10)
    assert many["counted"] >= 12
    assert "suppressed_below" not in many
