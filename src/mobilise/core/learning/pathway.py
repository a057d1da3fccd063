"""Least-cost learning pathways: the items that close a person's skill gaps, solved exactly.

A gap is a skill whose required level is above the person's current level. An item closes it if
it teaches the skill at the required level or above (completing it gives a learning claim at that
level). A gap no item closes is reported, not planned for: partial progress is not a pathway's
aim, and `Gap.best_taught` says how far learning could take the person. Items the person has
completed are never chosen again and count as met prerequisites.

The pathway is a set of items that closes every closable gap and contains, for each item, its
prerequisites (unless completed), at the least total weight. That is a set cover with precedence
constraints, NP-hard in general, so it is solved exactly with CP-SAT (one worker, fixed seed:
the same input always gives the same pathway) over only the items that matter: those that close
a gap, and their prerequisites.

Objectives (`Objective`): least hours, least cost, or a mix weighing an hour of the learner's time
as `pence_per_hour` (alpha × hours × pence_per_hour + (1 − alpha) × cost; alpha = 0.5 is the
whole cost to the organisation of fees and time, halved). Ties are broken by the other measure,
then by fewer items, so equal-hours pathways never differ in price for no reason.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, Literal

from ortools.sat.python import cp_model

from mobilise.core.learning.catalogue import Catalogue, ItemT

Status = Literal["optimal", "feasible"]
# Lexicographic stages are folded into one integer objective while it stays exact in a double
# (CP-SAT's bounds and LP relaxation are floating point); beyond that they are solved in turn.
EXACT_LIMIT = 2**53
ALPHA_STEPS = 1000


@dataclass(frozen=True, slots=True)
class Objective:
    """What a pathway minimises; alpha = 1 is hours alone and 0 cost alone (3 decimals)."""

    alpha: float = 1.0
    pence_per_hour: int = 3000

    def __post_init__(self) -> None:
        if not 0.0 <= self.alpha <= 1.0:
            raise ValueError("alpha must be between 0 (cost only) and 1 (hours only)")
        if self.pence_per_hour < 0:
            raise ValueError("pence_per_hour must not be negative")

    @property
    def name(self) -> Literal["hours", "cost", "mix"]:
        steps = self.steps
        return "hours" if steps == ALPHA_STEPS else "cost" if steps == 0 else "mix"

    @property
    def steps(self) -> int:
        return round(self.alpha * ALPHA_STEPS)


HOURS = Objective(1.0)
COST = Objective(0.0)


@dataclass(frozen=True, slots=True)
class Gap:
    skill_id: int
    current: int
    required: int
    # The highest level an item not yet completed teaches (0: none teaches the skill).
    best_taught: int


@dataclass(frozen=True, slots=True)
class PathwayStep(Generic[ItemT]):
    item: ItemT
    closes: tuple[int, ...]  # gap skills this item teaches to the required level
    required_by: tuple[int, ...]  # ids of the pathway's items that need this one first


@dataclass(frozen=True)
class Pathway(Generic[ItemT]):
    steps: tuple[PathwayStep[ItemT], ...]  # prerequisites first
    hours: Decimal
    cost_pence: int
    closed: tuple[Gap, ...]
    unclosable: tuple[Gap, ...]
    status: Status
    objective: Objective

    @property
    def items(self) -> tuple[ItemT, ...]:
        return tuple(step.item for step in self.steps)


@dataclass(frozen=True, slots=True)
class PathwayRequest:
    current: Mapping[int, int]
    required: Mapping[int, int]
    completed: Collection[int] = ()


@dataclass(frozen=True, slots=True)
class _Cover:
    positions: tuple[int, ...]
    status: Status


def plan_pathway(
    catalogue: Catalogue[ItemT],
    current: Mapping[int, int],
    required: Mapping[int, int],
    completed: Collection[int] = (),
    objective: Objective = HOURS,
    *,
    seconds: float = 10.0,
) -> Pathway[ItemT]:
    """The least-weight pathway from `current` levels to `required` levels (skill id → level).

    `completed` holds ids of items already done (ids not in the catalogue are ignored). Status is
    "optimal" when proven; "feasible" only if the solver ran out of `seconds` first.
    """
    return _plan(catalogue, PathwayRequest(current, required, completed), objective, seconds, {})


def plan_pathways(
    catalogue: Catalogue[ItemT],
    requests: Iterable[PathwayRequest],
    objective: Objective = HOURS,
    *,
    seconds: float = 10.0,
) -> list[Pathway[ItemT]]:
    """Pathways for many people over one catalogue, in order.

    The catalogue's indexes are built once (`prepare_catalogue`), and the solution depends only
    on which (skill, required level) gaps are closable and which relevant items are completed,
    not on the current levels themselves, so people who share those share one solve.
    """
    solved: dict[tuple[object, ...], _Cover] = {}
    return [_plan(catalogue, request, objective, seconds, solved) for request in requests]


def _plan(
    catalogue: Catalogue[ItemT],
    request: PathwayRequest,
    objective: Objective,
    seconds: float,
    solved: dict[tuple[object, ...], _Cover],
) -> Pathway[ItemT]:
    done = frozenset(p for i in request.completed if (p := catalogue.position.get(i)) is not None)
    closable: list[tuple[Gap, tuple[int, ...]]] = []
    unclosable: list[Gap] = []
    needs: list[tuple[int, int]] = []
    able: list[int] = []  # items teaching a gap skill well enough, completed or not
    for skill_id, level in sorted(request.required.items()):
        have = request.current.get(skill_id, 0)
        if level <= have:
            continue
        needs.append((skill_id, level))
        teachers = catalogue.teachers.get(skill_id, ())
        able.extend(p for lv, p in teachers if lv >= level)
        left = [(lv, p) for lv, p in teachers if p not in done]
        gap = Gap(skill_id, have, level, left[0][0] if left else 0)
        candidates = tuple(p for lv, p in left if lv >= level)
        if candidates:
            closable.append((gap, candidates))
        else:
            unclosable.append(gap)
    # The solve depends on the (skill, level) gaps and on which items that could take part are
    # completed: nothing else of the person. Completed items elsewhere must not split the key.
    done_here = tuple(sorted(done & _closure(catalogue, able, frozenset()))) if done else ()
    key = (tuple(needs), done_here, objective)
    cover = solved.get(key)
    if cover is None:
        relevant = _closure(catalogue, [p for _, c in closable for p in c], done)
        cover = _solve(catalogue, [c for _, c in closable], relevant, done, objective, seconds)
        solved[key] = cover
    return _pathway(catalogue, cover, [g for g, _ in closable], unclosable, done, objective)


def _closure(
    catalogue: Catalogue[ItemT], start: Iterable[int], done: frozenset[int]
) -> frozenset[int]:
    """The positions in `start` and every prerequisite they need, stopping at completed items."""
    seen: set[int] = set()
    stack = [p for p in start if p not in done]
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        stack.extend(q for q in catalogue.prerequisites[p] if q not in done and q not in seen)
    return frozenset(seen)


def _weights(
    catalogue: Catalogue[ItemT], positions: list[int], objective: Objective
) -> list[list[int]]:
    """Integer weights per lexicographic stage: the objective, the other measure, item count."""
    hours = [catalogue.hours_units[p] for p in positions]
    cost = [catalogue.items[p].cost_pence for p in positions]
    a = objective.steps
    if objective.name == "hours":
        return [hours, cost, [1] * len(positions)]
    if objective.name == "cost":
        return [cost, hours, [1] * len(positions)]
    # Exact in integers: ALPHA_STEPS × hours_scale × (alpha·hours·pence_per_hour + (1−alpha)·cost).
    mixed = [
        a * h * objective.pence_per_hour + (ALPHA_STEPS - a) * c * catalogue.hours_scale
        for h, c in zip(hours, cost, strict=True)
    ]
    return [mixed, hours, [1] * len(positions)]


def _fold(stages: list[list[int]]) -> list[list[int]]:
    """Fold lexicographic stages into as few integer objectives as stay below EXACT_LIMIT."""
    folded: list[list[int]] = []
    for stage in stages:
        divisor = math.gcd(*stage) or 1
        weights = [w // divisor for w in stage]
        if folded:
            last = folded[-1]
            factor = sum(weights) + 1
            if (sum(last) + 1) * factor < EXACT_LIMIT:
                folded[-1] = [f * factor + w for f, w in zip(last, weights, strict=True)]
                continue
        folded.append(weights)
    return folded


def _solve(
    catalogue: Catalogue[ItemT],
    covers: list[tuple[int, ...]],
    relevant: frozenset[int],
    done: frozenset[int],
    objective: Objective,
    seconds: float,
) -> _Cover:
    if not covers:
        return _Cover((), "optimal")
    positions = sorted(relevant)
    model = cp_model.CpModel()
    chosen = {p: model.new_bool_var(f"x{p}") for p in positions}
    for candidates in covers:
        model.add_bool_or([chosen[p] for p in candidates])
    for p in positions:
        for q in catalogue.prerequisites[p]:
            if q not in done:
                model.add_implication(chosen[p], chosen[q])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = seconds
    status: Status = "optimal"
    variables = [chosen[p] for p in positions]
    values = [False] * len(positions)
    for weights in _fold(_weights(catalogue, positions, objective)):
        if not any(weights):
            continue
        total = cp_model.LinearExpr.weighted_sum(variables, weights)
        model.minimize(total)
        result = solver.solve(model)
        if result not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise RuntimeError(f"the solver found no pathway within {seconds} s")
        values = [solver.boolean_value(v) for v in variables]
        if result != cp_model.OPTIMAL:
            status = "feasible"
            break
        # The next stage may not give up any of this one; the solution found is its hint.
        model.add(total <= sum(w for w, on in zip(weights, values, strict=True) if on))
        model.clear_hints()  # type: ignore[no-untyped-call]  # untyped in ortools 9.15
        for v, on in zip(variables, values, strict=True):
            model.add_hint(v, on)
    return _Cover(tuple(p for p, on in zip(positions, values, strict=True) if on), status)


def _pathway(
    catalogue: Catalogue[ItemT],
    cover: _Cover,
    closed: list[Gap],
    unclosable: list[Gap],
    done: frozenset[int],
    objective: Objective,
) -> Pathway[ItemT]:
    chosen = set(cover.positions)
    required_by: dict[int, list[int]] = {p: [] for p in chosen}
    for p in chosen:
        for q in catalogue.prerequisites[p]:
            if q in chosen:
                required_by[q].append(catalogue.items[p].id)
    steps: list[PathwayStep[ItemT]] = []
    for p in _prerequisites_first(catalogue, chosen):
        item = catalogue.items[p]
        closes = tuple(g.skill_id for g in closed if item.teaches.get(g.skill_id, 0) >= g.required)
        steps.append(PathwayStep(item, closes, tuple(sorted(required_by[p]))))
    units = sum(catalogue.hours_units[p] for p in chosen)
    return Pathway(
        steps=tuple(steps),
        hours=Decimal(units) / catalogue.hours_scale,
        cost_pence=sum(catalogue.items[p].cost_pence for p in chosen),
        closed=tuple(closed),
        unclosable=tuple(unclosable),
        status=cover.status,
        objective=objective,
    )


def _prerequisites_first(catalogue: Catalogue[ItemT], chosen: set[int]) -> list[int]:
    """Kahn's order over the chosen items, least id first among those ready (positions follow
    ids), so the order is a function of the set alone."""
    waiting = {p: sum(1 for q in catalogue.prerequisites[p] if q in chosen) for p in chosen}
    unlocks: dict[int, list[int]] = {p: [] for p in chosen}
    for p in chosen:
        for q in catalogue.prerequisites[p]:
            if q in chosen:
                unlocks[q].append(p)
    ready = [p for p, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        p = heapq.heappop(ready)
        order.append(p)
        for r in unlocks[p]:
            waiting[r] -= 1
            if waiting[r] == 0:
                heapq.heappush(ready, r)
    return order
