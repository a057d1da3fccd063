"""Career paths: the least-gap sequence of role level moves from where a person is to a target.

The move rule (docs/profiles.md repeats it for users):

- **up**: from a role level to the next level of the same role (the smallest greater
  `level_order`; the framework numbers a role's levels from its most junior);
- **lateral**: to a level of another role in the same job family whose `level_order` is the same
  or one either side, the sideways moves the DDaT framework describes within a family (a data
  analyst to a data scientist; one level down is allowed because levels of different roles are
  not exactly aligned).

Moves never leave the job family and never go down within a role, so a target in another family,
or below the start in the same role, is unreachable: the result says so, it is not an error.

A step's gap is what the new role level requires beyond what the person brings to it: their own
levels for the first step, and for later steps their levels raised to the requirements of the
role level they move from (holding a role level is taken to mean meeting it). That keeps each
step's weight a function of its two ends, so Dijkstra's algorithm finds the exact optimum. The
path minimises the total gap, then the number of steps, then (for determinism) the sequence of
rows; this order is preserved by extending paths, which is what Dijkstra's algorithm needs.
Since a gap taken in two steps is never smaller than taken in one, a path has several steps only
where no single move reaches the target (several levels up, or across and up).
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from mobilise.core.profiles.gaps import Int8Array

Move = Literal["up", "lateral"]


@dataclass(frozen=True, slots=True)
class RoleLevelPlace:
    """Where a role level sits in the framework: its role, its role's job family, its order."""

    role_id: int
    family_id: int
    level_order: int


@dataclass(frozen=True)
class MoveGraph:
    """For each role level row, the moves from it as (row, kind), by row. Build once per
    framework version and reuse for everyone."""

    places: tuple[RoleLevelPlace, ...]
    moves: tuple[tuple[tuple[int, Move], ...], ...]


def move_graph(places: Sequence[RoleLevelPlace]) -> MoveGraph:
    by_role: dict[int, list[int]] = defaultdict(list)
    by_family: dict[int, list[int]] = defaultdict(list)
    for row, place in enumerate(places):
        by_role[place.role_id].append(row)
        by_family[place.family_id].append(row)
    moves: list[tuple[tuple[int, Move], ...]] = []
    for place in places:
        found: dict[int, Move] = {}
        higher = [
            places[r].level_order
            for r in by_role[place.role_id]
            if places[r].level_order > place.level_order
        ]
        if higher:
            step_to = min(higher)
            for r in by_role[place.role_id]:
                if places[r].level_order == step_to:
                    found[r] = "up"
        for r in by_family[place.family_id]:
            other = places[r]
            if other.role_id != place.role_id and abs(other.level_order - place.level_order) <= 1:
                found[r] = "lateral"
        moves.append(tuple(sorted(found.items())))
    return MoveGraph(tuple(places), tuple(moves))


@dataclass(frozen=True, slots=True)
class CareerStep:
    from_row: int
    to_row: int
    move: Move
    total: int
    short: int
    # (skill column, levels short) for each skill the step asks more of, by column.
    shortfall: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class CareerPath:
    start: int
    target: int
    reachable: bool
    steps: tuple[CareerStep, ...]
    total: int
    reason: str = ""


def career_path(
    graph: MoveGraph, requirements: Int8Array, levels: Int8Array, start: int, target: int
) -> CareerPath:
    """The least-gap path from role level row `start` to row `target` for a person's `levels`
    (rows of `requirements` are the graph's rows)."""
    rows = len(graph.places)
    required = np.asarray(requirements, dtype=np.int8)
    person = np.asarray(levels, dtype=np.int8)
    if required.shape[0] != rows or person.shape != (required.shape[1],):
        raise ValueError("the requirements, the person's levels and the move graph must agree")
    for name, row in (("start", start), ("target", target)):
        if not 0 <= row < rows:
            raise ValueError(f"{name} row {row} is not a role level of the move graph")
    best = _dijkstra(graph, required, person, start, target)
    if best is None:
        return CareerPath(start, target, False, (), 0, _unreachable(graph, start, target))
    steps = tuple(_step(graph, required, person, a, b, start) for a, b in itertools.pairwise(best))
    return CareerPath(start, target, True, steps, sum(s.total for s in steps))


def _base(required: Int8Array, person: Int8Array, row: int, start: int) -> Int8Array:
    return person if row == start else np.maximum(person, required[row])


def _dijkstra(
    graph: MoveGraph, required: Int8Array, person: Int8Array, start: int, target: int
) -> tuple[int, ...] | None:
    # Keys are (total gap, steps, rows of the path): lexicographic, and extending two paths by
    # the same move keeps their order, so the first time a row is popped its key is the least.
    heap: list[tuple[int, int, tuple[int, ...]]] = [(0, 0, (start,))]
    done: set[int] = set()
    while heap:
        total, count, path = heapq.heappop(heap)
        row = path[-1]
        if row in done:
            continue
        if row == target:
            return path
        done.add(row)
        targets = [r for r, _ in graph.moves[row] if r not in done]
        if not targets:
            continue
        base = _base(required, person, row, start)
        weights = np.maximum(required[targets] - base, 0).sum(axis=1, dtype=np.int32).tolist()
        for r, weight in zip(targets, weights, strict=True):
            heapq.heappush(heap, (total + weight, count + 1, (*path, r)))
    return None


def _step(
    graph: MoveGraph, required: Int8Array, person: Int8Array, a: int, b: int, start: int
) -> CareerStep:
    shortfall = np.maximum(required[b] - _base(required, person, a, start), 0)
    columns = np.flatnonzero(shortfall)
    move = dict(graph.moves[a])[b]
    return CareerStep(
        from_row=a,
        to_row=b,
        move=move,
        total=int(shortfall.sum()),
        short=len(columns),
        shortfall=tuple((int(c), int(shortfall[c])) for c in columns),
    )


def _unreachable(graph: MoveGraph, start: int, target: int) -> str:
    here, there = graph.places[start], graph.places[target]
    if here.family_id != there.family_id:
        return "the target is in another job family, and career moves stay within a job family"
    if here.role_id == there.role_id and there.level_order < here.level_order:
        return "the target is below the current level of the same role"
    return (
        "no sequence of moves (up a level, or across to a role of the same job family at a "
        "level one either side) leads there"
    )
