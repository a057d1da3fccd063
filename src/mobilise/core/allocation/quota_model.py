"""The CP-SAT model behind `fair`, and the quota counting it shares with the checks and reports.

One boolean per mutually acceptable pair with an open place; quotas are linear bounds on counts of
those booleans, and stability (for base "stable") is added lazily, a blocking pair at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from ortools.sat.python import cp_model

from mobilise.core.allocation.problem import AllocationProblem, IntArray
from mobilise.core.allocation.quality import blocking_pair_mask
from mobilise.core.allocation.quotas import Quota
from mobilise.core.allocation.welfare import Objective, edge_costs

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class QuotaCounts:
    """Per quota: members, opportunities in scope, members and everyone placed in scope."""

    members: BoolArray
    scope: BoolArray
    counted: int
    placed: int


def quota_counts(problem: AllocationProblem, quota: Quota, assigned: IntArray) -> QuotaCounts:
    members = quota.members(problem.applicant_attributes, problem.applicants)
    scope = quota.scope(problem.opportunities)
    placed_in = np.zeros(problem.applicants, dtype=np.bool_)
    matched = assigned >= 0
    placed_in[matched] = scope[assigned[matched]]
    return QuotaCounts(members, scope, int((placed_in & members).sum()), int(placed_in.sum()))


def quota_blocking_pair_mask(
    problem: AllocationProblem, quotas: Sequence[Quota], assigned: IntArray
) -> BoolArray:
    """True on each blocking preference edge whose repair keeps every quota satisfied."""
    blocking = blocking_pair_mask(problem, assigned)
    edges = np.flatnonzero(blocking)
    if len(edges) == 0 or not quotas:
        return blocking
    app = np.repeat(np.arange(problem.applicants, dtype=np.int64), np.diff(problem.pref_ptr))
    held = problem.pref_opp == assigned[app]
    n_opp = problem.opportunities
    filled = np.bincount(problem.pref_opp[held], minlength=n_opp)
    # The applicant each opportunity ranks lowest among those it holds: the one a repair drops.
    worst = np.full(n_opp, -1, dtype=np.int64)
    held_edges = np.flatnonzero(held)
    order = held_edges[np.lexsort((problem.pref_rank[held_edges], problem.pref_opp[held_edges]))]
    worst[problem.pref_opp[order]] = app[order]  # later (worse-ranked) writes win
    a, o = app[edges], problem.pref_opp[edges]
    full = filled[o] >= problem.capacity[o]
    current = assigned[a]
    repairable = np.ones(len(edges), dtype=np.bool_)
    for quota in quotas:
        c = quota_counts(problem, quota, assigned)
        left = (current >= 0) & c.scope[np.maximum(current, 0)]
        joins = c.scope[o]
        dropped = joins & full
        dropped_member = dropped & c.members[np.maximum(worst[o], 0)]
        as_int = np.int64
        placed = c.placed - left.astype(as_int) + joins.astype(as_int) - dropped.astype(as_int)
        counted = (
            c.counted
            - (left & c.members[a]).astype(as_int)
            + (joins & c.members[a]).astype(as_int)
            - dropped_member.astype(as_int)
        )
        repairable &= np.array(
            [quota.satisfied(int(k), int(n)) for k, n in zip(counted, placed, strict=True)],
            dtype=np.bool_,
        )
    out = np.zeros(len(blocking), dtype=np.bool_)
    out[edges[repairable]] = True
    return out


@dataclass(frozen=True)
class SolvedModel:
    assigned: IntArray | None
    rounds: int
    optimal: bool
    outcome: Literal["solved", "infeasible", "effort"]


class QuotaModel:
    """The CP-SAT model: one boolean per mutually acceptable pair with an open place."""

    def __init__(
        self,
        problem: AllocationProblem,
        quotas: Sequence[Quota],
        objective: Objective,
        optimise: bool = True,
    ) -> None:
        self.problem = problem
        self.quotas = tuple(quotas)
        model = cp_model.CpModel()
        self.model = model
        app = np.repeat(np.arange(problem.applicants, dtype=np.int64), np.diff(problem.pref_ptr))
        self.app = app
        open_edge = problem.capacity[problem.pref_opp] > 0
        self.open_edges: list[int] = np.flatnonzero(open_edge).tolist()
        self.x: list[Any] = [
            model.new_bool_var(f"x{e}") if open_edge[e] else model.new_constant(0)
            for e in range(len(app))
        ]
        x = self.x
        for a in range(problem.applicants):
            lo, hi = int(problem.pref_ptr[a]), int(problem.pref_ptr[a + 1])
            if hi - lo > 1:
                model.add_at_most_one(x[lo:hi])
        # Edges of each opportunity, best ranked first.
        by_opp = np.lexsort((problem.pref_rank, problem.pref_opp))
        bounds = np.searchsorted(problem.pref_opp[by_opp], np.arange(problem.opportunities + 1))
        self.opp_edges = [by_opp[bounds[o] : bounds[o + 1]] for o in range(problem.opportunities)]
        for o, edges in enumerate(self.opp_edges):
            if len(edges) > problem.capacity[o]:
                model.add(_sum(x[e] for e in edges) <= int(problem.capacity[o]))
        self.members: list[BoolArray] = []
        self.scopes: list[BoolArray] = []
        self.counted: list[Any] = []
        self.placed: list[Any] = []
        for quota in self.quotas:
            members = quota.members(problem.applicant_attributes, problem.applicants)
            scope = quota.scope(problem.opportunities)
            in_scope = np.flatnonzero(scope[problem.pref_opp] & open_edge)
            counted = model.new_int_var(0, len(in_scope), f"counted_{quota.id}")
            placed = model.new_int_var(0, len(in_scope), f"placed_{quota.id}")
            model.add(counted == _sum(x[e] for e in in_scope if members[app[e]]))
            model.add(placed == _sum(x[e] for e in in_scope))
            _add_bound(model, quota, counted, placed, holds=True)
            self.members.append(members)
            self.scopes.append(scope)
            self.counted.append(counted)
            self.placed.append(placed)
        if optimise:
            costs = edge_costs(problem, objective)
            worst = np.zeros(problem.applicants, dtype=np.int64)
            np.maximum.at(worst, app, costs)
            # One more placement outweighs any change in total cost: lexicographic, exactly.
            weight = int(worst.sum()) + 1
            chosen = np.flatnonzero(open_edge)
            model.maximize(
                cp_model.LinearExpr.weighted_sum(
                    [x[e] for e in chosen.tolist()], (weight - costs[chosen]).tolist()
                )
            )
        self.full: dict[int, Any] = {}
        self.worst_member: dict[tuple[int, int], Any] = {}
        self.constrained: set[int] = set()
        self.held_above: dict[int, list[Any]] = {}
        self.opp_position = np.empty(len(app), dtype=np.int64)
        for edges in self.opp_edges:
            self.opp_position[edges] = np.arange(len(edges))

    def hint(self, assigned: IntArray) -> None:
        chosen = self.problem.pref_opp == assigned[self.app]
        self.model.clear_hints()  # type: ignore[no-untyped-call]
        for e in self.open_edges:
            self.model.add_hint(self.x[e], bool(chosen[e]))

    def solve(self, seed: int, stable: bool, effort: float) -> SolvedModel:
        """Solve (adding stability lazily) within `effort` deterministic seconds in all."""
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        rounds, spent, proven = 0, 0.0, True
        while True:
            rounds += 1
            # Deterministic time, unlike wall time, is the same on every run: reproducible.
            solver.parameters.max_deterministic_time = max(effort - spent, 0.001)
            status = solver.solve(self.model)
            spent += solver.deterministic_time
            if status == cp_model.INFEASIBLE:
                return SolvedModel(None, rounds, proven, "infeasible")
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return SolvedModel(None, rounds, False, "effort")
            proven = proven and status == cp_model.OPTIMAL
            chosen = np.array([solver.value(v) for v in self.x], dtype=np.bool_)
            assigned = np.full(self.problem.applicants, -1, dtype=np.int64)
            assigned[self.app[chosen]] = self.problem.pref_opp[chosen]
            if not stable:
                return SolvedModel(assigned, rounds, proven, "solved")
            pairs = np.flatnonzero(quota_blocking_pair_mask(self.problem, self.quotas, assigned))
            if len(pairs) == 0:
                return SolvedModel(assigned, rounds, proven, "solved")
            again = [int(e) for e in pairs if int(e) in self.constrained]
            if again:  # pragma: no cover - would mean the encoding is wrong
                raise RuntimeError(f"pairs {again} block despite their stability constraints")
            self.hint(assigned)
            for e in pairs.tolist():
                self._require_stable(int(e))

    def _require_stable(self, e: int) -> None:
        """Pair e is not blocking, or repairing it would break some quota."""
        problem, model, x = self.problem, self.model, self.x
        self.constrained.add(e)
        a, o = int(self.app[e]), int(problem.pref_opp[e])
        lo = int(problem.pref_ptr[a])
        satisfied = _sum(x[f] for f in range(lo, e + 1))  # a holds o or something better
        cap = int(problem.capacity[o])
        refuses = model.new_bool_var(f"refuses{e}")
        model.add(self._held_above(o)[self.opp_position[e]] >= cap).only_enforce_if(refuses)
        breaks = []
        for q, quota in enumerate(self.quotas):
            members, scope = self.members[q], self.scopes[q]
            a_edges = range(lo, int(problem.pref_ptr[a + 1]))
            left = _sum(x[f] for f in a_edges if scope[problem.pref_opp[f]])
            joins = int(scope[o])
            if joins:
                full = self._full(o)
                placed = self.placed[q] - left + 1 - full
                counted = (
                    self.counted[q]
                    - (left if members[a] else 0)
                    + int(members[a])
                    - self._worst_member(o, q)
                )
            else:
                placed = self.placed[q] - left
                counted = self.counted[q] - (left if members[a] else 0)
            broken = model.new_bool_var(f"breaks{e}_{q}")
            _add_bound(model, quota, counted, placed, holds=False, enforce=broken)
            breaks.append(broken)
        model.add(satisfied + refuses + _sum(breaks) >= 1)

    def _held_above(self, o: int) -> list[Any]:
        """[i]: how many o holds among the applicants it ranks above its i-th edge."""
        if o not in self.held_above:
            model, x = self.model, self.x
            cap = int(self.problem.capacity[o])
            counts: list[Any] = [model.new_constant(0)]
            for i, f in enumerate(self.opp_edges[o].tolist()):
                count = model.new_int_var(0, cap, f"held{o}_{i + 1}")
                model.add(count == counts[-1] + x[f])
                counts.append(count)
            self.held_above[o] = counts
        return self.held_above[o]

    def _full(self, o: int) -> Any:
        if o not in self.full:
            full = self.model.new_bool_var(f"full{o}")
            total = _sum(self.x[f] for f in self.opp_edges[o].tolist())
            cap = int(self.problem.capacity[o])
            self.model.add(total >= cap).only_enforce_if(full)
            self.model.add(total <= cap - 1).only_enforce_if(~full)
            self.full[o] = full
        return self.full[o]

    def _worst_member(self, o: int, q: int) -> Any:
        """1 when o is full and the lowest ranked applicant it holds is in q's group."""
        key = (o, q)
        if key not in self.worst_member:
            model, x = self.model, self.x
            edges = self.opp_edges[o].tolist()
            # later[i]: o holds someone it ranks below edges[i - 1] (at index i or after).
            later: list[Any] = [model.new_constant(0)] * (len(edges) + 1)
            for i in range(len(edges) - 1, -1, -1):
                held = model.new_bool_var(f"later{o}_{i}")
                model.add_max_equality(held, [x[edges[i]], later[i + 1]])
                later[i] = held
            lowest = []
            for i, f in enumerate(edges):
                if not self.members[q][self.app[f]]:
                    continue
                is_lowest = model.new_bool_var(f"lowest{f}")
                # is_lowest = x_f and nobody ranked below f is held.
                model.add_bool_and([x[f], ~later[i + 1]]).only_enforce_if(is_lowest)
                model.add_bool_or([~x[f], later[i + 1]]).only_enforce_if(~is_lowest)
                lowest.append(is_lowest)
            dropped = model.new_bool_var(f"drops{o}_{q}")
            full = self._full(o)
            member_lowest = _sum(lowest)  # at most one applicant is the lowest held
            model.add(dropped <= full)
            model.add(dropped <= member_lowest)
            model.add(dropped >= full + member_lowest - 1)
            self.worst_member[key] = dropped
        return self.worst_member[key]


def _sum(terms: Iterable[Any]) -> Any:
    # A solver expression even when empty, where the built-in sum would give the integer 0.
    return cp_model.LinearExpr.sum(list(terms))


def _add_bound(
    model: Any, quota: Quota, counted: Any, placed: Any, *, holds: bool, enforce: Any = None
) -> None:
    """Add the quota's bound (or, with holds=False, its negation) on counted among placed."""
    t = quota.target
    if quota.bound.is_share:
        # counted >= t * placed, as q * counted - p * placed >= 0 with t = p / q.
        slack = t.denominator * counted - t.numerator * placed
        limit = 0
    else:
        slack = counted
        limit = int(t)
    if quota.bound.is_minimum:
        constraint = model.add(slack >= limit) if holds else model.add(slack <= limit - 1)
    else:
        constraint = model.add(slack <= limit) if holds else model.add(slack >= limit + 1)
    if enforce is not None:
        constraint.only_enforce_if(enforce)
