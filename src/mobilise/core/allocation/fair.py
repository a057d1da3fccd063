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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from ortools.graph.python import max_flow  # type: ignore[import-untyped]

from mobilise.core.allocation.problem import AllocationProblem, IntArray
from mobilise.core.allocation.quota_model import (
    QuotaModel,
    quota_counts,
)
from mobilise.core.allocation.quota_stable import RepairsExhausted, settle_blocking_pairs
from mobilise.core.allocation.quotas import Bound, Quota
from mobilise.core.allocation.stable import stable_matching
from mobilise.core.allocation.welfare import (
    Objective,
    WelfareValue,
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


def quota_reports(
    problem: AllocationProblem,
    quotas: Sequence[Quota],
    assigned: IntArray,
    unconstrained: IntArray,
) -> tuple[QuotaReport, ...]:
    reports = []
    for quota in quotas:
        now = quota_counts(problem, quota, assigned)
        before = quota_counts(problem, quota, unconstrained)
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
    model = QuotaModel(problem, quotas, objective)
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
            QuotaModel(problem, subset, "rank", optimise=False).solve(seed, False, effort).outcome
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
