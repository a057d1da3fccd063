"""Chart geometry: bars in proportion, series inside the plot, round ticks."""

from __future__ import annotations

import math
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.analytics.charts import BAR_AREA, bar_chart, line_chart, nice_step


def test_bars_are_in_proportion_and_suppressed_ones_have_none() -> None:
    chart = bar_chart([("a", 10, "10"), ("b", 5, "5"), ("c", None, "[c]")])
    widths = [bar.width for bar in chart.bars]
    assert widths == [BAR_AREA, BAR_AREA / 2, 0.0]
    assert chart.bars[2].value is None
    assert chart.height == 3 * (chart.bar_height + 8)


def test_long_labels_are_shortened_but_kept_whole_for_the_tooltip() -> None:
    label = "Department for Science, Innovation and Technology"
    bar = bar_chart([(label, 1.0, "1")]).bars[0]
    assert bar.label == label
    assert bar.short_label.endswith("…")
    assert len(bar.short_label) == 34


@given(st.floats(min_value=0.001, max_value=1e9))
def test_a_nice_step_is_one_two_or_five_times_a_power_of_ten(span: float) -> None:
    step = nice_step(span)
    mantissa = step / 10 ** math.floor(math.log10(step) + 1e-12)
    assert round(mantissa, 6) in {1.0, 2.0, 5.0}
    assert span / 5 <= step <= span / 5 * 2.5 + 1e-9


def test_a_series_and_its_projection_stay_inside_the_plot() -> None:
    actual = [(date(2020 + k, 3, 31), 20_000.0 + 3_000 * k) for k in range(6)]
    projection = [
        (date(2025, 3, 31), 35000.0, 35000.0, 35000.0),
        (date(2030, 3, 31), 50000.0, 44000.0, 56000.0),
    ]
    chart = line_chart(actual, projection=projection, target=40_020)
    for points in (chart.actual, chart.projection, chart.band):
        for point in points.split():
            x, y = (float(v) for v in point.split(","))
            assert chart.left <= x <= chart.left + chart.plot_width + 0.1
            assert chart.top - 0.1 <= y <= chart.top + chart.plot_height + 0.1
    assert chart.target_y is not None
    assert chart.top < chart.target_y < chart.top + chart.plot_height
    assert next(t.text for t in chart.x_ticks) == "2021"
    assert chart.y_ticks[0].text == "0"
