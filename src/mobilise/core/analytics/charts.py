"""Geometry of the server-rendered SVG charts: bars and time series, in SVG user units.

Pure arithmetic; the templates draw the shapes. Every chart sits beside the table that gives its
figures, so the chart carries no number a reader could not find in the table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

BAR_HEIGHT = 18
BAR_GAP = 8
LABEL_WIDTH = 230
BAR_AREA = 300
VALUE_WIDTH = 70
MAX_LABEL = 34


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value: float | None  # None: suppressed, drawn as no bar with "[c]"
    text: str
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: tuple[Bar, ...]


def bar_chart(items: Sequence[tuple[str, float | None, str]]) -> BarChart:
    """Horizontal bars for (label, value, text shown at the bar's end) items, in order."""
    largest = max((v for _, v, _ in items if v is not None and v > 0), default=1.0)
    bars = []
    for index, (label, value, text) in enumerate(items):
        short = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
        width = 0.0 if value is None else max(0.0, value) / largest * BAR_AREA
        bars.append(Bar(label, short, value, text, index * (BAR_HEIGHT + BAR_GAP), width))
    return BarChart(
        width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        height=max(1, len(bars)) * (BAR_HEIGHT + BAR_GAP),
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        bars=tuple(bars),
    )


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    actual: str  # SVG points of the observed series
    projection: str  # points of the projected line ("" for none)
    band: str  # polygon points of the projection's interval ("" for none)
    target_y: float | None
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]


def nice_step(span: float, steps: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `steps` ticks over `span`."""
    if span <= 0:
        return 1.0
    raw = span / steps
    power = 10.0 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def line_chart(
    actual: Sequence[tuple[date, float]],
    *,
    projection: Sequence[tuple[date, float, float, float]] = (),
    target: float | None = None,
    value_format: str = "{:,.0f}",
) -> LineChart:
    """A time series, with an optional projection (date, central, low, high) and target line."""
    width, height, left, top, right, bottom = 640, 320, 70, 16, 16, 36
    plot_width, plot_height = width - left - right, height - top - bottom
    days = [d for d, _ in actual] + [d for d, *_ in projection]
    values = [v for _, v in actual] + [h for *_, h in projection]
    values += [target] if target is not None else []
    if not days:
        days = [date.today()]
    first, last = min(days).toordinal(), max(days).toordinal()
    span_x = max(1, last - first)
    step = nice_step(max(values, default=1.0) or 1.0)
    top_value = step * math.ceil((max(values, default=1.0) or 1.0) / step)

    def x(day: date) -> float:
        return left + (day.toordinal() - first) / span_x * plot_width

    def y(value: float) -> float:
        return top + plot_height - max(0.0, value) / top_value * plot_height

    def points(pairs: Sequence[tuple[date, float]]) -> str:
        return " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in pairs)

    band = ""
    if projection:
        upper = [(d, h) for d, _, _, h in projection]
        lower = [(d, lo) for d, _, lo, _ in reversed(projection)]
        band = points(upper + lower)
    years = range(min(days).year + 1, max(days).year + 1)
    every = max(1, math.ceil(len(years) / 8))
    x_ticks = tuple(
        Tick(x(date(year, 1, 1)), str(year)) for year in years if (year - years.start) % every == 0
    )
    y_ticks = tuple(
        Tick(y(k * step), value_format.format(k * step)) for k in range(round(top_value / step) + 1)
    )
    return LineChart(
        width=width,
        height=height,
        left=left,
        top=top,
        plot_width=plot_width,
        plot_height=plot_height,
        actual=points(actual),
        projection=points([(d, c) for d, c, _, _ in projection]),
        band=band,
        target_y=None if target is None else y(target),
        x_ticks=x_ticks,
        y_ticks=y_ticks,
    )
