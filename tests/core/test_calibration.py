"""Calibration: isotonic fits are monotone and in [0, 1] whatever the pairs; held-out scores come
from fits without their group; the threshold is the lowest score reaching the precision."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.calibration import (
    Calibration,
    fit_isotonic,
    held_out,
    threshold_for_precision,
)

pairs = st.lists(
    st.tuples(st.floats(0, 1, allow_nan=False), st.booleans()), min_size=1, max_size=60
)


@given(pairs, st.lists(st.floats(-1, 2, allow_nan=False), min_size=1, max_size=30))
def test_a_fit_never_decreases_and_stays_in_0_1(
    data: list[tuple[float, bool]], probes: list[float]
) -> None:
    calibration = fit_isotonic([s for s, _ in data], [r for _, r in data])
    ordered = np.sort(np.asarray(probes))
    mapped = calibration.apply(ordered)
    assert np.all(np.diff(mapped) >= 0)
    assert np.all((mapped >= 0) & (mapped <= 1))
    assert Calibration.from_json(json.dumps(calibration.to_json())).xs == tuple(
        round(x, 6) for x in calibration.xs
    )


def test_a_fit_follows_the_share_that_is_right() -> None:
    scores = [0.1] * 10 + [0.9] * 10
    right = [True] * 2 + [False] * 8 + [True] * 8 + [False] * 2
    calibration = fit_isotonic(scores, right)
    assert calibration.apply([0.1, 0.9]).tolist() == pytest.approx([0.2, 0.8])


def test_held_out_scores_never_see_their_own_group() -> None:
    # Group "a" is always right, "b" never: held out, each is predicted from the other alone.
    scores = [0.5] * 4
    predicted = held_out(scores, [1, 1, 0, 0], ["a", "a", "b", "b"], folds=2)
    assert predicted.tolist() == [0.0, 0.0, 1.0, 1.0]


@given(pairs, st.floats(0.05, 1))
def test_the_threshold_is_the_lowest_score_reaching_the_precision(
    data: list[tuple[float, bool]], target: float
) -> None:
    scores = np.asarray([s for s, _ in data])
    right = np.asarray([r for _, r in data], dtype=float)
    found = threshold_for_precision(scores, right, target)
    reaching = [t for t in set(scores.tolist()) if right[scores >= t].mean() >= target]
    assert found == (min(reaching) if reaching else None)


def test_bad_knots_are_refused() -> None:
    with pytest.raises(ValueError, match="increasing"):
        Calibration((0.5, 0.1), (0.1, 0.2))
    with pytest.raises(ValueError, match="decrease"):
        Calibration((0.1, 0.5), (0.3, 0.2))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        Calibration((0.1,), (1.5,))
