"""The trend projection: exact on straight lines, least squares on noise, honest intervals."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from mobilise.core.analytics.projection import (
    Observation,
    fit_trend,
    normal_quantile,
    outlook,
    t_quantile,
)
from mobilise.core.problems import InvalidInput

START = date(2022, 3, 31)


def monthly(values: list[float]) -> list[Observation]:
    return [Observation(START + timedelta(days=round(30.44 * k)), v) for k, v in enumerate(values)]


@given(st.floats(1e-6, 1 - 1e-6))
def test_the_normal_quantile_matches_scipy(p: float) -> None:
    assert normal_quantile(p) == pytest.approx(stats.norm.ppf(p), abs=1e-7)


@pytest.mark.parametrize("freedom", [3, 4, 5, 8, 10, 20, 40, 61, 120, 500])
@pytest.mark.parametrize("p", [0.9, 0.95, 0.975, 0.995])
def test_the_t_quantile_is_close_to_scipys(freedom: int, p: float) -> None:
    tolerance = 5e-3 if p <= 0.975 else 1e-2
    assert t_quantile(p, freedom) == pytest.approx(stats.t.ppf(p, freedom), rel=tolerance)


@given(
    st.floats(-1e5, 1e5),
    st.floats(-1e4, 1e4),
    st.integers(4, 80),
)
def test_a_straight_line_is_recovered_exactly(intercept: float, slope: float, n: int) -> None:
    observations = [
        Observation(START + timedelta(days=31 * k), intercept + slope * (31 * k) / 365.2425)
        for k in range(n)
    ]
    fit = fit_trend(observations)
    assert fit.slope_per_year == pytest.approx(slope, abs=1e-6 * (1 + abs(slope)))
    assert fit.central(START) == pytest.approx(intercept, abs=1e-6 * (1 + abs(intercept)))
    assert fit.residual_sd == pytest.approx(0, abs=1e-6 * (1 + abs(intercept) + abs(slope)))


def test_noisy_data_give_the_least_squares_line() -> None:
    rng = np.random.default_rng(3)
    values = list(20_000 + 3_000 * np.arange(40) / 12 + rng.normal(0, 250, 40))
    observations = monthly(values)
    fit = fit_trend(observations)
    years = np.array([(o.on - START).days / 365.2425 for o in observations])
    slope, intercept = np.polyfit(years, values, 1)
    assert fit.slope_per_year == pytest.approx(slope)
    assert fit.central(START) == pytest.approx(intercept)


def test_the_prediction_interval_covers_about_ninety_five_percent_of_new_values() -> None:
    rng = np.random.default_rng(20260401)
    deadline = START + timedelta(days=365 * 5)
    covered, trials = 0, 1500
    for _ in range(trials):
        noise = rng.normal(0, 100, 25)
        observations = monthly(list(1_000 + 50 * np.arange(25) + noise))
        fit = fit_trend(observations)
        years = fit.years(deadline)
        true_mean = 1_000 + 50 * years * 365.2425 / 30.44
        low, high = fit.interval(deadline)
        covered += low <= true_mean + rng.normal(0, 100) <= high
    assert 0.93 <= covered / trials <= 0.97


def test_a_target_the_trend_reaches_is_on_track_and_one_it_misses_is_not() -> None:
    observations = monthly([20_010 + 100 * k for k in range(36)])  # 1,200 a year
    deadline = date(2030, 3, 31)
    reached = outlook(observations, target=28_000, deadline=deadline)
    missed = outlook(observations, target=40_020, deadline=deadline)
    assert reached.on_track
    assert not missed.on_track
    assert missed.at_deadline == pytest.approx(20_010 + 1_200 * 8, rel=0.01)
    years_left = (deadline - observations[-1].on).days / 365.2425
    assert missed.required_per_year == pytest.approx((40_020 - observations[-1].value) / years_left)
    assert missed.low <= missed.at_deadline <= missed.high


def test_the_window_starts_at_the_baseline() -> None:
    before = [Observation(date(2020, 1 + k, 28), 5_000.0) for k in range(12)]
    after = monthly([20_000 + 100 * k for k in range(12)])
    fit = fit_trend(before + after, since=START)
    assert fit.observations == 12
    assert fit.slope_per_year == pytest.approx(100 * 365.2425 / 30.44, rel=0.01)


def test_too_few_observations_are_refused() -> None:
    with pytest.raises(InvalidInput, match="at least 4 observations on or after 2022-03-31"):
        fit_trend(monthly([1.0, 2.0, 3.0]), since=START)
