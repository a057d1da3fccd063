"""Ranking opportunities by fit for one person, and an opportunity's applicants by fit.

Baseline, measured in the same run: the same fit computed opportunity by opportunity (and
applicant by applicant) in plain Python from {skill: level} dictionaries, as a straightforward
service would. Mobilise's way is the core's (core/marketplace/fit.py): for a person, a few numpy
passes over the store's (opportunity, skill, level) rows; for an opportunity's applicants, their
level rows over its required skills. All must give the same fits.

    .venv/bin/python bench/marketplace_fit.py [--opportunities 20000] [--applicants 50000]
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np

from mobilise.core.marketplace import (
    fits_from_rows,
    fits_of_applicants,
    fits_of_opportunities,
    ranking,
)
from mobilise.core.profiles.gaps import SkillAxis, level_row, requirement_matrix

SKILLS = 190  # about the framework's skills


def _fit(levels: dict[int, int], need: dict[int, int]) -> float:
    demand = sum(need.values())
    if demand == 0:
        return 1.0
    return 1.0 - sum(max(r - levels.get(s, 0), 0) for s, r in need.items()) / demand


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--opportunities", type=int, default=20_000)
    parser.add_argument("--applicants", type=int, default=50_000)
    args = parser.parse_args()
    rng = random.Random(7)
    needs = [
        {s: rng.randint(1, 4) for s in rng.sample(range(SKILLS), rng.randint(2, 6))}
        for _ in range(args.opportunities)
    ]
    person = {s: rng.randint(1, 4) for s in rng.sample(range(SKILLS), 12)}

    started = time.perf_counter()
    baseline = [_fit(person, need) for need in needs]
    baseline_order = sorted(range(len(needs)), key=lambda i: (-round(baseline[i], 9), i))
    base_seconds = time.perf_counter() - started

    # The store hands back (opportunity, skill, level) rows; the service scatters them.
    triples = [(row, s, lv) for row, need in enumerate(needs) for s, lv in need.items()]
    started = time.perf_counter()
    rows, skills, levels = (np.array([t[i] for t in triples]) for i in range(3))
    fits = fits_from_rows(len(needs), rows, skills, levels, person)
    order = ranking(fits)
    core_seconds = time.perf_counter() - started
    dense_started = time.perf_counter()
    axis = SkillAxis(tuple(sorted({s for need in needs for s in need})))
    dense = fits_of_opportunities(level_row(axis, person)[0], requirement_matrix(axis, needs))
    dense_seconds = time.perf_counter() - dense_started
    assert np.allclose(dense.score, fits.score)
    assert np.allclose(fits.score, baseline)
    # The core breaks equal fits by fewer skills short first, so compare the fits in order.
    assert np.allclose(fits.score[order], [baseline[i] for i in baseline_order])
    print(
        f"rank {args.opportunities:,} opportunities for one person: core "
        f"{1000 * core_seconds:.1f} ms (from the store's rows, fitted and ranked; a dense "
        f"matrix over every skill {1000 * dense_seconds:.1f} ms), Python per "
        f"opportunity (baseline) {1000 * base_seconds:.1f} ms, ratio "
        f"{base_seconds / core_seconds:.1f}x, same fits"
    )

    need = needs[0]
    people = [
        {s: rng.randint(1, 4) for s in rng.sample(range(SKILLS), 12)}
        for _ in range(args.applicants)
    ]
    started = time.perf_counter()
    baseline = [_fit(p, need) for p in people]
    base_seconds = time.perf_counter() - started
    started = time.perf_counter()
    axis = SkillAxis(tuple(sorted(need)))
    matrix = np.zeros((len(people), len(axis)), dtype=np.int8)
    for row, p in enumerate(people):
        matrix[row] = level_row(axis, p)[0]
    rows_seconds = time.perf_counter() - started
    applicants = fits_of_applicants(matrix, requirement_matrix(axis, [need])[0])
    ranking(applicants)
    core_seconds = time.perf_counter() - started
    assert np.allclose(applicants.score, baseline)
    print(
        f"rank {args.applicants:,} applicants for one opportunity: core "
        f"{1000 * core_seconds:.1f} ms (of which building the level rows "
        f"{1000 * rows_seconds:.1f} ms), Python per applicant "
        f"(baseline) {1000 * base_seconds:.1f} ms, ratio {base_seconds / core_seconds:.1f}x, "
        "same fits"
    )


if __name__ == "__main__":
    main()
