"""The estimator recovers a known effect from synthetic people whose organisations have their
own trends and whose participants were chosen for their low starting skills (so a naive
comparison of after-levels, or of changes without matching, would be biased)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mobilise.core.impact import Unit, estimate_effect, match_controls
from mobilise.core.impact.effect import pair_differences
from mobilise.core.problems import InvalidInput


def synthetic(effect: float, seed: int, people: int = 600) -> list[Unit]:
    rng = np.random.default_rng(seed)
    strata = rng.integers(0, 6, size=people)
    trend = rng.normal(0, 0.4, size=6)[strata]
    baseline = rng.uniform(1, 5, size=people)
    # Selection on the baseline: the lower someone's skills, the likelier they take part.
    participant = rng.random(people) < 0.45 - 0.08 * (baseline - 1)
    # Regression towards 3 depends on the starting level; matching on it removes that too.
    after = baseline + trend + 0.1 * (3 - baseline) + rng.normal(0, 0.3, people)
    after = after + effect * participant
    return [
        Unit(
            int(i),
            bool(participant[i]),
            int(strata[i]),
            float(baseline[i]),
            float(baseline[i]),
            float(after[i]),
        )
        for i in range(people)
    ]


@settings(max_examples=25, deadline=None)
@given(st.floats(-1, 1.5), st.integers(0, 2**31))
def test_the_estimate_is_close_to_the_planted_effect(effect: float, seed: int) -> None:
    matches, _ = match_controls(synthetic(effect, seed), caliper=0.25)
    found = estimate_effect(matches, resamples=200, seed=seed)
    assert found.estimate is not None
    assert abs(found.estimate - effect) < 0.15


def test_the_estimator_is_unbiased_and_its_interval_covers_the_effect_as_stated() -> None:
    estimates, covered, placebo_covered = [], 0, 0
    for seed in range(60):
        matches, _ = match_controls(synthetic(0.8, seed), caliper=0.25)
        found = estimate_effect(matches, resamples=400, seed=seed)
        assert found.estimate is not None
        estimates.append(found.estimate)
        covered += found.contains(0.8)
        placebo, _ = match_controls(synthetic(0.0, 1000 + seed), caliper=0.25)
        placebo_covered += estimate_effect(placebo, resamples=400, seed=seed).contains(0.0)
    assert abs(float(np.mean(estimates)) - 0.8) < 0.03
    # A 95% interval should miss about 3 of 60; more than 9 misses would be a broken interval.
    assert covered >= 51
    assert placebo_covered >= 51


def test_the_change_in_matched_controls_is_taken_off() -> None:
    people = [Unit(1, True, "s", 2, 2, 4), Unit(2, False, "s", 2, 2, 3)]
    matches, _ = match_controls(people, 0)
    assert pair_differences(matches).tolist() == [1.0]
    found = estimate_effect(matches, resamples=10)
    assert (found.estimate, found.participants_change, found.controls_change) == (1, 2, 1)


def test_no_pairs_means_no_estimate() -> None:
    found = estimate_effect([])
    assert found.estimate is None
    assert not found.contains(0)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(InvalidInput, match="resamples"):
        estimate_effect([], resamples=0)
