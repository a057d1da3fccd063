"""An allocation problem as arrays: applicants' preferences and opportunities' rankings (CSR).

Preferences and rankings are strict lists, best first. An applicant missing from an opportunity's
ranking is unacceptable to it; a preference for such an opportunity is an error, not silently
dropped, because it almost always means the two lists were built from different data.

An opportunity may score its applicants instead of (or as well as) ranking them. Without a ranking,
the scores give it: higher is better, and equal scores keep the applicants' order in the file, so
the same document always gives the same ranking. Every preference edge carries a fit
(`pref_score`): the opportunity's score of the applicant, or, for an opportunity that gives no
scores, (n - r) / n for the applicant it ranks r-th (0-based) of n, so the best ranked scores 1.

Quotas (the `fair` method's constraints) are parsed here into `Quota` values; see `quotas.py`
for their meaning and `problem_from_document` for the JSON form.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit

from mobilise.core.allocation.quotas import Quota, parse_constraints
from mobilise.core.problems import InvalidInput, Problem

IntArray = npt.NDArray[np.int64]
# Markers _rank_edges leaves on a preference edge it cannot rank.
UNRANKED = -1
DUPLICATE = -2
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class AllocationProblem:
    """Integer-indexed problem. Edge e of applicant a lies in pref_ptr[a]:pref_ptr[a+1]."""

    applicant_ids: tuple[str, ...]
    opportunity_ids: tuple[str, ...]
    capacity: IntArray
    pref_ptr: IntArray
    pref_opp: IntArray
    # The opportunity's rank (0 = best) of the applicant on each preference edge.
    pref_rank: IntArray
    rank_ptr: IntArray
    rank_app: IntArray
    applicant_attributes: tuple[Mapping[str, Any], ...] = field(default=())
    opportunity_attributes: tuple[Mapping[str, Any], ...] = field(default=())
    # The fit of each preference edge, higher is better (see the module docstring); left empty,
    # it is derived from the ranks.
    pref_score: FloatArray = field(default_factory=lambda: np.empty(0, dtype=np.float64))
    quotas: tuple[Quota, ...] = field(default=())

    def __post_init__(self) -> None:
        if len(self.pref_score) != len(self.pref_opp):
            # A frozen dataclass: the derived default is set once, here.
            object.__setattr__(
                self, "pref_score", rank_fit(self.pref_opp, self.pref_rank, self.rank_ptr)
            )

    @property
    def applicants(self) -> int:
        return len(self.applicant_ids)

    @property
    def opportunities(self) -> int:
        return len(self.opportunity_ids)

    def preferences_of(self, applicant: int) -> IntArray:
        return self.pref_opp[self.pref_ptr[applicant] : self.pref_ptr[applicant + 1]]

    def ranking_of(self, opportunity: int) -> IntArray:
        return self.rank_app[self.rank_ptr[opportunity] : self.rank_ptr[opportunity + 1]]


def rank_fit(pref_opp: IntArray, pref_rank: IntArray, rank_ptr: IntArray) -> FloatArray:
    """(n - r) / n for an applicant ranked r-th (0-based) of n: 1 for the best, above 0 for all."""
    n = np.diff(rank_ptr)[pref_opp].astype(np.float64)
    return (n - pref_rank) / np.maximum(n, 1.0)


def _csr(lists: Sequence[Sequence[int]]) -> tuple[IntArray, IntArray]:
    lengths = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    flat = np.fromiter((v for x in lists for v in x), dtype=np.int64, count=int(ptr[-1]))
    return ptr, flat


@njit(cache=True, nogil=True)
def _rank_edges(
    pref_ptr: IntArray, pref_opp: IntArray, rank_ptr: IntArray, rank_app: IntArray, n_opp: int
) -> IntArray:  # pragma: no cover - compiled; exercised through problem_from_arrays
    """Each preference edge's rank in its opportunity's list, or -1: O(edges), no sorting.

    Edges are bucketed by opportunity (a counting sort); then, one opportunity at a time, a
    scratch array maps its ranked applicants to their positions, stamped to skip resetting it.
    """
    n_app = pref_ptr.shape[0] - 1
    n_edges = pref_opp.shape[0]
    bucket_ptr = np.zeros(n_opp + 1, dtype=np.int64)
    for e in range(n_edges):
        bucket_ptr[pref_opp[e] + 1] += 1
    for o in range(n_opp):
        bucket_ptr[o + 1] += bucket_ptr[o]
    fill = bucket_ptr[:-1].copy()
    bucket_edge = np.empty(n_edges, dtype=np.int64)
    bucket_app = np.empty(n_edges, dtype=np.int64)
    for a in range(n_app):
        for e in range(pref_ptr[a], pref_ptr[a + 1]):
            o = pref_opp[e]
            bucket_edge[fill[o]] = e
            bucket_app[fill[o]] = a
            fill[o] += 1
    position = np.empty(n_app, dtype=np.int64)
    stamp = np.full(n_app, -1, dtype=np.int64)
    seen = np.full(n_app, -1, dtype=np.int64)
    rank = np.full(n_edges, UNRANKED, dtype=np.int64)
    for o in range(n_opp):
        for i in range(rank_ptr[o], rank_ptr[o + 1]):
            a = rank_app[i]
            stamp[a] = o
            position[a] = i - rank_ptr[o]
        for j in range(bucket_ptr[o], bucket_ptr[o + 1]):
            a = bucket_app[j]
            if seen[a] == o:
                # The applicant listed this opportunity twice: a strict list may not.
                rank[bucket_edge[j]] = DUPLICATE
                continue
            seen[a] = o
            if stamp[a] == o:
                rank[bucket_edge[j]] = position[a]
    return rank


def problem_from_arrays(
    applicant_ids: Sequence[str],
    opportunity_ids: Sequence[str],
    capacity: Sequence[int] | IntArray,
    pref_ptr: IntArray,
    pref_opp: IntArray,
    rank_ptr: IntArray,
    rank_app: IntArray,
    *,
    applicant_attributes: Sequence[Mapping[str, Any]] = (),
    opportunity_attributes: Sequence[Mapping[str, Any]] = (),
    rank_score: FloatArray | None = None,
    quotas: Sequence[Quota] = (),
) -> AllocationProblem:
    """A problem from CSR arrays; raises InvalidInput for a preference no ranking answers.

    `rank_score`, aligned with `rank_app`, is each opportunity's score of the applicant it ranks
    there; NaN marks an opportunity that gives no scores (its fits are derived from ranks).
    """
    n_app, n_opp = len(applicant_ids), len(opportunity_ids)
    cap = np.asarray(capacity, dtype=np.int64)
    pref_ptr = np.asarray(pref_ptr, dtype=np.int64)
    pref_opp = np.asarray(pref_opp, dtype=np.int64)
    rank_ptr = np.asarray(rank_ptr, dtype=np.int64)
    rank_app = np.asarray(rank_app, dtype=np.int64)
    pref_rank = _rank_edges(pref_ptr, pref_opp, rank_ptr, rank_app, n_opp)
    broken = np.flatnonzero(pref_rank < 0)
    if len(broken):
        pref_app = np.repeat(np.arange(n_app, dtype=np.int64), np.diff(pref_ptr))
        rules = {
            UNRANKED: "prefers an opportunity that does not rank them",
            DUPLICATE: "lists this opportunity twice: a list must be strict",
        }
        raise InvalidInput(
            Problem(
                "problem",
                None,
                f"applicants[{int(pref_app[e])}].preferences",
                opportunity_ids[int(pref_opp[e])],
                f"applicant {applicant_ids[int(pref_app[e])]!r} {rules[int(pref_rank[e])]}",
            )
            for e in broken[:50]
        )
    pref_score = rank_fit(pref_opp, pref_rank, rank_ptr)
    if rank_score is not None:
        scored = np.asarray(rank_score, dtype=np.float64)[rank_ptr[pref_opp] + pref_rank]
        given = ~np.isnan(scored)
        pref_score[given] = scored[given]
    return AllocationProblem(
        applicant_ids=tuple(applicant_ids),
        opportunity_ids=tuple(opportunity_ids),
        capacity=cap,
        pref_ptr=pref_ptr,
        pref_opp=pref_opp,
        pref_rank=pref_rank,
        rank_ptr=rank_ptr,
        rank_app=rank_app,
        applicant_attributes=tuple(applicant_attributes),
        opportunity_attributes=tuple(opportunity_attributes),
        pref_score=pref_score,
        quotas=tuple(quotas),
    )


def problem_from_document(document: Any) -> AllocationProblem:
    """Validate a PROBLEM.json document (docs/allocation.md) and index it, naming every problem."""
    problems: list[Problem] = []

    def fail(column: str, value: Any, rule: str) -> None:
        problems.append(
            Problem("problem", None, column, None if value is None else str(value), rule)
        )

    if not isinstance(document, Mapping):
        raise InvalidInput([Problem("problem", None, None, None, "must be a JSON object")])
    applicants = document.get("applicants")
    opportunities = document.get("opportunities")
    if not isinstance(applicants, list):
        fail("applicants", None, "is required and must be a list")
    if not isinstance(opportunities, list):
        fail("opportunities", None, "is required and must be a list")
    if problems:
        raise InvalidInput(problems)
    assert isinstance(applicants, list)
    assert isinstance(opportunities, list)

    def ids(items: list[Any], kind: str) -> list[str]:
        seen: dict[str, int] = {}
        out: list[str] = []
        for i, item in enumerate(items):
            where = f"{kind}[{i}]"
            if not isinstance(item, Mapping):
                fail(where, None, "must be an object")
                out.append("")
                continue
            ident = item.get("id")
            if not isinstance(ident, str) or not ident:
                fail(f"{where}.id", ident, "is required and must be a non-empty string")
                out.append("")
                continue
            if ident in seen:
                fail(f"{where}.id", ident, f"duplicate id: already used by {kind}[{seen[ident]}]")
            seen[ident] = i
            out.append(ident)
        return out

    app_ids = ids(applicants, "applicants")
    opp_ids = ids(opportunities, "opportunities")
    if problems:
        raise InvalidInput(problems)
    app_index = {a: i for i, a in enumerate(app_ids)}
    opp_index = {o: i for i, o in enumerate(opp_ids)}

    def id_list(value: Any, where: str, index: Mapping[str, int], kind: str) -> list[int]:
        if not isinstance(value, list):
            fail(where, None, "must be a list of ids")
            return []
        out: list[int] = []
        seen: set[str] = set()
        for j, ident in enumerate(value):
            if not isinstance(ident, str) or ident not in index:
                fail(f"{where}[{j}]", ident, f"refers to no {kind}")
                continue
            if ident in seen:
                fail(f"{where}[{j}]", ident, "appears twice: a list must be strict")
                continue
            seen.add(ident)
            out.append(index[ident])
        return out

    prefs = [
        id_list(a.get("preferences"), f"applicants[{i}].preferences", opp_index, "opportunity")
        for i, a in enumerate(applicants)
    ]
    rankings: list[list[int]] = []
    scores: list[list[float] | None] = []
    capacity: list[int] = []
    for i, o in enumerate(opportunities):
        cap = o.get("capacity")
        if isinstance(cap, bool) or not isinstance(cap, int) or cap < 0:
            fail(f"opportunities[{i}].capacity", cap, "must be a whole number of 0 or more")
            cap = 0
        capacity.append(cap)
        ranking, score = _ranking_and_scores(
            o, f"opportunities[{i}]", app_ids, app_index, id_list, fail
        )
        rankings.append(ranking)
        scores.append(score)
    for kind, items in (("applicants", applicants), ("opportunities", opportunities)):
        for i, item in enumerate(items):
            attributes = item.get("attributes", {})
            if not isinstance(attributes, Mapping):
                fail(f"{kind}[{i}].attributes", None, "must be an object")
    quotas = parse_constraints(document.get("constraints"), opp_index, problems)
    if problems:
        raise InvalidInput(problems)
    pref_ptr, pref_opp = _csr(prefs)
    rank_ptr, rank_app = _csr(rankings)
    rank_score = None
    if any(score is not None for score in scores):
        rank_score = np.fromiter(
            (
                v
                for ranking, score in zip(rankings, scores, strict=True)
                for v in (score if score is not None else [math.nan] * len(ranking))
            ),
            dtype=np.float64,
            count=len(rank_app),
        )
    return problem_from_arrays(
        app_ids,
        opp_ids,
        capacity,
        pref_ptr,
        pref_opp,
        rank_ptr,
        rank_app,
        applicant_attributes=[dict(a.get("attributes", {})) for a in applicants],
        opportunity_attributes=[dict(o.get("attributes", {})) for o in opportunities],
        rank_score=rank_score,
        quotas=quotas,
    )


# The document parser's closures: read a strict list of ids; record a problem.
IdList = Callable[[Any, str, Mapping[str, int], str], list[int]]
Fail = Callable[[str, Any, str], None]


def _ranking_and_scores(
    opportunity: Mapping[str, Any],
    where: str,
    app_ids: Sequence[str],
    app_index: Mapping[str, int],
    id_list: IdList,
    fail: Fail,
) -> tuple[list[int], list[float] | None]:
    """The opportunity's ranking (given, or derived from its scores) and the scores in that order.

    A derived ranking sorts by score, highest first; equal scores keep the applicants' file order.
    With both a ranking and scores, they must name the same applicants; the ranking decides order.
    """
    raw_scores = opportunity.get("scores")
    has_ranking = "ranking" in opportunity
    if raw_scores is None:
        return id_list(opportunity.get("ranking"), f"{where}.ranking", app_index, "applicant"), None
    if not isinstance(raw_scores, Mapping):
        fail(f"{where}.scores", None, "must be an object of applicant id to number")
        return [], None
    scored: dict[int, float] = {}
    for ident, value in raw_scores.items():
        if ident not in app_index:
            fail(f"{where}.scores", ident, "refers to no applicant")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            fail(f"{where}.scores.{ident}", value, "must be a number")
        elif not math.isfinite(value):
            fail(f"{where}.scores.{ident}", value, "must be a finite number")
        else:
            scored[app_index[ident]] = float(value)
    if not has_ranking:
        ranking = sorted(scored, key=lambda a: (-scored[a], a))
        return ranking, [scored[a] for a in ranking]
    ranking = id_list(opportunity.get("ranking"), f"{where}.ranking", app_index, "applicant")
    ranked = set(ranking)
    for a in ranking:
        if app_ids[a] not in raw_scores:
            fail(f"{where}.scores", app_ids[a], "has no score but is in the ranking")
    for a in sorted(set(scored) - ranked):
        fail(f"{where}.scores", app_ids[a], "is scored but not in the ranking")
    return ranking, [scored.get(a, math.nan) for a in ranking]
