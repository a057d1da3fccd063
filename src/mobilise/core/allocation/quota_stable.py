"""Quota-stability at cohort size: repair blocking pairs while every quota keeps holding.

DESIGN.md's stability notion for quotas: no blocking pair whose repair keeps every quota
satisfied, where repairing (a, o) moves a to o and, when o is full, drops the applicant o ranks
lowest among those it holds. Searching all matchings for the best such one (fair.py's exact
CP-SAT path) only works for a few dozen applicants. This module reaches one such matching for
thousands:

1. start from a matching that meets every quota (the caller's: the applicant-optimal stable
   matching when it already meets them, else the best matching meeting them);
2. repair quota-respecting blocking pairs, one at a time, each applicant taking the best
   opportunity it can repair with (deferred acceptance's move, restricted to repairs that keep
   the quotas), in index order, until none is left.

Every repair keeps every quota by definition, so the quotas hold throughout; and the loop only
stops when no quota-respecting blocking pair is left, which is exactly the stability notion. A
repair always helps the applicant who moves and the opportunity (it gets someone it ranks higher
or fills a place), but the dropped applicant loses their place, so such chains can in principle
cycle, as blocking-pair dynamics can without quotas (Knuth); the loop stops after `limit` repairs
and says so. Deterministic: no randomness, and applicants and edges are taken in index order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mobilise.core.allocation.problem import AllocationProblem, IntArray
from mobilise.core.allocation.quality import blocking_pair_mask
from mobilise.core.allocation.quotas import Quota

BoolArray = npt.NDArray[np.bool_]


class RepairsExhausted(Exception):
    """The repair limit ran out with quota-respecting blocking pairs still left."""


@dataclass(frozen=True)
class Settled:
    assigned: IntArray
    repairs: int
    sweeps: int


class _Tally:
    """A matching with each quota's counts and each opportunity's holders, kept as repairs go."""

    def __init__(
        self, problem: AllocationProblem, quotas: Sequence[Quota], assigned: IntArray
    ) -> None:
        self.problem = problem
        self.quotas = tuple(quotas)
        self.assigned = assigned.copy()
        n_app, n_opp = problem.applicants, problem.opportunities
        self.members = [q.members(problem.applicant_attributes, n_app) for q in self.quotas]
        self.scopes = [q.scope(n_opp) for q in self.quotas]
        self.holders: list[dict[int, int]] = [{} for _ in range(n_opp)]  # applicant -> rank
        app = np.repeat(np.arange(n_app, dtype=np.int64), np.diff(problem.pref_ptr))
        held = np.flatnonzero(problem.pref_opp == self.assigned[app])
        for e in held.tolist():
            self.holders[int(problem.pref_opp[e])][int(app[e])] = int(problem.pref_rank[e])
        placed = self.assigned >= 0
        self.counted: list[int] = []
        self.placed: list[int] = []
        for members, scope in zip(self.members, self.scopes, strict=True):
            inside = np.zeros(n_app, dtype=np.bool_)
            inside[placed] = scope[self.assigned[placed]]
            self.counted.append(int((inside & members).sum()))
            self.placed.append(int(inside.sum()))

    def lowest_held(self, o: int) -> int:
        """The applicant o ranks lowest among those it holds (o holds someone)."""
        held = self.holders[o]
        return max(held, key=held.__getitem__)

    def blocks(self, a: int, o: int, rank: int) -> bool:
        """(a, o) blocks, given a would rather have o (the caller's edge order says so)."""
        capacity = int(self.problem.capacity[o])
        held = self.holders[o]
        return capacity > 0 and (len(held) < capacity or rank < max(held.values()))

    def repair_keeps_quotas(self, a: int, o: int) -> bool:
        """Moving a to o (dropping o's lowest held if full) leaves every quota satisfied."""
        current = int(self.assigned[a])
        full = len(self.holders[o]) >= self.problem.capacity[o]
        dropped = self.lowest_held(o) if full else -1
        for q, quota in enumerate(self.quotas):
            scope, members = self.scopes[q], self.members[q]
            counted, placed = self.counted[q], self.placed[q]
            if current >= 0 and scope[current]:
                placed -= 1
                counted -= int(members[a])
            if scope[o]:
                placed += 1
                counted += int(members[a])
                if dropped >= 0:
                    placed -= 1
                    counted -= int(members[dropped])
            if not quota.satisfied(counted, placed):
                return False
        return True

    def repair(self, a: int, o: int, rank: int) -> None:
        full = len(self.holders[o]) >= self.problem.capacity[o]
        if full:
            self._leave(self.lowest_held(o))
        self._leave(a)
        self.holders[o][a] = rank
        self.assigned[a] = o
        for q in range(len(self.quotas)):
            if self.scopes[q][o]:
                self.placed[q] += 1
                self.counted[q] += int(self.members[q][a])

    def _leave(self, a: int) -> None:
        current = int(self.assigned[a])
        if current < 0:
            return
        del self.holders[current][a]
        self.assigned[a] = -1
        for q in range(len(self.quotas)):
            if self.scopes[q][current]:
                self.placed[q] -= 1
                self.counted[q] -= int(self.members[q][a])


def settle_blocking_pairs(
    problem: AllocationProblem, quotas: Sequence[Quota], assigned: IntArray, limit: int
) -> Settled:
    """Repair quota-respecting blocking pairs of `assigned` (which meets every quota) until none
    is left; raises RepairsExhausted after `limit` repairs."""
    tally = _Tally(problem, quotas, assigned)
    app = np.repeat(np.arange(problem.applicants, dtype=np.int64), np.diff(problem.pref_ptr))
    repairs = sweeps = 0
    while True:
        sweeps += 1
        # Candidates from the plain blocking pairs at the start of the sweep; each is checked
        # again against the matching as it is when its turn comes.
        candidates = np.flatnonzero(blocking_pair_mask(problem, tally.assigned))
        repaired = 0
        done: set[int] = set()
        for e in candidates.tolist():
            a = int(app[e])
            if a in done:
                continue
            lo = int(problem.pref_ptr[a])
            current = int(tally.assigned[a])
            for f in range(lo, int(problem.pref_ptr[a + 1])):
                o = int(problem.pref_opp[f])
                if o == current:
                    break  # only opportunities a would rather have
                rank = int(problem.pref_rank[f])
                if tally.blocks(a, o, rank) and tally.repair_keeps_quotas(a, o):
                    tally.repair(a, o, rank)
                    done.add(a)
                    repaired += 1
                    repairs += 1
                    break
            if repairs >= limit:
                raise RepairsExhausted(
                    f"{repairs:,} repairs in {sweeps} sweeps left quota-respecting blocking pairs"
                )
        if repaired == 0:
            return Settled(tally.assigned, repairs, sweeps)
