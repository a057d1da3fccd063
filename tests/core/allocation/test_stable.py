"""The stable method: identical to the `matching` library's resident-optimal answer, and stable."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from hypothesis import given, settings
from matching.games import HospitalResident

from mobilise.core.allocation.problem import problem_from_document
from mobilise.core.allocation.quality import blocking_pair_mask, measure
from mobilise.core.allocation.stable import stable_matching
from tests.core.allocation.strategies import problem_documents


def oracle(document: dict[str, Any]) -> dict[str, str | None]:
    resident_prefs = {a["id"]: a["preferences"] for a in document["applicants"]}
    hospital_prefs = {o["id"]: o["ranking"] for o in document["opportunities"]}
    capacities = {o["id"]: o["capacity"] for o in document["opportunities"]}
    # The library fails on zero capacities and empty lists; such players are unmatched in any
    # matching, so the oracle is asked the equivalent problem without them.
    open_places = {h for h, c in capacities.items() if c > 0}
    resident_prefs = {r: [h for h in p if h in open_places] for r, p in resident_prefs.items()}
    resident_prefs = {r: p for r, p in resident_prefs.items() if p}
    hospital_prefs = {
        h: [r for r in p if h in resident_prefs.get(r, [])]
        for h, p in hospital_prefs.items()
        if h in open_places
    }
    hospital_prefs = {h: p for h, p in hospital_prefs.items() if p}
    resident_prefs = {r: [h for h in p if h in hospital_prefs] for r, p in resident_prefs.items()}
    capacities = {h: capacities[h] for h in hospital_prefs}
    result: dict[str, str | None] = {a["id"]: None for a in document["applicants"]}
    if not resident_prefs:
        return result
    game = HospitalResident.create_from_dictionaries(
        resident_prefs, hospital_prefs, capacities, clean=True
    )
    for hospital, residents in game.solve(optimal="resident").items():
        for resident in residents:
            result[resident.name] = hospital.name
    return result


def ours(document: dict[str, Any]) -> dict[str, str | None]:
    problem = problem_from_document(document)
    assigned = stable_matching(problem)
    return {
        a: (problem.opportunity_ids[o] if o >= 0 else None)
        for a, o in zip(problem.applicant_ids, assigned.tolist(), strict=True)
    }


@settings(max_examples=300, deadline=None)
@given(problem_documents())
def test_identical_to_the_matching_library(document: dict[str, Any]) -> None:
    assert ours(document) == oracle(document)


@settings(max_examples=300, deadline=None)
@given(problem_documents())
def test_no_blocking_pairs_and_capacities_respected(document: dict[str, Any]) -> None:
    problem = problem_from_document(document)
    assigned = stable_matching(problem)
    assert not blocking_pair_mask(problem, assigned).any()
    counts = np.bincount(assigned[assigned >= 0], minlength=problem.opportunities)
    assert (counts <= problem.capacity).all()
    for a, o in enumerate(assigned.tolist()):
        if o >= 0:
            assert o in problem.preferences_of(a).tolist()
            assert a in problem.ranking_of(o).tolist()


@settings(max_examples=60, deadline=None)
@given(problem_documents(max_applicants=5, max_opportunities=3))
def test_applicant_optimal_among_all_stable_matchings_by_brute_force(
    document: dict[str, Any],
) -> None:
    problem = problem_from_document(document)
    ours_assigned = stable_matching(problem)
    choices = [[-1, *problem.preferences_of(a).tolist()] for a in range(problem.applicants)]
    for candidate in itertools.product(*choices):
        assigned = np.array(candidate, dtype=np.int64)
        counts = np.bincount(assigned[assigned >= 0], minlength=problem.opportunities)
        if (counts > problem.capacity).any() or blocking_pair_mask(problem, assigned).any():
            continue
        # Every applicant weakly prefers the applicant-optimal matching to any stable one.
        for a in range(problem.applicants):
            prefs = problem.preferences_of(a).tolist()
            mine = prefs.index(ours_assigned[a]) if ours_assigned[a] >= 0 else len(prefs)
            theirs = prefs.index(candidate[a]) if candidate[a] >= 0 else len(prefs)
            assert mine <= theirs


def test_a_worked_example_is_explained_by_its_metrics() -> None:
    document = {
        "applicants": [
            {"id": "ana", "preferences": ["dwp", "hmrc"]},
            {"id": "ben", "preferences": ["dwp"]},
            {"id": "cat", "preferences": ["dwp", "hmrc"]},
        ],
        "opportunities": [
            {"id": "dwp", "capacity": 1, "ranking": ["cat", "ben", "ana"]},
            {"id": "hmrc", "capacity": 1, "ranking": ["ana", "cat"]},
        ],
    }
    assert ours(document) == {"ana": "hmrc", "ben": None, "cat": "dwp"}
    problem = problem_from_document(document)
    quality = measure(problem, stable_matching(problem))
    assert (quality.blocking_pairs, quality.matched, quality.first_choice) == (0, 2, 1)
    assert quality.mean_rank == 1.5
