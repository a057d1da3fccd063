"""Matching each participant with the most similar person who did not take part.

Exact on the stratum (organisation and role level at the participant's entry), then nearest
neighbour on the starting skill score within a caliper, with replacement: a non-participant may
stand in for several participants (each pairing is counted once per participant), which keeps
every match as close as possible at the cost of a wider interval. Participants are never in the
pool: a unit is one or the other, and the pool is filtered on that, so matching can never pair
a participant with a participant. Ties go to the lowest identifier so the result is repeatable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from mobilise.core.problems import InvalidInput, Problem


@dataclass(frozen=True)
class Unit:
    """One person's outcome before (at entry) and after (the follow-up date).

    `stratum` is what must match exactly (organisation, role level); `baseline` the starting
    skill score matched within the caliper; `before` and `after` the outcome (usually the same
    skill score, measured at entry and at the follow-up).
    """

    id: int
    participant: bool
    stratum: Hashable
    baseline: float
    before: float
    after: float


@dataclass(frozen=True)
class Match:
    participant: Unit
    control: Unit

    @property
    def distance(self) -> float:
        return abs(self.participant.baseline - self.control.baseline)


def match_controls(units: Sequence[Unit], caliper: float) -> tuple[list[Match], list[Unit]]:
    """Pairs (participant, nearest non-participant in the same stratum within the caliper), and
    the participants left without one."""
    if not caliper >= 0:
        raise InvalidInput([Problem("matching", None, "caliper", str(caliper), "must be >= 0")])
    pools: dict[Hashable, list[Unit]] = defaultdict(list)
    for unit in units:
        if not unit.participant:
            pools[unit.stratum].append(unit)
    sorted_pools = {
        stratum: sorted(pool, key=lambda u: (u.baseline, u.id)) for stratum, pool in pools.items()
    }
    baselines = {
        stratum: np.array([u.baseline for u in pool], dtype=np.float64)
        for stratum, pool in sorted_pools.items()
    }
    matches: list[Match] = []
    unmatched: list[Unit] = []
    for unit in sorted((u for u in units if u.participant), key=lambda u: u.id):
        pool = sorted_pools.get(unit.stratum, [])
        if not pool:
            unmatched.append(unit)
            continue
        distances = np.abs(baselines[unit.stratum] - unit.baseline)
        best = float(distances.min())
        if best > caliper:
            unmatched.append(unit)
            continue
        nearest = [pool[i] for i in np.flatnonzero(distances == best)]
        matches.append(Match(unit, min(nearest, key=lambda u: u.id)))
    return matches, unmatched
