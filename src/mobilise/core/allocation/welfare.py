"""The welfare method: place as many applicants as possible, then make the placements best overall.

The objective is lexicographic, so that no one is left unplaced to make others happier:
1. maximise the number of applicants placed (within capacities and mutual acceptability);
2. among those matchings, with objective "rank", minimise the total preference rank (1 for a first
   choice) of the placed applicants; with objective "fit", maximise their total fit (`pref_score`).

It is a min-cost flow: source → applicant (1 place) → opportunity (each mutually acceptable
pair, at the edge's cost) → sink (capacity), whose cheapest maximum flow is exactly that
lexicographic order. Costs must be integers: ranks are; fits are scaled to 0..FIT_RESOLUTION
across the problem's range of fits (best fit costs 0), so fits closer than 1/FIT_RESOLUTION of that
range count as equal. It is solved by successive shortest paths on those small integer costs
(`shortest_paths.py`, a numba kernel: 10 million edges in seconds where OR-Tools' general
cost-scaling flow took about a minute); OR-Tools' solver (ADR 0008) stays as the reference the
tests and the benchmark check it against. Both are sequential and deterministic; among equally
good matchings they may pick different ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]

from mobilise.core.allocation.problem import AllocationProblem, IntArray
from mobilise.core.allocation.shortest_paths import min_cost_max_flow

Objective = Literal["rank", "fit"]
OBJECTIVES: tuple[Objective, ...] = ("rank", "fit")
FIT_RESOLUTION = 10_000


def edge_costs(problem: AllocationProblem, objective: Objective) -> IntArray:
    """The integer cost of each preference edge: lower is better for the objective."""
    if objective == "rank":
        lengths = np.diff(problem.pref_ptr)
        return np.arange(len(problem.pref_opp), dtype=np.int64) - np.repeat(
            problem.pref_ptr[:-1], lengths
        )
    if objective == "fit":
        fit = problem.pref_score
        if len(fit) == 0:
            return np.zeros(0, dtype=np.int64)
        best, worst = float(fit.max()), float(fit.min())
        if best == worst:
            return np.zeros(len(fit), dtype=np.int64)
        return np.rint((best - fit) * (FIT_RESOLUTION / (best - worst))).astype(np.int64)
    raise ValueError(f"unknown objective {objective!r}; expected one of {OBJECTIVES}")


@dataclass(frozen=True)
class WelfareValue:
    """A matching's worth under an objective: how many placed, and their total rank or fit."""

    objective: Objective
    matched: int
    total: float

    def better_than(self, other: WelfareValue) -> bool:
        if self.matched != other.matched:
            return self.matched > other.matched
        return self.total < other.total if self.objective == "rank" else self.total > other.total


def welfare_value(
    problem: AllocationProblem, assigned: IntArray, objective: Objective
) -> WelfareValue:
    """Placed count and total preference rank (1-based) or total fit of a matching."""
    app = np.repeat(np.arange(problem.applicants, dtype=np.int64), np.diff(problem.pref_ptr))
    held = problem.pref_opp == assigned[app]
    if objective == "rank":
        position = np.arange(len(app), dtype=np.int64) - problem.pref_ptr[app]
        total = float((position[held] + 1).sum())
    else:
        total = float(problem.pref_score[held].sum())
    return WelfareValue(objective, int(held.sum()), total)


def welfare_matching(problem: AllocationProblem, objective: Objective = "rank") -> IntArray:
    """The opportunity index of each applicant in a welfare-optimal matching, or -1."""
    costs = edge_costs(problem, objective)
    assigned, _ = min_cost_max_flow(problem.pref_ptr, problem.pref_opp, costs, problem.capacity)
    return assigned


def reference_welfare_matching(
    problem: AllocationProblem, objective: Objective = "rank"
) -> IntArray:
    """A welfare-optimal matching by OR-Tools' general min-cost flow: the reference solver."""
    return reference_min_cost_max_flow(
        problem.pref_ptr, problem.pref_opp, edge_costs(problem, objective), problem.capacity
    )


def reference_min_cost_max_flow(
    pref_ptr: IntArray, pref_opp: IntArray, costs: IntArray, capacity: IntArray
) -> IntArray:
    """OR-Tools' cheapest maximum flow on the same network as `min_cost_max_flow`."""
    n_app, n_opp = len(pref_ptr) - 1, len(capacity)
    assigned = np.full(n_app, -1, dtype=np.int64)
    n_edges = len(pref_opp)
    if n_edges == 0:
        return assigned
    source, sink = n_app + n_opp, n_app + n_opp + 1
    app = np.repeat(np.arange(n_app, dtype=np.int64), np.diff(pref_ptr))
    # Edge arcs first, so arc e is preference edge e when reading the flows back.
    tails = np.concatenate(
        [app, np.full(n_app, source, dtype=np.int64), np.arange(n_app, n_app + n_opp)]
    )
    heads = np.concatenate(
        [pref_opp + n_app, np.arange(n_app), np.full(n_opp, sink, dtype=np.int64)]
    )
    capacities = np.concatenate([np.ones(n_edges + n_app, dtype=np.int64), capacity])
    unit_costs = np.concatenate([costs, np.zeros(n_app + n_opp, dtype=np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, unit_costs)
    del tails, heads, capacities, unit_costs
    flow.set_node_supply(source, n_app)
    flow.set_node_supply(sink, -n_app)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:  # pragma: no cover - capacities are finite and costs bounded
        raise RuntimeError(f"min-cost flow failed: {status}")
    used = flow.flows(np.arange(n_edges, dtype=np.int64)) > 0
    assigned[app[used]] = pref_opp[used]
    return assigned
