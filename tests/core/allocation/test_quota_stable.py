"""Base "stable" by repair: quotas met and quota-stable, by brute force; and at cohort size."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

from mobilise.core.allocation.fair import fair_matching
from mobilise.core.allocation.problem import problem_from_document
from mobilise.core.allocation.quota_model import quota_blocking_pair_mask
from mobilise.core.allocation.quota_stable import RepairsExhausted, settle_blocking_pairs
from mobilise.core.allocation.stable import stable_matching
from mobilise.core.problems import InvalidInput
from tests.core.allocation.test_fair import meets, quota_documents, quota_stable, techtrack
from tests.core.allocation.test_welfare import all_matchings, valid


@settings(max_examples=200, deadline=None)
@given(quota_documents())
def test_repair_reaches_a_quota_stable_matching_meeting_the_quotas(
    document: dict[str, Any],
) -> None:
    problem = problem_from_document(document)
    quotas = problem.quotas
    feasible = [m for m in all_matchings(problem) if meets(problem, quotas, m)]
    if not feasible:
        with pytest.raises(InvalidInput):
            fair_matching(problem, quotas, base="stable", exact=False)
        return
    candidates = [m for m in feasible if quota_stable(problem, quotas, m)]
    if not candidates:
        # Feasible quotas but no quota-stable matching: the repairs can only go round.
        with pytest.raises(InvalidInput, match="no quota-stable matching was reached"):
            fair_matching(problem, quotas, base="stable", exact=False)
        return
    result = fair_matching(problem, quotas, base="stable", exact=False)
    assert result.approach == "repair"
    assert not result.optimal
    assert valid(problem, result.assigned)
    assert meets(problem, quotas, result.assigned)
    assert quota_stable(problem, quotas, result.assigned)
    assert all(report.satisfied for report in result.quota_reports)
    again = fair_matching(problem_from_document(document), quotas, base="stable", exact=False)
    assert np.array_equal(result.assigned, again.assigned)


def test_stable_matching_that_meets_the_quotas_is_kept() -> None:
    document = techtrack()
    document["constraints"]["quotas"][0]["min_share"] = 0
    problem = problem_from_document(document)
    result = fair_matching(problem, problem.quotas, base="stable", exact=False)
    assert np.array_equal(result.assigned, stable_matching(problem))
    assert result.rounds == 1


def test_the_worked_example_by_repair() -> None:
    problem = problem_from_document(techtrack())
    result = fair_matching(problem, problem.quotas, base="stable", exact=False)
    assert meets(problem, problem.quotas, result.assigned)
    assert not quota_blocking_pair_mask(problem, problem.quotas, result.assigned).any()
    assert result.as_dict()["approach"] == "repair"


def test_the_repair_limit_stops_and_says_so() -> None:
    problem = problem_from_document(techtrack())
    nobody = np.full(problem.applicants, -1, dtype=np.int64)
    with pytest.raises(RepairsExhausted, match="1 repairs"):
        settle_blocking_pairs(problem, (), nobody, limit=1)


def cohort(applicants: int, opportunities: int, seed: int) -> dict[str, Any]:
    """A TechTrack-like cohort: common merit order, London over-represented at the top."""
    rng = np.random.default_rng(seed)
    regions = rng.choice(["London", "Wales", "North West"], applicants, p=[0.6, 0.2, 0.2])
    groups = rng.choice(["u", "o"], applicants, p=[0.15, 0.85])
    merit = rng.normal(size=applicants) + (regions == "London") * 0.8
    ids = [f"a{i}" for i in range(applicants)]
    opps = [f"o{j}" for j in range(opportunities)]
    prefs = [list(rng.permutation(opps)[: rng.integers(1, 6)]) for _ in ids]
    ranking = [ids[i] for i in np.argsort(-merit)]
    return {
        "applicants": [
            {"id": a, "preferences": p, "attributes": {"region": r, "group": g}}
            for a, p, r, g in zip(ids, prefs, regions, groups, strict=True)
        ],
        "opportunities": [
            {"id": o, "capacity": int(rng.integers(1, 4)), "ranking": ranking} for o in opps
        ],
        "constraints": {
            "quotas": [
                {"id": "out", "attribute": "region", "not_values": ["London"], "min_share": 0.5},
                {"id": "u", "attribute": "group", "values": ["u"], "min_share": 0.2},
            ]
        },
    }


@pytest.mark.parametrize("seed", range(3))
def test_cohort_sized_problems_are_solved_by_repair(seed: int) -> None:
    problem = problem_from_document(cohort(300, 30, seed))
    assert len(problem.pref_opp) > 60  # beyond the exact search
    result = fair_matching(problem, problem.quotas, base="stable", seed=seed)
    assert result.approach == "repair"
    assert all(report.satisfied for report in result.quota_reports)
    assert not quota_blocking_pair_mask(problem, problem.quotas, result.assigned).any()
    # The stable matching without quotas misses one here: the quotas bind.
    assert any(report.unconstrained < report.target for report in result.quota_reports)
