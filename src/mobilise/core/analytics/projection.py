"""Projection of a target's trajectory to its deadline: a straight-line trend with an interval.

The model, and the assumptions a reader must accept to believe it (docs/analytics.md):

- **Linear trend.** The metric grows (or falls) by the same amount each year from the start of the
  fitting window to the deadline: ordinary least squares of the value on time in years.
- **The window** starts at the target's baseline date when there is one (the world the target was
  set in), otherwise it takes all the history; at least MIN_OBSERVATIONS points are needed.
- **The interval** is the 95% prediction interval of OLS for a value at the deadline:
  ŷ ± t(0.975, n−2) · s · √(1 + 1/n + (t₀ − t̄)² / Sxx). It assumes independent, equally spread
  residuals; month-end values are autocorrelated, so the real uncertainty is wider than shown —
  the interval is a floor, not a promise.
- **On track** means the central projection at the deadline reaches the target (for a target
  that lies below the current value, that it falls to it).

Pure: dates and floats in, a dataclass out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from mobilise.core.problems import InvalidInput, Problem

MIN_OBSERVATIONS = 4
DAYS_PER_YEAR = 365.2425
CONFIDENCE = 0.95
PROBLEM_SOURCE = "trajectory"


@dataclass(frozen=True)
class Observation:
    on: date
    value: float


@dataclass(frozen=True)
class Projection:
    """A fitted line: value = intercept + slope · (years since `origin`), with its spread."""

    origin: date
    intercept: float
    slope_per_year: float
    residual_sd: float
    observations: int
    mean_years: float
    sxx: float
    t_quantile: float
    fitted_from: date
    fitted_to: date

    def years(self, on: date) -> float:
        return (on - self.origin).days / DAYS_PER_YEAR

    def central(self, on: date) -> float:
        return self.intercept + self.slope_per_year * self.years(on)

    def interval(self, on: date) -> tuple[float, float]:
        """The 95% prediction interval of a single value on `on`."""
        spread = self.residual_sd * math.sqrt(
            1 + 1 / self.observations + (self.years(on) - self.mean_years) ** 2 / self.sxx
        )
        centre = self.central(on)
        return centre - self.t_quantile * spread, centre + self.t_quantile * spread


@dataclass(frozen=True)
class Outlook:
    """Where a target stands: the projection at the deadline against the target value."""

    projection: Projection
    deadline: date
    target: float
    current: Observation
    at_deadline: float
    low: float
    high: float
    on_track: bool
    target_within_interval: bool
    required_per_year: float  # the steady change from now that would just reach the target


def normal_quantile(p: float) -> float:
    """Φ⁻¹(p) by Acklam's rational approximation (relative error below 1.2e-9)."""
    if not 0 < p < 1:
        raise ValueError("p must lie strictly between 0 and 1")
    a = (-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690,
         -30.66479806614716, 2.506628277459239)  # fmt: skip
    b = (-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
         -13.28068155288572)  # fmt: skip
    c = (-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
         4.374664141464968, 2.938163982698783)  # fmt: skip
    d = (0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416)
    low = 0.02425
    if p < low:
        q = math.sqrt(-2 * math.log(p))
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / (
            (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
        )
    if p > 1 - low:
        return -normal_quantile(1 - p)
    q = p - 0.5
    r = q * q
    return (
        (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    )


def t_quantile(p: float, freedom: int) -> float:
    """Student's t quantile by the Cornish–Fisher expansion about the normal quantile (Hill,
    1970): for 3 or more degrees of freedom within 0.5% of the exact value up to p = 0.975 (the
    one the interval uses), within 1% up to p = 0.995."""
    if freedom < 1:
        raise ValueError("degrees of freedom must be at least 1")
    z = normal_quantile(p)
    n = float(freedom)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / n + g2 / n**2 + g3 / n**3 + g4 / n**4


def fit_trend(observations: Sequence[Observation], *, since: date | None = None) -> Projection:
    """Least-squares line through the observations on or after `since`."""
    window = sorted((o for o in observations if since is None or o.on >= since), key=lambda o: o.on)
    if len(window) < MIN_OBSERVATIONS:
        raise InvalidInput(
            [
                Problem(
                    PROBLEM_SOURCE,
                    None,
                    "observations",
                    str(len(window)),
                    f"a trend needs at least {MIN_OBSERVATIONS} observations"
                    + (f" on or after {since.isoformat()}" if since else ""),
                )
            ]
        )
    origin = window[0].on
    xs = [(o.on - origin).days / DAYS_PER_YEAR for o in window]
    ys = [o.value for o in window]
    n = len(window)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        raise InvalidInput(
            [Problem(PROBLEM_SOURCE, None, "observations", origin.isoformat(), "all on one day")]
        )
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = mean_y - slope * mean_x
    residuals = [y - (intercept + slope * x) for x, y in zip(xs, ys, strict=True)]
    sd = math.sqrt(sum(r * r for r in residuals) / (n - 2))
    return Projection(
        origin=origin,
        intercept=intercept,
        slope_per_year=slope,
        residual_sd=sd,
        observations=n,
        mean_years=mean_x,
        sxx=sxx,
        t_quantile=t_quantile(0.5 + CONFIDENCE / 2, n - 2),
        fitted_from=origin,
        fitted_to=window[-1].on,
    )


def outlook(
    observations: Sequence[Observation],
    *,
    target: float,
    deadline: date,
    since: date | None = None,
) -> Outlook:
    """Project the observations to the deadline and say whether the target is on track."""
    projection = fit_trend(observations, since=since)
    current = max(observations, key=lambda o: o.on)
    at_deadline = projection.central(deadline)
    low, high = projection.interval(deadline)
    rising = target >= current.value
    years_left = max((deadline - current.on).days / DAYS_PER_YEAR, 1e-9)
    return Outlook(
        projection=projection,
        deadline=deadline,
        target=target,
        current=current,
        at_deadline=at_deadline,
        low=low,
        high=high,
        on_track=at_deadline >= target if rising else at_deadline <= target,
        target_within_interval=low <= target <= high,
        required_per_year=(target - current.value) / years_left,
    )
