"""The fair method: quotas met, optimal and quota-stable by brute force, infeasibility named."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mobilise.core.allocation.fair import fair_matching
from mobilise.core.allocation.problem import AllocationProblem, IntArray, problem_from_document
from mobilise.core.allocation.quota_model import quota_blocking_pair_mask
from mobilise.core.allocation.quotas import Quota
from mobilise.core.allocation.stable import stable_matching
from mobilise.core.allocation.welfare import welfare_matching
from mobilise.core.problems import InvalidInput
from tests.core.allocation.strategies import REGIONS, attributed_documents
from tests.core.allocation.test_welfare import all_matchings, integer_value, valid


@st.composite
def quota_items(draw: st.DrawFn, opportunities: list[str]) -> list[dict[str, Any]]:
    items = []
    for i in range(draw(st.integers(1, 2))):
        attribute = draw(st.sampled_from(("region", "group")))
        pool = REGIONS if attribute == "region" else ("g1", "g2")
        item: dict[str, Any] = {
            "id": f"q{i}",
            "attribute": attribute,
            draw(st.sampled_from(("values", "not_values"))): [draw(st.sampled_from(pool))],
        }
        bound = draw(st.sampled_from(("min_count", "max_count", "min_share", "max_share")))
        item[bound] = (
            draw(st.integers(0, 3))
            if "count" in bound
            else draw(st.sampled_from((0, 0.25, 0.5, 0.6, 1)))
        )
        if draw(st.booleans()):
            item["opportunities"] = draw(
                st.lists(st.sampled_from(opportunities), min_size=1, unique=True)
            )
        items.append(item)
    return items


@st.composite
def quota_documents(draw: st.DrawFn) -> dict[str, Any]:
    document = draw(attributed_documents(max_applicants=5, max_opportunities=3))
    opportunities = [o["id"] for o in document["opportunities"]]
    document["constraints"] = {"quotas": draw(quota_items(opportunities))}
    return document


# An independent, literal reading of the definitions, for brute force.


def meets(problem: AllocationProblem, quotas: tuple[Quota, ...], assigned: IntArray) -> bool:
    for quota in quotas:
        members = quota.members(problem.applicant_attributes, problem.applicants)
        scope = (
            set(range(problem.opportunities))
            if quota.opportunities is None
            else set(quota.opportunities)
        )
        placed = [a for a, o in enumerate(assigned.tolist()) if o in scope]
        if not quota.satisfied(sum(1 for a in placed if members[a]), len(placed)):
            return False
    return True


def rank_at(problem: AllocationProblem, o: int, a: int) -> int:
    return problem.ranking_of(o).tolist().index(a)


def blocking_pairs(problem: AllocationProblem, assigned: IntArray) -> list[tuple[int, int]]:
    pairs = []
    for a in range(problem.applicants):
        prefs = problem.preferences_of(a).tolist()
        mine = prefs.index(assigned[a]) if assigned[a] >= 0 else len(prefs)
        for o in prefs[:mine]:
            holders = [b for b in range(problem.applicants) if assigned[b] == o]
            room = len(holders) < problem.capacity[o]
            if problem.capacity[o] > 0 and (
                room or any(rank_at(problem, o, b) > rank_at(problem, o, a) for b in holders)
            ):
                pairs.append((a, o))
    return pairs


def repaired(problem: AllocationProblem, assigned: IntArray, a: int, o: int) -> IntArray:
    out = assigned.copy()
    holders = [b for b in range(problem.applicants) if assigned[b] == o]
    if len(holders) >= problem.capacity[o]:
        out[max(holders, key=lambda b: rank_at(problem, o, b))] = -1
    out[a] = o
    return out


def quota_stable(problem: AllocationProblem, quotas: tuple[Quota, ...], assigned: IntArray) -> bool:
    return not any(
        meets(problem, quotas, repaired(problem, assigned, a, o))
        for a, o in blocking_pairs(problem, assigned)
    )


@settings(max_examples=120, deadline=None)
@given(quota_documents())
def test_welfare_base_is_optimal_among_matchings_meeting_the_quotas(
    document: dict[str, Any],
) -> None:
    problem = problem_from_document(document)
    feasible = [m for m in all_matchings(problem) if meets(problem, problem.quotas, m)]
    if not feasible:
        with pytest.raises(InvalidInput):
            fair_matching(problem, problem.quotas)
        return
    result = fair_matching(problem, problem.quotas)
    assert valid(problem, result.assigned)
    assert meets(problem, problem.quotas, result.assigned)
    assert all(report.satisfied for report in result.quota_reports)
    best = min(integer_value(problem, m, "rank") for m in feasible)
    assert integer_value(problem, result.assigned, "rank") == best
    # Quotas never help: the unconstrained optimum is at least as good.
    assert not result.value.better_than(result.unconstrained)


@settings(max_examples=120, deadline=None)
@given(quota_documents())
def test_stable_base_is_quota_stable_and_best_among_those(document: dict[str, Any]) -> None:
    problem = problem_from_document(document)
    candidates = [
        m
        for m in all_matchings(problem)
        if meets(problem, problem.quotas, m) and quota_stable(problem, problem.quotas, m)
    ]
    if not candidates:
        with pytest.raises(InvalidInput):
            fair_matching(problem, problem.quotas, base="stable")
        return
    result = fair_matching(problem, problem.quotas, base="stable", seed=7)
    assert meets(problem, problem.quotas, result.assigned)
    assert quota_stable(problem, problem.quotas, result.assigned)
    best = min(integer_value(problem, m, "rank") for m in candidates)
    assert integer_value(problem, result.assigned, "rank") == best
    again = fair_matching(problem_from_document(document), problem.quotas, base="stable", seed=7)
    assert np.array_equal(result.assigned, again.assigned)


@settings(max_examples=150, deadline=None)
@given(quota_documents(), st.data())
def test_quota_blocking_pairs_match_the_definition(
    document: dict[str, Any], data: st.DataObject
) -> None:
    problem = problem_from_document(document)
    assigned = data.draw(st.sampled_from(all_matchings(problem)))
    mask = quota_blocking_pair_mask(problem, problem.quotas, assigned)
    app = np.repeat(np.arange(problem.applicants), np.diff(problem.pref_ptr))
    found = {(int(app[e]), int(problem.pref_opp[e])) for e in np.flatnonzero(mask)}
    expected = {
        (a, o)
        for a, o in blocking_pairs(problem, assigned)
        if meets(problem, problem.quotas, repaired(problem, assigned, a, o))
    }
    assert found == expected


@settings(max_examples=80, deadline=None)
@given(attributed_documents())
def test_quotas_that_never_bind_change_nothing(document: dict[str, Any]) -> None:
    document["constraints"] = {
        "quotas": [
            {"id": "any", "attribute": "region", "values": ["London"], "max_share": 1},
            {"id": "none", "attribute": "group", "values": ["g1"], "min_count": 0},
        ]
    }
    problem = problem_from_document(document)
    welfare = fair_matching(problem, problem.quotas)
    assert np.array_equal(welfare.assigned, welfare_matching(problem))
    assert welfare.placed_cost == 0
    assert welfare.total_cost == 0
    # Such quotas can never break a repair, so quota-stable is plain stable, and the best stable
    # matching for applicants is the applicant-optimal one.
    stable = fair_matching(problem, problem.quotas, base="stable")
    assert np.array_equal(stable.assigned, stable_matching(problem))


def techtrack() -> dict[str, Any]:
    # Four London applicants rank above two from elsewhere everywhere; 3 places.
    applicants = [
        {"id": f"l{i}", "preferences": ["cyber", "data"], "attributes": {"region": "London"}}
        for i in range(4)
    ] + [
        {"id": f"n{i}", "preferences": ["data", "cyber"], "attributes": {"region": "Wales"}}
        for i in range(2)
    ]
    ranking = [a["id"] for a in applicants]
    return {
        "applicants": applicants,
        "opportunities": [
            {"id": "cyber", "capacity": 2, "ranking": ranking},
            {"id": "data", "capacity": 1, "ranking": ranking},
        ],
        "constraints": {
            "quotas": [
                {
                    "id": "outside-london",
                    "attribute": "region",
                    "not_values": ["London"],
                    "min_share": 0.6,
                }
            ]
        },
    }


def test_a_worked_example_reports_each_quota_and_its_cost() -> None:
    problem = problem_from_document(techtrack())
    assert stable_matching(problem).tolist() == [0, 0, 1, -1, -1, -1]
    result = fair_matching(problem, problem.quotas, base="stable")
    # 60% of 3 places means both Wales applicants and one Londoner. Londoners ranked above the
    # one placed still block, but each repair would drop a Wales applicant and break the quota.
    placed = [problem.applicant_ids[a] for a in np.flatnonzero(result.assigned >= 0)]
    assert placed[1:] == ["n0", "n1"]
    assert placed[0].startswith("l")
    assert result.assigned[4] == 1  # n0 gets her first choice, data
    assert not quota_blocking_pair_mask(problem, problem.quotas, result.assigned).any()
    (report,) = result.quota_reports
    assert report.as_dict() == {
        "id": "outside-london",
        "bound": "min_share",
        "target": 0.6,
        "achieved": round(2 / 3, 6),
        "counted": 2,
        "placed": 3,
        "satisfied": True,
        "unconstrained": 0.0,
    }
    assert result.placed_cost == 0
    cost = result.as_dict()["welfare_cost"]
    assert cost["matched_with_quotas"] == cost["matched_without_quotas"] == 3


def test_a_minimum_count_no_one_can_meet_is_named() -> None:
    document = techtrack()
    document["constraints"]["quotas"] = [
        {"id": "wales-3", "attribute": "region", "values": ["Wales"], "min_count": 3}
    ]
    problem = problem_from_document(document)
    with pytest.raises(InvalidInput) as raised:
        fair_matching(problem, problem.quotas)
    (problem_,) = raised.value.problems
    assert problem_.column == "quotas.wales-3"
    assert "at most 2 of its group can be placed" in problem_.rule


def test_quotas_that_conflict_are_named_and_the_innocent_one_is_not() -> None:
    document = techtrack()
    document["constraints"]["quotas"] = [
        {"id": "harmless", "attribute": "region", "values": ["London"], "max_count": 3},
        {"id": "wales-2", "attribute": "region", "values": ["Wales"], "min_count": 2},
        {"id": "wales-cap", "attribute": "region", "values": ["Wales"], "max_share": 0.5},
        {"id": "placed-3", "attribute": "region", "values": ["Wales"], "min_count": 0},
    ]
    problem = problem_from_document(document)
    with pytest.raises(InvalidInput) as raised:
        fair_matching(problem, problem.quotas)
    assert [p.column for p in raised.value.problems] == ["quotas.wales-2", "quotas.wales-cap"]
    assert (
        raised.value.problems[0].rule
        == "quotas 'wales-2', 'wales-cap' cannot all be met by any matching"
    )


def test_unknown_base() -> None:
    problem = problem_from_document(techtrack())
    with pytest.raises(ValueError, match="unknown base"):
        fair_matching(problem, problem.quotas, base="random")  # type: ignore[arg-type]
