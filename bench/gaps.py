"""Benchmark gap analysis and career paths against a per-row Python loop, in the same run.

    python bench/gaps.py                 # 50,000 people, the shipped DDaT framework
    python bench/gaps.py --people 550000

Requirements are the shipped DDaT framework's (every role level × every skill). People are
synthetic: each holds a role level and has its skills at about its required levels (±1), plus a
few others, a third of them validated. Baseline: the loop anyone would write first, over rows
(role levels, or people), each looking up only the skills the role level requires in the
person's {skill: level} dict; it is checked to give the same totals.
Goals (issue 4): one person × ~200 role levels ≤ 5 ms; 50,000 people × one role level ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from mobilise.core.framework.model import Framework
from mobilise.core.profiles.career import RoleLevelPlace, career_path, move_graph
from mobilise.core.profiles.gaps import (
    Int8Array,
    SkillAxis,
    gaps_of_people,
    gaps_to_role_levels,
    nearest_role_levels,
    requirement_matrix,
)
from mobilise.services.framework import read_framework_directory, shipped_ddat_directory

T = TypeVar("T")


@dataclass(frozen=True)
class Ddat:
    framework: Framework
    axis: SkillAxis
    requirements: Int8Array
    places: list[RoleLevelPlace]


def ddat() -> Ddat:
    """The shipped framework as matrices; skills and role levels numbered in file order."""
    framework = read_framework_directory(shipped_ddat_directory())
    skill_id = {s.key: n for n, s in enumerate(framework.skills, start=1)}
    axis = SkillAxis(tuple(skill_id.values()))
    role_family = {r.key: r.family_key for r in framework.roles}
    role_number = {r.key: n for n, r in enumerate(framework.roles)}
    family_number = {f.key: n for n, f in enumerate(framework.job_families)}
    requirements = requirement_matrix(
        axis,
        [
            {skill_id[k]: int(v) for k, v in framework.requirements_of(rl.key).items()}
            for rl in framework.role_levels
        ],
    )
    places = [
        RoleLevelPlace(
            role_number[rl.role_key], family_number[role_family[rl.role_key]], rl.level_order
        )
        for rl in framework.role_levels
    ]
    return Ddat(framework, axis, requirements, places)


def synthetic_people(
    requirements: Int8Array, people: int, seed: int
) -> tuple[Int8Array, np.ndarray, np.ndarray]:
    """Levels, validated mask, and the role level row each person holds."""
    rng = np.random.default_rng(seed)
    held = rng.integers(0, requirements.shape[0], people)
    noise = rng.integers(-1, 2, (people, requirements.shape[1]), dtype=np.int8)
    levels = np.where(requirements[held] > 0, requirements[held] + noise, 0)
    extra = rng.random((people, requirements.shape[1])) < 0.03
    levels = np.where(extra, rng.integers(1, 5, levels.shape), levels)
    levels = np.clip(levels, 0, 4).astype(np.int8)
    validated = (rng.random(levels.shape) < 1 / 3) & (levels > 0)
    return levels, validated, held


def loop_person_to_role_levels(
    person: dict[int, int], requirements: list[dict[int, int]]
) -> list[tuple[int, int]]:
    """Baseline: a Python loop over role levels, each over its required skills."""
    out = []
    for required in requirements:
        total = short = 0
        for column, need in required.items():
            have = person.get(column, 0)
            if need > have:
                total += need - have
                short += 1
        out.append((total, short))
    return out


def loop_people_to_role_level(
    people: list[dict[int, int]], required: dict[int, int]
) -> list[tuple[int, int]]:
    """Baseline: a Python loop over people, each over the role level's required skills."""
    out = []
    for person in people:
        total = short = 0
        for column, need in required.items():
            have = person.get(column, 0)
            if need > have:
                total += need - have
                short += 1
        out.append((total, short))
    return out


def dense_loop(rows: list[list[int]], person: list[int]) -> list[tuple[int, int]]:
    """Second baseline: a Python loop over the rows of the dense matrices, every column."""
    out = []
    for row in rows:
        total = short = 0
        for need, have in zip(row, person, strict=True):
            if need > have:
                total += need - have
                short += 1
        out.append((total, short))
    return out


def dense_loop_people(people: list[list[int]], required: list[int]) -> list[tuple[int, int]]:
    out = []
    for person in people:
        total = short = 0
        for need, have in zip(required, person, strict=True):
            if need > have:
                total += need - have
                short += 1
        out.append((total, short))
    return out


def timed(run: Callable[[], T], repeats: int) -> tuple[float, float, T]:
    """Median and 95th percentile in milliseconds, and the last result."""
    times = []
    result = run()  # warm-up, not timed
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    d = ddat()
    req = d.requirements
    levels, validated, held = synthetic_people(req, args.people, args.seed)
    print(
        f"DDaT: {req.shape[0]} role levels × {req.shape[1]} skills "
        f"({np.count_nonzero(req)} requirements); {args.people:,} synthetic people, "
        f"{np.count_nonzero(levels) / args.people:.1f} skills each"
    )
    sparse_requirements = [{int(c): int(row[c]) for c in np.flatnonzero(row)} for row in req]
    people_dicts = [{int(c): int(row[c]) for c in np.flatnonzero(row)} for row in levels]

    person, checked = levels[0], validated[0]
    ours, ours95, gaps = timed(lambda: gaps_to_role_levels(person, req, checked), 2000)
    base, base95, loop = timed(
        lambda: loop_person_to_role_levels(people_dicts[0], sparse_requirements), 200
    )
    dense, dense95, dense_result = timed(lambda: dense_loop(req.tolist(), person.tolist()), 50)
    found = [(int(t), int(s)) for t, s in zip(gaps.total, gaps.short, strict=True)]
    print(
        f"one person × {req.shape[0]} role levels: numpy median {ours:.3f} ms (p95 {ours95:.3f}); "
        f"per-row Python loops: over required skills {base:.3f} ms (p95 {base95:.3f}), ratio "
        f"{base / ours:.1f}×; over every column {dense:.3f} ms (p95 {dense95:.3f}), ratio "
        f"{dense / ours:.1f}×; identical={found == loop == dense_result}; goal ≤ 5 ms"
    )
    near, near95, _ = timed(
        lambda: nearest_role_levels(person, req, 10, exclude=[int(held[0])]), 2000
    )
    print(f"nearest 10 role levels for one person: median {near:.3f} ms (p95 {near95:.3f})")

    target = int(np.argmax(np.count_nonzero(req, axis=1)))
    ours, ours95, many = timed(lambda: gaps_of_people(levels, req[target], validated), 30)
    base, base95, loop = timed(
        lambda: loop_people_to_role_level(people_dicts, sparse_requirements[target]), 5
    )
    level_lists = levels.tolist()
    dense, _, dense_result = timed(lambda: dense_loop_people(level_lists, req[target].tolist()), 2)
    found = [(int(t), int(s)) for t, s in zip(many.total, many.short, strict=True)]
    print(
        f"{args.people:,} people × one role level ({np.count_nonzero(req[target])} required "
        f"skills, the most of any): numpy median {ours:.2f} ms (p95 {ours95:.2f}); per-row "
        f"Python loops: over required skills {base:.1f} ms (p95 {base95:.1f}), ratio "
        f"{base / ours:.1f}×; over every column {dense:.0f} ms, ratio {dense / ours:.0f}×; "
        f"identical={found == loop == dense_result}; goal ≤ 200 ms"
    )

    graph_ms, _, graph = timed(lambda: move_graph(d.places), 20)
    rng = np.random.default_rng(args.seed)
    times = []
    steps = []
    reachable = 0
    for p in rng.integers(0, args.people, 300).tolist():
        start = int(held[p])
        family = d.places[start].family_id
        targets = [r for r, pl in enumerate(d.places) if pl.family_id == family and r != start]
        target = int(rng.choice(targets)) if targets else start
        started = time.perf_counter()
        path = career_path(graph, req, levels[p], start, target)
        times.append((time.perf_counter() - started) * 1000)
        reachable += path.reachable
        steps.append(len(path.steps))
    times.sort()
    print(
        f"career paths (300 people to a random role level of their job family): move graph "
        f"{graph_ms:.2f} ms once ({sum(len(m) for m in graph.moves):,} moves), path median "
        f"{statistics.median(times):.2f} ms, p95 {times[int(0.95 * 299)]:.2f} ms; "
        f"{reachable} reachable, up to {max(steps)} steps"
    )


if __name__ == "__main__":
    main()
