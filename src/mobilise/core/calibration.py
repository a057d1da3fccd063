"""Score calibration: a monotone map from a scorer's raw scores to the probability that a
suggestion is right, fitted by isotonic regression on labelled (score, right?) pairs; held-out
predictions by folds of groups (pairs of one group are never split); and the lowest threshold
whose suggestions reach a target precision.

A calibration is a piecewise-linear function through fitted knots, clipped to [0, 1]: it is
non-decreasing by construction, so it never reorders suggestions, only renames their scores.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.isotonic import IsotonicRegression

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Calibration:
    """Knots (raw score, probability), raw scores increasing; probabilities non-decreasing."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.xs or len(self.xs) != len(self.ys):
            raise ValueError("a calibration needs as many probabilities as knots, at least one")
        if any(b < a for a, b in zip(self.xs, self.xs[1:], strict=False)):
            raise ValueError("knots must be in increasing order of raw score")
        if any(b < a for a, b in zip(self.ys, self.ys[1:], strict=False)):
            raise ValueError("probabilities must not decrease")
        if not all(0.0 <= y <= 1.0 for y in self.ys):
            raise ValueError("probabilities must be in [0, 1]")

    def apply(self, scores: ArrayLike) -> FloatArray:
        values = np.asarray(scores, dtype=np.float64)
        mapped = np.interp(values, np.asarray(self.xs), np.asarray(self.ys))
        return np.asarray(np.clip(mapped, 0.0, 1.0), dtype=np.float64)

    def to_json(self) -> dict[str, list[float]]:
        return {"xs": [round(x, 6) for x in self.xs], "ys": [round(y, 6) for y in self.ys]}

    @classmethod
    def from_json(cls, text: str) -> Calibration:
        data = json.loads(text)
        return cls(tuple(float(x) for x in data["xs"]), tuple(float(y) for y in data["ys"]))


def fit_isotonic(scores: ArrayLike, right: ArrayLike) -> Calibration:
    """The isotonic (non-decreasing) fit of `right` (0/1) on `scores`."""
    x = np.asarray(scores, dtype=np.float64)
    y = np.asarray(right, dtype=np.float64)
    if x.size == 0:
        raise ValueError("no pairs to calibrate on")
    model = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(x, y)
    xs = np.asarray(model.X_thresholds_, dtype=np.float64)
    ys = np.clip(np.asarray(model.y_thresholds_, dtype=np.float64), 0.0, 1.0)
    return Calibration(tuple(float(v) for v in xs), tuple(float(v) for v in ys))


def held_out(
    scores: ArrayLike, right: ArrayLike, groups: Sequence[str], folds: int = 5
) -> FloatArray:
    """Each pair's calibrated score from a fit on the other folds; a group's pairs share a fold
    (groups dealt round robin in order of first appearance: the split never depends on hashing)."""
    x = np.asarray(scores, dtype=np.float64)
    y = np.asarray(right, dtype=np.float64)
    order: dict[str, int] = {}
    for group in groups:
        order.setdefault(group, len(order))
    fold_of = np.asarray([order[g] % folds for g in groups], dtype=np.int64)
    result = np.zeros_like(x)
    for fold in range(folds):
        test = fold_of == fold
        train = ~test
        if not test.any():
            continue
        if not train.any():
            result[test] = float(y.mean())
            continue
        result[test] = fit_isotonic(x[train], y[train]).apply(x[test])
    return result


def threshold_for_precision(scores: ArrayLike, right: ArrayLike, target: float) -> float | None:
    """The lowest score t such that the pairs scoring at least t are right at least `target` of
    the time (the most suggestions at that precision); None if no t reaches it."""
    x = np.asarray(scores, dtype=np.float64)
    y = np.asarray(right, dtype=np.float64)
    if x.size == 0:
        return None
    order = np.argsort(-x, kind="stable")
    x, y = x[order], y[order]
    precision = np.cumsum(y) / np.arange(1, x.size + 1)
    # Only cut between distinct scores: all pairs with the same score are in or out together.
    last_of_score = np.append(x[1:] != x[:-1], True)
    ok = np.flatnonzero(last_of_score & (precision >= target))
    if ok.size == 0:
        return None
    return float(x[ok[-1]])
