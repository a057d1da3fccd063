"""Benchmark team formation against a named baseline measured in the same run.

    python bench/teams.py

Baseline: the best of 20 random restarts of a simple swap search (random start; random swaps kept
when they improve isolation, then the worst team, then the mean; 20,000 tries each).
Goals (issue 5):
1,000 people into teams of 5 in ≤ 2 s with a worst team ≥ the baseline's and 0 isolated; 25 people
into teams of 5 within 1% of the CP-SAT optimum.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[1]))

from tests.core.teams.test_teams import problem

from mobilise.core.teams.exact import form_teams_exactly
from mobilise.core.teams.problem import TeamProblem
from mobilise.core.teams.score import TeamsQuality
from mobilise.core.teams.search import SwapSearch, form_teams


def simple_swap_search(p: TeamProblem, seed: int, tries: int) -> TeamsQuality:
    rng = np.random.default_rng(seed)
    sizes = np.array(p.team_sizes)
    start = rng.permutation(np.repeat(np.arange(p.teams), sizes))
    search = SwapSearch(p, start)
    best = search.quality()
    for _ in range(tries):
        i, j = (int(x) for x in rng.choice(p.people, 2, replace=False))
        if search.team_of[i] == search.team_of[j]:
            continue
        search.swap(i, j)
        quality = search.quality()
        if quality.key() > best.key():
            best = quality
        else:
            search.swap(i, j)
    return best


def main() -> None:
    p = problem(1000, 1, minority_share=0.15)
    started = time.perf_counter()
    found = form_teams(p, seed=1, seconds=1.5)
    ours_seconds = time.perf_counter() - started
    started = time.perf_counter()
    baseline = max(
        (simple_swap_search(p, seed, 20_000) for seed in range(20)), key=lambda q: q.key()
    )
    baseline_seconds = time.perf_counter() - started
    print(
        f"teams 1,000 people → {p.teams} teams of 5 (similar availability; diverse organisation, "
        f"skills; never isolate group=a): mobilise {ours_seconds:.2f} s, worst "
        f"{found.quality.worst:.4f}, mean {found.quality.mean:.4f}, isolated "
        f"{found.quality.isolated} ({found.rounds} rounds); baseline (best of 20 simple swap "
        f"searches) {baseline_seconds:.1f} s, worst {baseline.worst:.4f}, isolated "
        f"{baseline.isolated}; worst-team ratio {found.quality.worst / baseline.worst:.3f}"
    )
    gaps = []
    started = time.perf_counter()
    for seed in range(10):
        small = problem(25, seed, minority_share=0.2)
        heuristic = form_teams(small, seed=seed, rounds=300)
        exact = form_teams_exactly(small, heuristic.team_of)
        assert exact.proven_optimal
        gaps.append(heuristic.quality.worst / exact.quality.worst)
    print(
        f"teams 25 people → 5 teams, 10 instances: heuristic worst team / proven CP-SAT optimum: "
        f"min {min(gaps):.4f}, mean {np.mean(gaps):.4f} ({time.perf_counter() - started:.1f} s "
        "for all, both methods)"
    )


if __name__ == "__main__":
    main()
