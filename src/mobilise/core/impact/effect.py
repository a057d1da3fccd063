"""The effect of a programme as a difference in differences over matched pairs, with a
percentile bootstrap interval.

For each matched pair the participant's change (after − before) less their match's change is
one estimate of the effect; the effect is the mean over pairs (the average effect on those who
took part, for the participants who found a match). Differencing removes what is fixed in a
person (their starting level) and the shared trend of their organisation and role level; the
matching makes the trend comparable. The interval resamples pairs with replacement
(`resamples` times, seeded, so the same data give the same interval).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mobilise.core.impact.matching import Match
from mobilise.core.problems import InvalidInput, Problem

DEFAULT_RESAMPLES = 2000
DEFAULT_CONFIDENCE = 0.95


@dataclass(frozen=True)
class Effect:
    """The estimated effect and its interval (None when there are no pairs)."""

    pairs: int
    participants_change: float | None
    controls_change: float | None
    estimate: float | None
    low: float | None
    high: float | None
    confidence: float

    def contains(self, value: float) -> bool:
        return self.low is not None and self.high is not None and self.low <= value <= self.high


def pair_differences(matches: Sequence[Match]) -> np.ndarray:
    return np.array(
        [
            (m.participant.after - m.participant.before) - (m.control.after - m.control.before)
            for m in matches
        ],
        dtype=np.float64,
    )


def estimate_effect(
    matches: Sequence[Match],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> Effect:
    if resamples < 1 or not 0 < confidence < 1:
        raise InvalidInput(
            [
                Problem(
                    "effect",
                    None,
                    "resamples" if resamples < 1 else "confidence",
                    str(resamples if resamples < 1 else confidence),
                    "resamples must be at least 1 and confidence between 0 and 1",
                )
            ]
        )
    if not matches:
        return Effect(0, None, None, None, None, None, confidence)
    differences = pair_differences(matches)
    participants = np.array([m.participant.after - m.participant.before for m in matches])
    controls = np.array([m.control.after - m.control.before for m in matches])
    groups = np.unique([m.control.id for m in matches], return_inverse=True)[1].ravel()
    sums = np.bincount(groups, weights=differences)
    sizes = np.bincount(groups).astype(np.float64)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(sums), size=(resamples, len(sums)))
    means = sums[draws].sum(axis=1) / sizes[draws].sum(axis=1)
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return Effect(
        pairs=len(matches),
        participants_change=float(participants.mean()),
        controls_change=float(controls.mean()),
        estimate=float(differences.mean()),
        low=float(low),
        high=float(high),
        confidence=confidence,
    )
