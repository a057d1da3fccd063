"""One allocation run: solve with a method, measure it, explain every outcome, as a document.

The document is RESULT.json (docs/allocation.md). Everything in it except `solve_seconds` is a pure
function of the problem, the method and its parameters, so a re-run reproduces it exactly.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mobilise.core.allocation.explain import Explainer
from mobilise.core.allocation.fair import BASES, Base, fair_matching
from mobilise.core.allocation.problem import AllocationProblem, IntArray
from mobilise.core.allocation.quality import measure
from mobilise.core.allocation.stable import stable_matching
from mobilise.core.allocation.welfare import OBJECTIVES, Objective, welfare_matching, welfare_value
from mobilise.core.problems import InvalidInput, Problem


@dataclass(frozen=True)
class RunParameters:
    """Everything besides the problem that decides a run's result."""

    method: str
    seed: int = 0
    # What welfare optimises and fit is measured in: preference "rank" or opportunities' "fit".
    objective: Objective = "rank"
    # What `fair` constrains by the quotas: the welfare optimum, or stable matchings.
    base: Base = "welfare"
    # Counts of people below this are suppressed in the result (disclosure control).
    min_group_count: int = 10

    def as_dict(self) -> dict[str, Any]:
        return {"objective": self.objective, "base": self.base}


Solver = Callable[[AllocationProblem, RunParameters], tuple[IntArray, dict[str, Any]]]


def _stable(
    problem: AllocationProblem, parameters: RunParameters
) -> tuple[IntArray, dict[str, Any]]:
    return stable_matching(problem), {}


def _welfare(
    problem: AllocationProblem, parameters: RunParameters
) -> tuple[IntArray, dict[str, Any]]:
    return welfare_matching(problem, parameters.objective), {}


def _fair(problem: AllocationProblem, parameters: RunParameters) -> tuple[IntArray, dict[str, Any]]:
    result = fair_matching(
        problem,
        problem.quotas,
        base=parameters.base,
        seed=parameters.seed,
        objective=parameters.objective,
    )
    report = result.as_dict()
    report["quotas"] = [
        suppress_small_quota_counts(quota, parameters.min_group_count) for quota in report["quotas"]
    ]
    return result.assigned, {"fair": report}


def suppress_small_quota_counts(quota: dict[str, Any], min_count: int) -> dict[str, Any]:
    """Hide a quota's group count, and the shares it can be read back from, below `min_count`.

    Quotas often count a consented diversity group; a count of 3 would point at people. Whether
    the quota holds is still reported: that is the decision the run has to explain.
    """
    if 0 < quota["counted"] < min_count:
        return {
            **quota,
            "counted": None,
            "achieved": None,
            "unconstrained": None,
            "suppressed_below": min_count,
        }
    return quota


METHODS: dict[str, Solver] = {"stable": _stable, "welfare": _welfare, "fair": _fair}


@dataclass(frozen=True)
class AllocationOutcome:
    method: str
    seed: int
    assigned: IntArray
    metrics: Mapping[str, Any]
    explanations: tuple[str, ...]
    extra: Mapping[str, Any] = field(default_factory=dict)

    def document(self, problem: AllocationProblem) -> dict[str, Any]:
        matches = []
        unmatched = []
        for a, o in enumerate(self.assigned.tolist()):
            applicant = problem.applicant_ids[a]
            if o >= 0:
                matches.append(
                    {
                        "applicant": applicant,
                        "opportunity": problem.opportunity_ids[o],
                        "explanation": self.explanations[a],
                    }
                )
            else:
                unmatched.append({"applicant": applicant, "explanation": self.explanations[a]})
        return {
            "method": self.method,
            "seed": self.seed,
            "matches": matches,
            "unmatched": unmatched,
            "metrics": dict(self.metrics),
            **dict(self.extra),
        }


def group_match_rates(
    problem: AllocationProblem, assigned: IntArray, min_count: int
) -> dict[str, dict[str, Any]]:
    """Match rate by each applicant attribute's values, with groups under `min_count` suppressed.

    The spread (highest minus lowest shown rate) is the fairness gap across that attribute's groups.
    """
    keys = sorted({k for attributes in problem.applicant_attributes for k in attributes})
    matched = assigned >= 0
    report: dict[str, dict[str, Any]] = {}
    for key in keys:
        groups: dict[str, list[int]] = {}
        for a, attributes in enumerate(problem.applicant_attributes):
            if key in attributes:
                groups.setdefault(str(attributes[key]), []).append(a)
        rates: dict[str, float | None] = {}
        for value, members in sorted(groups.items()):
            if len(members) < min_count:
                rates[value] = None
            else:
                rates[value] = round(float(matched[members].mean()), 6)
        shown = [r for r in rates.values() if r is not None]
        report[key] = {
            "match_rate": rates,
            "spread": round(max(shown) - min(shown), 6) if len(shown) > 1 else 0.0,
            "suppressed_below": min_count,
        }
    return report


def _check(parameters: RunParameters) -> None:
    problems = []
    for name, value, allowed in (
        ("method", parameters.method, tuple(sorted(METHODS))),
        ("objective", parameters.objective, OBJECTIVES),
        ("base", parameters.base, BASES),
    ):
        if value not in allowed:
            rule = f"must be one of {', '.join(allowed)}"
            problems.append(Problem("allocation", None, name, str(value), rule))
    if problems:
        raise InvalidInput(problems)


def _welfare_metrics(
    problem: AllocationProblem, assigned: IntArray, method: str, objective: Objective
) -> dict[str, Any]:
    """How the matching compares with the welfare optimum and with the stable matching."""
    value = welfare_value(problem, assigned, objective)
    # The method's own answer is one of the two references: no need to solve it again.
    optimal = assigned if method == "welfare" else welfare_matching(problem, objective)
    stable_assigned = assigned if method == "stable" else stable_matching(problem)
    optimum = welfare_value(problem, optimal, objective)
    stable = welfare_value(problem, stable_assigned, objective)
    if objective == "rank":
        # Fewer rank points is better: the optimum's total over ours, on the placed people.
        percent = 100.0 * optimum.total / value.total if value.total else 100.0
    else:
        percent = 100.0 * value.total / optimum.total if optimum.total else 100.0
    return {
        "objective": objective,
        f"total_{objective}": round(value.total, 6),
        f"total_{objective}_welfare_optimum": round(optimum.total, 6),
        f"total_{objective}_stable": round(stable.total, 6),
        "welfare_percent_of_optimum": round(percent, 4),
        "matched_welfare_optimum": optimum.matched,
        "matched_stable": stable.matched,
    }


def allocate(
    problem: AllocationProblem,
    method: str,
    *,
    seed: int = 0,
    objective: Objective = "rank",
    base: Base = "welfare",
    min_group_count: int = 10,
) -> AllocationOutcome:
    parameters = RunParameters(method, seed, objective, base, min_group_count)
    _check(parameters)
    started = time.perf_counter()
    assigned, extra = METHODS[method](problem, parameters)
    solve_seconds = time.perf_counter() - started
    quality = measure(problem, assigned)
    metrics: dict[str, Any] = {
        "blocking_pairs": quality.blocking_pairs,
        "matched": quality.matched,
        "first_choice": quality.first_choice,
        "mean_rank": round(quality.mean_rank, 6),
        "fill_rate": round(quality.fill_rate, 6),
        "match_rate": round(quality.match_rate, 6),
        "applicants": problem.applicants,
        "places": int(np.sum(problem.capacity)),
        "groups": group_match_rates(problem, assigned, min_group_count),
        "welfare": _welfare_metrics(problem, assigned, method, objective),
        "solve_seconds": round(solve_seconds, 6),
    }
    explainer = Explainer(problem, assigned, method)
    explanations = tuple(explainer.explain(a) for a in range(problem.applicants))
    extra["parameters"] = parameters.as_dict()
    return AllocationOutcome(method, seed, assigned, metrics, explanations, extra)
