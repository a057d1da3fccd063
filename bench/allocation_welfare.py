"""Benchmark the welfare and fair methods.

    python bench/allocation_welfare.py              # all three parts
    python bench/allocation_welfare.py --skip-large # without the 10,000,000-edge run
    python bench/allocation_welfare.py --skip-fair --reference-large  # welfare only, and OR-Tools

1. welfare against HiGHS (scipy.optimize.linprog, the named baseline) on the same LP, same run,
   at a size where HiGHS finishes (200,000 edges), and against the previous solver (OR-Tools'
   min-cost flow, `reference_welfare_matching`); checks all reach the same objective value.
2. welfare on 10,000,000 applicant–opportunity edges (500,000 applicants × 20 preferences over
   20,000 opportunities), in a fresh process so its peak memory (VmHWM) is the solver's own;
   with --reference-large, OR-Tools on the same file in another fresh process (about a minute).
   Wall and CPU seconds are both printed: the machine is shared, and CPU time is what the
   solver itself used.
3. fair on a TechTrack-sized instance (2,000 candidates × 100 placements), with quotas of 60% of
   places outside London and 15% to an under-represented group code: time and welfare cost, for
   base "welfare" and base "stable" (by repair beyond the exact search's size, which is also
   tried on 12 × 4), and on small cohorts (40 × 10, 200 × 10).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
from measure import peak_rss_mb

from mobilise.core.allocation.fair import fair_matching
from mobilise.core.allocation.problem import AllocationProblem, problem_from_arrays
from mobilise.core.allocation.quality import measure
from mobilise.core.allocation.quota_model import quota_blocking_pair_mask
from mobilise.core.allocation.quotas import Bound, Quota
from mobilise.core.allocation.stable import stable_matching
from mobilise.core.allocation.welfare import (
    edge_costs,
    reference_welfare_matching,
    welfare_matching,
    welfare_value,
)
from mobilise.core.problems import InvalidInput


def generate(
    applicants: int, opportunities: int, preferences: int, seed: int, fill: float = 0.9
) -> dict[str, np.ndarray]:
    """Popular first choices, then nearby opportunities; opportunities rank by merit plus noise.

    Vectorised (no per-applicant Python), so 10 million edges take seconds to make.
    """
    rng = np.random.default_rng(seed)
    k = preferences
    popularity = rng.pareto(1.5, opportunities) + 1.0
    popularity /= popularity.sum()
    first = rng.choice(opportunities, applicants, p=popularity)
    # Distinct by construction: strictly increasing offsets from the first choice.
    offsets = np.cumsum(rng.integers(1, max(2, opportunities // (2 * k)), (applicants, k)), axis=1)
    offsets -= offsets[:, :1]
    rest = np.argsort(rng.random((applicants, k - 1)), axis=1)
    offsets[:, 1:] = np.take_along_axis(offsets[:, 1:], rest, axis=1)
    pref_opp = ((first[:, None] + offsets) % opportunities).reshape(-1).astype(np.int64)
    del offsets, rest
    app = np.repeat(np.arange(applicants, dtype=np.int64), k)
    score = rng.normal(size=applicants)[app] + rng.normal(scale=0.5, size=len(app))
    order = np.lexsort((-score, pref_opp))
    rank_app = app[order]
    rank_ptr = np.zeros(opportunities + 1, dtype=np.int64)
    np.cumsum(np.bincount(pref_opp, minlength=opportunities), out=rank_ptr[1:])
    mean = fill * applicants / opportunities
    capacity = rng.integers(1, max(2, int(2 * mean)), opportunities).astype(np.int64)
    return {
        "capacity": capacity,
        "pref_ptr": np.arange(0, applicants * k + 1, k, dtype=np.int64),
        "pref_opp": pref_opp,
        "rank_ptr": rank_ptr,
        "rank_app": rank_app,
    }


def index(arrays: dict[str, np.ndarray], **extra: object) -> AllocationProblem:
    n_app = len(arrays["pref_ptr"]) - 1
    n_opp = len(arrays["capacity"])
    return problem_from_arrays(
        [f"a{i}" for i in range(n_app)],
        [f"o{j}" for j in range(n_opp)],
        arrays["capacity"],
        arrays["pref_ptr"],
        arrays["pref_opp"],
        arrays["rank_ptr"],
        arrays["rank_app"],
        **extra,  # type: ignore[arg-type]
    )


def highs_seconds(problem: AllocationProblem) -> tuple[float, float]:
    """The same lexicographic objective as one LP (its matrix is totally unimodular)."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix, vstack

    costs = edge_costs(problem, "rank")
    n_edges = len(costs)
    app = np.repeat(np.arange(problem.applicants), np.diff(problem.pref_ptr))
    worst = np.zeros(problem.applicants, dtype=np.int64)
    np.maximum.at(worst, app, costs)
    weight = float(worst.sum() + 1)
    ones = np.ones(n_edges)
    columns = np.arange(n_edges)
    per_applicant = csr_matrix((ones, (app, columns)), shape=(problem.applicants, n_edges))
    per_opportunity = csr_matrix(
        (ones, (problem.pref_opp, columns)), shape=(problem.opportunities, n_edges)
    )
    started = time.perf_counter()
    result = linprog(
        costs - weight,
        A_ub=vstack([per_applicant, per_opportunity]).tocsr(),
        b_ub=np.concatenate([np.ones(problem.applicants), problem.capacity]),
        bounds=(0, 1),
        method="highs",
    )
    seconds = time.perf_counter() - started
    if result.status != 0:
        raise SystemExit(f"HiGHS failed: {result.message}")
    return seconds, -float(result.fun)


def compare_with_highs(seed: int) -> None:
    problem = index(generate(10_000, 1_000, 20, seed))
    # Load the kernels and the solver library once, outside the timings.
    welfare_matching(problem)
    reference_welfare_matching(problem)
    started = time.perf_counter()
    assigned = welfare_matching(problem)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    reference = reference_welfare_matching(problem)
    previous = time.perf_counter() - started
    value = welfare_value(problem, assigned, "rank")
    reference_value = welfare_value(problem, reference, "rank")
    costs = edge_costs(problem, "rank")
    app = np.repeat(np.arange(problem.applicants), np.diff(problem.pref_ptr))
    worst = np.zeros(problem.applicants, dtype=np.int64)
    np.maximum.at(worst, app, costs)
    weight = int(worst.sum()) + 1
    # total rank is 1-based; the LP's costs are 0-based positions.
    ours_objective = weight * value.matched - (value.total - value.matched)
    theirs, highs_objective = highs_seconds(problem)
    same = abs(ours_objective - highs_objective) < 0.5 and value == reference_value
    print(
        f"welfare 10,000 × 1,000 ({len(problem.pref_opp):,} edges): mobilise (shortest paths) "
        f"{ours:.3f} s, HiGHS LP (baseline) {theirs:.2f} s, ratio {theirs / ours:,.0f}×; "
        f"previous OR-Tools min-cost flow {previous:.3f} s, ratio {previous / ours:,.1f}×; "
        f"same objective={same} (matched {value.matched:,}, mean rank "
        f"{value.total / value.matched:.3f})"
    )
    if not same:
        raise SystemExit(f"objectives differ: {ours_objective} vs {highs_objective}")


def solve_only(path: str, solver: str) -> None:
    baseline_mb = peak_rss_mb()
    arrays = dict(np.load(path))
    solve = welfare_matching if solver == "mobilise" else reference_welfare_matching
    started, cpu_started = time.perf_counter(), time.process_time()
    problem = index(arrays)
    indexed, cpu_indexed = time.perf_counter(), time.process_time()
    assigned = solve(problem)
    solved, cpu_solved = time.perf_counter(), time.process_time()
    peak = peak_rss_mb()
    stable = stable_matching(problem)
    value, stable_value = (welfare_value(problem, m, "rank") for m in (assigned, stable))
    name = "shortest paths" if solver == "mobilise" else "OR-Tools min-cost flow (previous)"
    print(
        f"welfare {problem.applicants:,} × {problem.opportunities:,} "
        f"({len(problem.pref_opp):,} edges), {name}: indexing {indexed - started:.2f} s + "
        f"solving {solved - indexed:.2f} s = {solved - started:.2f} s wall "
        f"({cpu_solved - cpu_started:.2f} s CPU, of which solving "
        f"{cpu_solved - cpu_indexed:.2f} s); peak RSS {peak:,.0f} MB (of which "
        f"{baseline_mb:,.0f} MB before loading); matched {value.matched:,} (stable "
        f"{stable_value.matched:,}), total rank {value.total:,.0f}, mean rank "
        f"{value.total / value.matched:.3f} (stable "
        f"{stable_value.total / stable_value.matched:.3f}), blocking pairs left "
        f"{measure(problem, assigned).blocking_pairs:,}"
    )


def large(seed: int, reference: bool) -> None:
    started = time.perf_counter()
    arrays = generate(500_000, 20_000, 20, seed)
    print(f"generated 10,000,000 edges in {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "problem.npz"
        np.savez(path, **arrays)
        del arrays
        for solver in ("mobilise", "reference") if reference else ("mobilise",):
            subprocess.run(
                [sys.executable, __file__, "--solve-only", str(path), "--solver", solver],
                check=True,
            )


def techtrack(seed: int, applicants: int, opportunities: int, bases: tuple[str, ...]) -> None:
    rng = np.random.default_rng(seed)
    arrays = generate(applicants, opportunities, min(10, opportunities), seed, fill=0.5)
    regions = rng.choice(
        ["London", "South East", "North West", "Wales"], applicants, p=[0.5, 0.2, 0.2, 0.1]
    )
    groups = rng.choice(["u", "o"], applicants, p=[0.1, 0.9])
    attributes = [{"region": r, "group": g} for r, g in zip(regions, groups, strict=True)]
    quotas = (
        Quota("outside-london", "region", ("London",), True, Bound.MIN_SHARE, Fraction(3, 5)),
        Quota("under-represented", "group", ("u",), False, Bound.MIN_SHARE, Fraction(3, 20)),
    )
    problem = index(arrays, applicant_attributes=attributes)
    for base in bases:
        started = time.perf_counter()
        try:
            result = fair_matching(problem, quotas, base=base, seed=seed)  # type: ignore[arg-type]
        except InvalidInput as error:
            print(
                f"fair base={base} {applicants:,} × {opportunities}: no answer after "
                f"{time.perf_counter() - started:.1f} s: {error}"
            )
            continue
        seconds = time.perf_counter() - started
        shown = ", ".join(
            f"{r.id} {r.achieved:.1%} (target {r.target:.0%}, without quotas {r.unconstrained:.1%})"
            for r in result.quota_reports
        )
        left = int(quota_blocking_pair_mask(problem, quotas, result.assigned).sum())
        print(
            f"fair base={base} {applicants:,} × {opportunities} ({len(problem.pref_opp):,} edges, "
            f"{int(problem.capacity.sum())} places): {seconds:.2f} s, {result.approach}, "
            f"{result.rounds} round(s), optimal={result.optimal}, quota-respecting blocking pairs "
            f"{left}, blocking pairs {measure(problem, result.assigned).blocking_pairs}; "
            f"{shown}; matched {result.value.matched} vs {result.unconstrained.matched} without "
            f"quotas, total rank {result.value.total:.0f} vs {result.unconstrained.total:.0f} "
            f"(welfare cost {result.total_cost:+.0f} rank points, {result.placed_cost} places)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reference-large", action="store_true")
    parser.add_argument("--skip-fair", action="store_true")
    parser.add_argument("--solve-only", help=argparse.SUPPRESS)
    parser.add_argument("--solver", default="mobilise", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.solve_only:
        solve_only(args.solve_only, args.solver)
        return
    compare_with_highs(args.seed)
    if not args.skip_fair:
        for applicants, opportunities in ((2_000, 100), (12, 4), (40, 10), (200, 10)):
            techtrack(args.seed, applicants, opportunities, ("welfare", "stable"))
    if not args.skip_large:
        large(args.seed, args.reference_large)


if __name__ == "__main__":
    main()
