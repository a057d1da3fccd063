"""Benchmark least-cost learning pathways over a synthetic 2,000-item catalogue.

    python bench/pathway.py                      # 300 single plans, then 10,000 people in batch
    python bench/pathway.py --batch 2000         # a smaller batch (say so when extrapolating)
    python bench/pathway.py --processes 2        # the batch split over two processes

The catalogue is synthetic (fixed seed) over the shipped DDaT skills: articles and e-learning
teach awareness and working levels, workshops and courses up to practitioner or expert,
apprenticeship modules practitioner and expert; a third of the advanced items require one or two
earlier items on the same skill. People hold a DDaT role level with their skills at about its
levels (bench/gaps.py) and aim at the next level of their role (or a level across their job
family); some have completed a few items. Baselines in the same run: a greedy plan (for each gap,
the cheapest way to close it given what is already chosen: what one would write without a
solver) for the hours it wastes, and CP-SAT over the whole catalogue (no pruning to the items
that matter) for the time the pruning saves.
Goals (issue 4): one person, median ≤ 100 ms; 10,000 people in batch ≤ 5 min on 2 cores.
"""

from __future__ import annotations

import argparse
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

import numpy as np
from gaps import Ddat, ddat, synthetic_people
from ortools.sat.python import cp_model

from mobilise.core.learning.catalogue import Catalogue, CatalogueItem, prepare_catalogue
from mobilise.core.learning.pathway import (
    Pathway,
    PathwayRequest,
    plan_pathway,
    plan_pathways,
)

# format: (share, hours choices, cost choices in pounds, levels taught)
FORMATS: dict[str, tuple[float, list[float], list[int], list[int]]] = {
    "article": (0.25, [0.25, 0.5, 0.75, 1], [0], [1, 2]),
    "e-learning": (0.35, [1, 1.5, 2, 3, 4, 6], [0, 0, 20, 45, 90, 150], [1, 2, 2]),
    "workshop": (0.15, [3.5, 7, 14], [300, 450, 600, 1200], [2, 3]),
    "course": (0.20, [18, 24, 36, 48, 60, 80], [500, 900, 1500, 2400, 3000], [2, 3, 3, 4]),
    "apprenticeship-module": (0.05, [40, 80, 120, 200], [0], [3, 4]),
}


def synthetic_catalogue(skill_ids: tuple[int, ...], items: int, seed: int) -> list[CatalogueItem]:
    rng = np.random.default_rng(seed)
    names = list(FORMATS)
    shares = [FORMATS[n][0] for n in names]
    made: list[CatalogueItem] = []
    by_skill: dict[int, list[int]] = {}
    for item_id in range(1, items + 1):
        fmt = names[int(rng.choice(len(names), p=shares))]
        _, hours, costs, levels = FORMATS[fmt]
        taught = rng.choice(skill_ids, int(rng.integers(1, 4)), replace=False).tolist()
        teaches = {int(s): int(rng.choice(levels)) for s in taught}
        prerequisites: set[int] = set()
        if max(teaches.values()) >= 3 and rng.random() < 1 / 3:
            earlier = [i for s in taught for i in by_skill.get(int(s), [])]
            if earlier:
                prerequisites = {int(i) for i in rng.choice(earlier, int(rng.integers(1, 3)))}
        made.append(
            CatalogueItem(
                id=item_id,
                hours=Decimal(str(rng.choice(hours))),
                cost_pence=int(rng.choice(costs)) * 100,
                teaches=teaches,
                prerequisites=tuple(sorted(prerequisites)),
                key=f"synthetic-{fmt}-{item_id}",
            )
        )
        for s in teaches:
            by_skill.setdefault(s, []).append(item_id)
    return made


def requests(
    d: Ddat, people: int, items: int, seed: int, *, far: bool = False
) -> list[PathwayRequest]:
    """People aiming at the next level of their role (or across their family); with `far`, at
    any role level of the framework, which gives about twice the gaps."""
    levels, _, held = synthetic_people(d.requirements, people, seed)
    rng = np.random.default_rng(seed + 1)
    places = d.places
    next_up: dict[int, list[int]] = {}
    for r, place in enumerate(places):
        ups = [
            q
            for q, other in enumerate(places)
            if other.role_id == place.role_id and other.level_order == place.level_order + 1
        ]
        across = [
            q
            for q, other in enumerate(places)
            if other.family_id == place.family_id
            and other.role_id != place.role_id
            and abs(other.level_order - place.level_order) <= 1
        ]
        next_up[r] = ups or across or [r]
    axis = d.axis.skill_ids
    out = []
    for p in range(people):
        choices = range(len(places)) if far else next_up[int(held[p])]
        target = int(rng.choice(choices))
        row = levels[p]
        current = {axis[c]: int(row[c]) for c in np.flatnonzero(row)}
        required_row = d.requirements[target]
        required = {axis[c]: int(required_row[c]) for c in np.flatnonzero(required_row)}
        completed = rng.integers(1, items + 1, int(rng.integers(0, 4))).tolist()
        out.append(PathwayRequest(current, required, tuple(completed)))
    return out


def greedy(catalogue: Catalogue[CatalogueItem], request: PathwayRequest) -> tuple[Decimal, int]:
    """Baseline: close gaps one by one, each the cheapest way (in hours) given what is chosen."""
    done = {catalogue.position[i] for i in request.completed if i in catalogue.position}
    chosen: set[int] = set()
    for skill, level in sorted(request.required.items()):
        if level <= request.current.get(skill, 0):
            continue
        options = [
            p for lv, p in catalogue.teachers.get(skill, ()) if lv >= level and p not in done
        ]
        if not options or any(catalogue.items[p].teaches.get(skill, 0) >= level for p in chosen):
            continue
        best: tuple[int, set[int]] | None = None
        for p in options:
            need = closure(catalogue, p, done) - chosen
            hours = sum(catalogue.hours_units[q] for q in need)
            if best is None or hours < best[0]:
                best = (hours, need)
        assert best is not None
        chosen |= best[1]
    units = sum(catalogue.hours_units[p] for p in chosen)
    return Decimal(units) / catalogue.hours_scale, len(chosen)


def closure(catalogue: Catalogue[CatalogueItem], start: int, done: set[int]) -> set[int]:
    seen: set[int] = set()
    stack = [start]
    while stack:
        p = stack.pop()
        if p not in seen and p not in done:
            seen.add(p)
            stack.extend(catalogue.prerequisites[p])
    return seen


def whole_catalogue(
    catalogue: Catalogue[CatalogueItem], request: PathwayRequest
) -> tuple[float, int]:
    """Baseline: the same model over every item of the catalogue (hours only), unpruned."""
    done = {catalogue.position[i] for i in request.completed if i in catalogue.position}
    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in catalogue.items]
    for p in done:
        model.add(x[p] == 0)
    for skill, level in sorted(request.required.items()):
        if level > request.current.get(skill, 0):
            options = [
                x[p] for lv, p in catalogue.teachers.get(skill, ()) if lv >= level and p not in done
            ]
            if options:
                model.add_bool_or(options)
    for p, prerequisites in enumerate(catalogue.prerequisites):
        for q in prerequisites:
            if q not in done:
                model.add_implication(x[p], x[q])
    model.minimize(cp_model.LinearExpr.weighted_sum(x, list(catalogue.hours_units)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    started = time.perf_counter()
    status = solver.solve(model)
    assert status == cp_model.OPTIMAL
    return (time.perf_counter() - started) * 1000, round(solver.objective_value)


def single(
    catalogue: Catalogue[CatalogueItem], people: list[PathwayRequest], aim: str
) -> tuple[list[Pathway[CatalogueItem]], list[float]]:
    times: list[float] = []
    plans: list[Pathway[CatalogueItem]] = []
    for request in people:
        started = time.perf_counter()
        plans.append(plan_pathway(catalogue, request.current, request.required, request.completed))
        times.append((time.perf_counter() - started) * 1000)
    ordered = sorted(times)
    gaps = [len(p.closed) + len(p.unclosable) for p in plans]
    print(
        f"one person at a time ({len(people)} people aiming at {aim}, least hours, no shared "
        f"work): median {statistics.median(times):.1f} ms, p95 "
        f"{ordered[int(0.95 * (len(ordered) - 1))]:.1f} ms, max {ordered[-1]:.1f} ms; all "
        f"optimal={all(p.status == 'optimal' for p in plans)}; gaps per person median "
        f"{statistics.median(gaps):.0f} (max {max(gaps)}), unclosable "
        f"{sum(len(p.unclosable) for p in plans) / len(plans):.1f} on average; items per pathway "
        f"median {statistics.median(len(p.steps) for p in plans):.0f} (max "
        f"{max(len(p.steps) for p in plans)}); goal: median ≤ 100 ms"
    )
    return plans, times


def _batch(args: tuple[int, int, int, int, int]) -> tuple[int, int, float]:
    items, seed, people, start, stop = args
    d = ddat()
    catalogue = prepare_catalogue(synthetic_catalogue(d.axis.skill_ids, items, seed))
    todo = requests(d, people, items, seed)[start:stop]
    started = time.perf_counter()
    result = plan_pathways(catalogue, todo)
    return len(result), sum(len(p.steps) for p in result), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--single", type=int, default=300)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    d = ddat()
    made = synthetic_catalogue(d.axis.skill_ids, args.items, args.seed)
    started = time.perf_counter()
    catalogue = prepare_catalogue(made)
    prepare_ms = (time.perf_counter() - started) * 1000
    with_prerequisites = sum(1 for i in made if i.prerequisites)
    print(
        f"catalogue: {len(made):,} synthetic items over {len(d.axis)} DDaT skills "
        f"({with_prerequisites} with prerequisites); checked and indexed in {prepare_ms:.0f} ms"
    )

    people = requests(d, max(args.single, args.batch), args.items, args.seed)
    plans, times = single(catalogue, people[: args.single], "the next level")
    far = requests(d, args.single, args.items, args.seed, far=True)
    single(catalogue, far, "any role level")

    wasted = []
    greedy_ms = []
    for request, plan in zip(people[: args.single], plans, strict=True):
        started = time.perf_counter()
        hours, _ = greedy(catalogue, request)
        greedy_ms.append((time.perf_counter() - started) * 1000)
        assert hours >= plan.hours
        if plan.hours:
            wasted.append(float(hours / plan.hours) - 1)
    worse = sum(1 for w in wasted if w > 0)
    mean_waste = 100 * statistics.mean(wasted)
    print(
        f"greedy baseline (same people): median {statistics.median(greedy_ms):.2f} ms; more hours "
        f"than the optimum for {worse} of {len(wasted)} people, by {mean_waste:.1f}% on average "
        f"(max {100 * max(wasted):.0f}%)"
    )

    whole = []
    ours = []
    for request, plan, took in list(zip(people, plans, times, strict=False))[:30]:
        ms, units = whole_catalogue(catalogue, request)
        assert units == round(plan.hours * catalogue.hours_scale)
        whole.append(ms)
        ours.append(took)
    ratio = statistics.median(whole) / statistics.median(ours)
    print(
        f"whole-catalogue CP-SAT baseline (first {len(whole)} people, hours only, solve time "
        f"alone): median {statistics.median(whole):.1f} ms against "
        f"{statistics.median(ours):.1f} ms for the pruned plan with both tie-break stages; ratio "
        f"{ratio:.1f}×; same least hours for all {len(whole)}"
    )

    if args.batch:
        chunks = [
            (
                args.items,
                args.seed,
                args.batch,
                k * args.batch // args.processes,
                (k + 1) * args.batch // args.processes,
            )
            for k in range(args.processes)
        ]
        started = time.perf_counter()
        if args.processes == 1:
            results = [_batch(chunks[0])]
        else:
            with ProcessPoolExecutor(args.processes) as pool:
                results = list(pool.map(_batch, chunks))
        wall = time.perf_counter() - started
        planned = sum(r[0] for r in results)
        print(
            f"batch: {planned:,} people in {args.processes} process(es): {wall:.1f} s wall "
            f"(including each process building its catalogue and people), planning alone "
            f"{max(r[2] for r in results):.1f} s in the slowest process; "
            f"{1000 * wall / planned:.1f} ms per person; goal: 10,000 ≤ 300 s on 2 cores"
        )


if __name__ == "__main__":
    main()
