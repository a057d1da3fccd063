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
from mobilise.core.allocation.problem import AllocationProblem, IntArray
from mobilise.core.allocation.quality import measure
from mobilise.core.allocation.stable import stable_matching
from mobilise.core.problems import InvalidInput, Problem

Solver = Callable[[AllocationProblem, int], tuple[IntArray, dict[str, Any]]]


def _stable(problem: AllocationProblem, seed: int) -> tuple[IntArray, dict[str, Any]]:
    return stable_matching(problem), {}


METHODS: dict[str, Solver] = {"stable": _stable}


def register_method(name: str, solver: Solver) -> None:
    """Methods beyond `stable` (welfare, fair) register themselves here."""
    METHODS[name] = solver


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


def allocate(
    problem: AllocationProblem, method: str, *, seed: int = 0, min_group_count: int = 10
) -> AllocationOutcome:
    if method not in METHODS:
        raise InvalidInput(
            [
                Problem(
                    "allocation",
                    None,
                    "method",
                    method,
                    f"must be one of {', '.join(sorted(METHODS))}",
                )
            ]
        )
    started = time.perf_counter()
    assigned, extra = METHODS[method](problem, seed)
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
        "solve_seconds": round(solve_seconds, 6),
    }
    metrics.update(extra.pop("metrics", {}))
    explainer = Explainer(problem, assigned, method)
    explanations = tuple(explainer.explain(a) for a in range(problem.applicants))
    return AllocationOutcome(method, seed, assigned, metrics, explanations, extra)
