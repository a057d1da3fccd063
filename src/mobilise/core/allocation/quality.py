"""Exact quality measures of a matching: blocking pairs, ranks, fill."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mobilise.core.allocation.problem import AllocationProblem, IntArray


def preference_position(problem: AllocationProblem, assigned: IntArray) -> IntArray:
    """Each applicant's 0-based position of their match in their list; its length if unmatched."""
    lengths = np.diff(problem.pref_ptr)
    position = lengths.copy()
    app = np.repeat(np.arange(problem.applicants, dtype=np.int64), lengths)
    hit = problem.pref_opp == assigned[app]
    position[app[hit]] = np.arange(len(problem.pref_opp))[hit] - problem.pref_ptr[app[hit]]
    return position


def worst_held_rank(problem: AllocationProblem, assigned: IntArray) -> tuple[IntArray, IntArray]:
    """Per opportunity: how many it holds, and its rank of the worst one held (-1 if none)."""
    lengths = np.diff(problem.pref_ptr)
    app = np.repeat(np.arange(problem.applicants, dtype=np.int64), lengths)
    held = problem.pref_opp == assigned[app]
    filled = np.bincount(problem.pref_opp[held], minlength=problem.opportunities).astype(np.int64)
    worst = np.full(problem.opportunities, -1, dtype=np.int64)
    np.maximum.at(worst, problem.pref_opp[held], problem.pref_rank[held])
    return filled, worst


def blocking_pair_mask(problem: AllocationProblem, assigned: IntArray) -> np.ndarray:
    """True on each preference edge (a, o) that blocks: both would rather have each other."""
    lengths = np.diff(problem.pref_ptr)
    app = np.repeat(np.arange(problem.applicants, dtype=np.int64), lengths)
    edge_position = np.arange(len(problem.pref_opp)) - problem.pref_ptr[app]
    applicant_wants = edge_position < preference_position(problem, assigned)[app]
    filled, worst = worst_held_rank(problem, assigned)
    o = problem.pref_opp
    opportunity_wants = (filled[o] < problem.capacity[o]) | (problem.pref_rank < worst[o])
    return applicant_wants & opportunity_wants & (problem.capacity[o] > 0)


@dataclass(frozen=True)
class MatchingQuality:
    blocking_pairs: int
    matched: int
    first_choice: int
    mean_rank: float
    fill_rate: float
    match_rate: float


def measure(problem: AllocationProblem, assigned: IntArray) -> MatchingQuality:
    matched_mask = assigned >= 0
    matched = int(matched_mask.sum())
    positions = preference_position(problem, assigned)[matched_mask]
    places = int(problem.capacity.sum())
    return MatchingQuality(
        blocking_pairs=int(blocking_pair_mask(problem, assigned).sum()),
        matched=matched,
        first_choice=int((positions == 0).sum()),
        mean_rank=float(positions.mean() + 1) if matched else 0.0,
        fill_rate=matched / places if places else 0.0,
        match_rate=matched / problem.applicants if problem.applicants else 0.0,
    )
