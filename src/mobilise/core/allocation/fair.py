"""The fair method: the welfare or stable method's best matching that meets every group quota.

Objective, as for `welfare` (see welfare.py): most applicants placed, then the best total rank or
fit, but only over matchings that meet every quota (quotas.py). With base "stable", only over
matchings that are also stable in DESIGN.md's sense for quotas: no blocking pair whose repair keeps
every quota satisfied. Repairing a blocking pair (a, o) moves a to o and, when o is full, drops the
applicant o ranks lowest among those it holds. A pair that blocks but whose repair would break a
quota is tolerated; the method reports how many such pairs remain.

Solved with CP-SAT (ADR 0008) on one worker with the run's seed, so a run is reproducible.
Stability is added lazily: solve, find the quota-respecting blocking pairs of the answer, require
each of those pairs to be either not blocking or unrepairable, and solve again, until none remain.
Every round adds constraints for pairs it had never constrained before, so the rounds end.

That exact search for base "stable" only finishes for a few dozen applicants, so beyond
EXACT_STABLE_EDGES preference edges base "stable" takes another approach (quota_stable.py): start
from the applicant-optimal stable matching if it meets the quotas, else from base "welfare"'s
answer, and repair quota-respecting blocking pairs until none is left. The result meets every
quota and is quota-stable, but is not proved the best such matching (`optimal` is false and
`approach` is "repair").

Infeasible quotas raise InvalidInput naming them: first a counting check per minimum count (can
that many of the group be placed in its scope at all?), then, if the solver proves the quotas
cannot hold together, a smallest set of quotas that cannot (found by dropping quotas one by one).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from ortools.graph.python import max_flow  # type: ignore[import-untyped]
from ortools.sat.python import cp_model

from mobilise.core.allocation.problem import AllocationProblem, IntArray
from mobilise.core.allocation.quality import blocking_pair_mask
from mobilise.core.allocation.quota_stable import RepairsExhausted, settle_blocking_pairs
from mobilise.core.allocation.quotas import Bound, Quota
from mobilise.core.allocation.stable import stable_matching
from mobilise.core.allocation.welfare import (
    Objective,
    WelfareValue,
    edge_costs,
    welfare_matching,
    welfare_value,
)
from mobilise.core.problems import InvalidInput, Problem

Base = Literal["welfare", "stable"]
BASES: tuple[Base, ...] = ("welfare", "stable")
DEFAULT_EFFORT = 60.0
# Base "stable" searches exactly up to this many preference edges (CP-SAT's lazy stability
# constraints), and repairs blocking pairs beyond it.
EXACT_STABLE_EDGES = 60
Approach = Literal["exact", "repair"]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class QuotaReport:
    """How a quota fared: its target, what the fair matching achieved, and what the base did."""

    id: str
    bound: Bound
    target: float
    achieved: float
    counted: int
    placed: int
    satisfied: bool
    # The same measure in the base method's own matching, without quotas.
    unconstrained: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "bound": self.bound.value,
            "target": self.target,
            "achieved": round(self.achieved, 6),
            "counted": self.counted,
            "placed": self.placed,
            "satisfied": self.satisfied,
            "unconstrained": round(self.unconstrained, 6),
        }


@dataclass(frozen=True)
class FairResult:
    assigned: IntArray
    quota_reports: tuple[QuotaReport, ...]
    base: Base
    # The objective with the quotas and without them (the base method's own matching).
    value: WelfareValue
    unconstrained: WelfareValue
    # Solver rounds (more than one when stability constraints were added lazily), and whether
    # the optimum was proven within the effort limit.
    rounds: int
    optimal: bool
    approach: Approach = "exact"

    @property
    def placed_cost(self) -> int:
        """Applicants the quotas cost a place."""
        return self.unconstrained.matched - self.value.matched

    @property
    def total_cost(self) -> float:
        """How much worse the total rank (or fit) is with the quotas; positive means worse."""
        difference = self.value.total - self.unconstrained.total
        return difference if self.value.objective == "rank" else -difference

    def as_dict(self) -> dict[str, Any]:
        return {
            "base": self.base,
            "objective": self.value.objective,
            "approach": self.approach,
            "optimal": self.optimal,
            "quotas": [report.as_dict() for report in self.quota_reports],
            "welfare_cost": {
                "matched_with_quotas": self.value.matched,
                "matched_without_quotas": self.unconstrained.matched,
                f"total_{self.value.objective}_with_quotas": round(self.value.total, 6),
                f"total_{self.value.objective}_without_quotas": round(self.unconstrained.total, 6),
                "places_lost": self.placed_cost,
                "total_worse_by": round(self.total_cost, 6),
            },
        }


@dataclass(frozen=True)
class _Counts:
    """Per quota: members, opportunities in scope, members and everyone placed in scope."""

    members: BoolArray
    scope: BoolArray
    counted: int
    placed: int


def _counts(problem: AllocationProblem, quota: Quota, assigned: IntArray) -> _Counts:
    members = quota.members(problem.applicant_attributes, problem.applicants)
    scope = quota.scope(problem.opportunities)
    placed_in = np.zeros(problem.applicants, dtype=np.bool_)
    matched = assigned >= 0
    placed_in[matched] = scope[assigned[matched]]
    return _Counts(members, scope, int((placed_in & members).sum()), int(placed_in.sum()))


def quota_reports(
    problem: AllocationProblem,
    quotas: Sequence[Quota],
    assigned: IntArray,
    unconstrained: IntArray,
) -> tuple[QuotaReport, ...]:
    reports = []
    for quota in quotas:
        now = _counts(problem, quota, assigned)
        before = _counts(problem, quota, unconstrained)
        reports.append(
            QuotaReport(
                quota.id,
                quota.bound,
                float(quota.target),
                quota.achieved(now.counted, now.placed),
                now.counted,
                now.placed,
                quota.satisfied(now.counted, now.placed),
                quota.achieved(before.counted, before.placed),
            )
        )
    return tuple(reports)


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
        c = _counts(problem, quota, assigned)
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


def fair_matching(
    problem: AllocationProblem,
    quotas: Sequence[Quota],
    base: Base = "welfare",
    seed: int = 0,
    objective: Objective = "rank",
    effort: float = DEFAULT_EFFORT,
    exact: bool | None = None,
) -> FairResult:
    """The best matching (by `objective`) of the `base` kind that meets every quota.

    `effort` bounds the solver in deterministic seconds (CP-SAT's measure of work, the same on
    every run, so a limited run is still reproducible). When it runs out after finding a matching,
    the result says `optimal=False`; before finding one, InvalidInput says so. `exact` chooses
    base "stable"'s approach (None: exact up to EXACT_STABLE_EDGES edges, repair beyond).
    """
    if base not in BASES:
        raise ValueError(f"unknown base {base!r}; expected one of {BASES}")
    baseline = (
        welfare_matching(problem, objective) if base == "welfare" else stable_matching(problem)
    )
    unconstrained = welfare_value(problem, baseline, objective)
    if not quotas:
        return FairResult(baseline, (), base, unconstrained, unconstrained, 0, True)
    _check_counting(problem, quotas)
    reports = quota_reports(problem, quotas, baseline, baseline)
    if base == "welfare" and all(report.satisfied for report in reports):
        # The unconstrained optimum meets the quotas, so it is optimal under them too.
        return FairResult(baseline, reports, base, unconstrained, unconstrained, 0, True)
    if base == "stable" and not (
        exact if exact is not None else len(problem.pref_opp) <= EXACT_STABLE_EDGES
    ):
        return _repaired_stable(problem, quotas, baseline, seed, objective, effort)
    model = _QuotaModel(problem, quotas, objective)
    # The quota-free answer is usually close: a good first guess for the search.
    model.hint(baseline)
    solved = model.solve(seed, base == "stable", effort)
    if solved.outcome == "effort":
        raise InvalidInput(
            [
                Problem(
                    "allocation",
                    None,
                    "effort",
                    str(effort),
                    f"no matching of base {base!r} meeting the quotas was found within the "
                    "effort limit; raise the effort, relax a quota or use base 'welfare'",
                )
            ]
        )
    if solved.assigned is None:
        raise InvalidInput(_infeasible(problem, quotas, base, seed, effort))
    assigned = solved.assigned
    return FairResult(
        assigned,
        quota_reports(problem, quotas, assigned, baseline),
        base,
        welfare_value(problem, assigned, objective),
        unconstrained,
        solved.rounds,
        solved.optimal,
    )


def _repaired_stable(
    problem: AllocationProblem,
    quotas: Sequence[Quota],
    stable: IntArray,
    seed: int,
    objective: Objective,
    effort: float,
) -> FairResult:
    """Base "stable" at cohort size: repair blocking pairs from a matching meeting the quotas."""
    reports = quota_reports(problem, quotas, stable, stable)
    start = (
        stable
        if all(report.satisfied for report in reports)
        else fair_matching(problem, quotas, "welfare", seed, objective, effort).assigned
    )
    # Only a stop for a cycle: between two drops an applicant can move up at most its list's
    # length, so this allows every applicant twenty such climbs.
    limit = 20 * (len(problem.pref_opp) + problem.applicants)
    try:
        settled = settle_blocking_pairs(problem, quotas, start, limit)
    except RepairsExhausted as error:
        raise InvalidInput(
            [
                Problem(
                    "allocation",
                    None,
                    "quotas",
                    ", ".join(q.id for q in quotas),
                    f"no quota-stable matching was reached: {error}; use base 'welfare' or "
                    "relax a quota",
                )
            ]
        ) from error
    return FairResult(
        settled.assigned,
        quota_reports(problem, quotas, settled.assigned, stable),
        "stable",
        welfare_value(problem, settled.assigned, objective),
        welfare_value(problem, stable, objective),
        settled.sweeps,
        False,
        "repair",
    )


def _check_counting(problem: AllocationProblem, quotas: Sequence[Quota]) -> None:
    """A minimum count above the most of its group that could be placed in its scope at all."""
    problems = []
    app = np.repeat(np.arange(problem.applicants, dtype=np.int64), np.diff(problem.pref_ptr))
    for quota in quotas:
        if quota.bound is not Bound.MIN_COUNT or quota.target == 0:
            continue
        members = quota.members(problem.applicant_attributes, problem.applicants)
        scope = quota.scope(problem.opportunities)
        usable = members[app] & scope[problem.pref_opp]
        most = _most_placeable(problem, app[usable], problem.pref_opp[usable])
        if most < quota.target:
            problems.append(
                Problem(
                    "constraints",
                    None,
                    f"quotas.{quota.id}",
                    str(int(quota.target)),
                    f"quota {quota.id!r} cannot be met: at most {most} of its group can be "
                    f"placed in its opportunities, and it needs {int(quota.target)}",
                )
            )
    if problems:
        raise InvalidInput(problems)


def _most_placeable(problem: AllocationProblem, app: IntArray, opp: IntArray) -> int:
    if len(app) == 0:
        return 0
    n_app, n_opp = problem.applicants, problem.opportunities
    source, sink = n_app + n_opp, n_app + n_opp + 1
    flow = max_flow.SimpleMaxFlow()
    flow.add_arcs_with_capacity(
        np.concatenate([np.full(n_app, source), app, np.arange(n_app, n_app + n_opp)]),
        np.concatenate([np.arange(n_app), opp + n_app, np.full(n_opp, sink)]),
        np.concatenate([np.ones(n_app + len(app), dtype=np.int64), problem.capacity]),
    )
    flow.solve(source, sink)
    return int(flow.optimal_flow())


def _infeasible(
    problem: AllocationProblem, quotas: Sequence[Quota], base: Base, seed: int, effort: float
) -> list[Problem]:
    """A smallest set of quotas that cannot hold together (each one is needed for the conflict)."""

    def feasible(subset: Sequence[Quota]) -> bool:
        return (
            _QuotaModel(problem, subset, "rank", optimise=False).solve(seed, False, effort).outcome
            != "infeasible"
        )

    if feasible(quotas):
        # The quotas can hold together, but no such matching is stable in the quota sense.
        assert base == "stable"
        return [
            Problem(
                "constraints",
                None,
                "quotas",
                ", ".join(q.id for q in quotas),
                "no matching meets these quotas without a blocking pair whose repair keeps them "
                "all; use base 'welfare' or relax a quota",
            )
        ]
    needed = list(quotas)
    for quota in list(quotas):
        rest = [q for q in needed if q is not quota]
        if not feasible(rest):
            needed = rest
    names = ", ".join(repr(q.id) for q in needed)
    return [
        Problem(
            "constraints",
            None,
            f"quotas.{quota.id}",
            None,
            f"quotas {names} cannot all be met by any matching",
        )
        for quota in needed
    ]


@dataclass(frozen=True)
class _Solved:
    assigned: IntArray | None
    rounds: int
    optimal: bool
    outcome: Literal["solved", "infeasible", "effort"]


class _QuotaModel:
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

    def solve(self, seed: int, stable: bool, effort: float) -> _Solved:
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
                return _Solved(None, rounds, proven, "infeasible")
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return _Solved(None, rounds, False, "effort")
            proven = proven and status == cp_model.OPTIMAL
            chosen = np.array([solver.value(v) for v in self.x], dtype=np.bool_)
            assigned = np.full(self.problem.applicants, -1, dtype=np.int64)
            assigned[self.app[chosen]] = self.problem.pref_opp[chosen]
            if not stable:
                return _Solved(assigned, rounds, proven, "solved")
            pairs = np.flatnonzero(quota_blocking_pair_mask(self.problem, self.quotas, assigned))
            if len(pairs) == 0:
                return _Solved(assigned, rounds, proven, "solved")
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
