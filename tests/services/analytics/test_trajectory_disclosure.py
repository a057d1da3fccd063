"""A target's monthly trajectory, published as the target page and chart publish it: no month's
hidden figure and no change between published months below the threshold can be worked out.

The oracle is linear algebra over the true monthly counts [in the group, everyone else]: what
the page shows (the count, and for a share also everyone counted) spans what a reader can work
out by differencing.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mobilise.services.targets import TargetView, protect_trajectory

Vector = npt.NDArray[np.float64]


def target(metric: str) -> TargetView:
    return TargetView(
        key="t",
        title="T",
        metric=metric,
        scope="civil-service",
        value=0.1 if metric == "ddat_share" else 1000,
        baseline=None,
        baseline_on=None,
        deadline=date(2030, 3, 31),
        source="",
    )


@st.composite
def monthly(draw: st.DrawFn) -> list[tuple[date, int, int]]:
    months = draw(st.integers(2, 10))
    start = draw(arrays(np.int64, (2,), elements=st.integers(0, 80)))
    steps = draw(arrays(np.int64, (months - 1, 2), elements=st.integers(-12, 14)))
    cells = np.maximum(np.vstack([start, start + np.cumsum(steps, axis=0)]), 0)
    return [
        (date(2024 + i // 12, i % 12 + 1, 28), int(a), int(b)) for i, (a, b) in enumerate(cells)
    ]


def in_span(shown: list[Vector], weights: Vector) -> bool:
    if not shown:
        return not weights.any()
    a = np.array(shown)
    return bool(np.linalg.matrix_rank(np.vstack([a, weights])) == np.linalg.matrix_rank(a))


@given(monthly(), st.sampled_from(["ddat_share", "ddat_headcount"]), st.integers(2, 15))
def test_no_hidden_month_or_small_change_can_be_worked_out(
    series: list[tuple[date, int, int]], metric: str, threshold: int
) -> None:
    published, _ = protect_trajectory(target(metric), series, threshold)
    months = len(series)
    truth = np.array([[a, b] for _, a, b in series], dtype=np.float64).ravel()

    def group(i: int) -> Vector:
        w = np.zeros(2 * months)
        w[2 * i] = 1
        return w

    def everyone(i: int) -> Vector:
        w = np.zeros(2 * months)
        w[2 * i : 2 * i + 2] = 1
        return w

    shown: list[Vector] = []
    columns: dict[str, list[int]] = {"group": [], "everyone": []}
    for i, (_, count, all_counted) in enumerate(published):
        if count is not None:
            assert count == series[i][1]
            shown.append(group(i))
            columns["group"].append(i)
        if all_counted is not None:
            assert all_counted == series[i][1] + series[i][2]
            shown.append(everyone(i))
            columns["everyone"].append(i)
    for i in range(months):
        for name, w in (("group", group(i)), ("everyone", everyone(i))):
            value = int(w @ truth)
            if i not in columns[name] and 0 < value < threshold:
                assert not in_span(shown, w), f"month {i}'s hidden {name} ({value})"
    # Every change between two months a reader can work out is 0 or at least the threshold.
    for name, of in (("group", group), ("everyone", everyone)):
        for i in range(months):
            for j in range(i + 1, months):
                w = of(j) - of(i)
                change = int(w @ truth)
                if 0 < abs(change) < threshold and j in columns[name] and i in columns[name]:
                    between = [k for k in columns[name] if i < k < j]
                    assert between, f"{name} changes by {change} from month {i} to {j}"
