"""Targets: the four published ones (seeded by migration 0009) and any a user sets, each with its
trajectory from the store, a projection to its deadline and whether it is on track."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, select

from mobilise.core.analytics import CountTable, protect_series
from mobilise.core.analytics.projection import MIN_OBSERVATIONS, Observation, Outlook, outlook
from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor
from mobilise.services.analytics.programmes import participant_series, spread_by_programme
from mobilise.services.analytics.statistics import (
    Column,
    StatisticRow,
    StatisticTable,
    check_reader,
)
from mobilise.services.analytics.warehouse import open_snapshot
from mobilise.services.audit import record_event
from mobilise.settings import get_settings
from mobilise.store.database import reading, transaction
from mobilise.store.models import Target
from mobilise.store.models.analytics import TARGET_METRICS

PROBLEM_SOURCE = "target"
SHARE_METRICS = frozenset({"ddat_share", "programme_share_outside_london"})
PROGRAMME_METRICS = frozenset({"programme_participants", "programme_share_outside_london"})
METRIC_LABELS = {
    "ddat_headcount": "People in DDaT roles",
    "ddat_share": "Share of people in DDaT roles",
    "programme_participants": "Places taken up on the programme (cohorts and intakes)",
    "programme_share_outside_london": "Share of participants based outside London",
}


class UnknownTarget(LookupError):
    pass


@dataclass(frozen=True)
class TargetView:
    key: str
    title: str
    metric: str
    scope: str
    value: float
    baseline: float | None
    baseline_on: date | None
    deadline: date
    source: str

    @property
    def is_share(self) -> bool:
        return self.metric in SHARE_METRICS


@dataclass(frozen=True)
class ProjectedPoint:
    on: date
    central: float
    low: float
    high: float


@dataclass(frozen=True)
class TargetProgress:
    target: TargetView
    observations: tuple[Observation, ...]  # published (protected) values only
    outlook: Outlook | None  # None: too little history to project
    projection: tuple[ProjectedPoint, ...]
    trajectory: StatisticTable
    projected: StatisticTable | None
    reason: str  # why there is no projection, if there is none


def _view(row: Target) -> TargetView:
    return TargetView(
        key=row.key,
        title=row.title,
        metric=row.metric,
        scope=row.scope,
        value=row.value,
        baseline=row.baseline,
        baseline_on=row.baseline_on,
        deadline=row.deadline,
        source=row.source,
    )


def list_targets(engine: Engine, actor: Actor) -> list[TargetView]:
    check_reader(actor)
    with reading(engine) as session:
        return [
            _view(t) for t in session.scalars(select(Target).order_by(Target.deadline, Target.key))
        ]


def get_target(engine: Engine, actor: Actor, key: str) -> TargetView:
    check_reader(actor)
    with reading(engine) as session:
        row = session.scalar(select(Target).where(Target.key == key))
        if row is None:
            raise UnknownTarget(key)
        return _view(row)


def _check(session: Any, view: TargetView) -> None:
    problems: list[Problem] = []

    def problem(column: str, value: object, rule: str) -> None:
        problems.append(Problem(PROBLEM_SOURCE, None, column, str(value), rule))

    if not view.key or len(view.key) > 100 or not view.key.replace("-", "").isalnum():
        problem("key", view.key, "must be 1 to 100 letters, digits and hyphens")
    if not view.title.strip() or len(view.title) > 300:
        problem("title", view.title, "must be 1 to 300 characters")
    if view.metric not in TARGET_METRICS:
        problem("metric", view.metric, "must be one of " + ", ".join(TARGET_METRICS))
    if view.metric in SHARE_METRICS and not 0 <= view.value <= 1:
        problem("value", view.value, "a share must be between 0 and 1")
    if view.metric not in SHARE_METRICS and view.value < 0:
        problem("value", view.value, "a count cannot be negative")
    if (view.baseline is None) != (view.baseline_on is None):
        problem("baseline", view.baseline, "a baseline needs both a value and a date")
    if view.baseline_on is not None and view.baseline_on >= view.deadline:
        problem("deadline", view.deadline.isoformat(), "must be after the baseline date")
    kind, _, name = view.scope.partition(":")
    if view.scope == "civil-service":
        if view.metric in PROGRAMME_METRICS:
            problem("scope", view.scope, "a programme metric needs the scope programme:<key>")
    elif kind == "organisation":
        problem(
            "scope",
            view.scope,
            "targets are measured over the whole civil service or a programme: one "
            "organisation's series could show counts that the by-organisation table hides "
            "(docs/disclosure.md)",
        )
    elif kind == "programme" and view.metric in PROGRAMME_METRICS:
        # A programme may be announced with its target before it is set up here (TechTrack's
        # target is seeded): the key need only be well formed; progress waits for its cohorts.
        if not name or len(name) > 200:
            problem("scope", view.scope, "programme:<key> needs a key of 1 to 200 characters")
    else:
        problem(
            "scope",
            view.scope,
            "must be civil-service for workforce metrics, programme:<key> for programme metrics",
        )
    if problems:
        raise InvalidInput(problems)


def set_target(engine: Engine, actor: Actor, view: TargetView) -> TargetView:
    """Create the target, or change the one with the same key; audited, all or nothing."""
    check_reader(actor)
    with transaction(engine) as session:
        _check(session, view)
        row = session.scalar(select(Target).where(Target.key == view.key))
        before = None if row is None else _audit_fields(_view(row))
        if row is None:
            row = Target(key=view.key)
            session.add(row)
        for name in ("title", "metric", "scope", "value", "baseline", "baseline_on", "deadline"):
            setattr(row, name, getattr(view, name))
        row.source = view.source
        session.flush()
        record_event(
            session,
            actor,
            "target.set",
            entity_type="target",
            entity_key=view.key,
            before=before,
            after=_audit_fields(view),
        )
        return _view(row)


def remove_target(engine: Engine, actor: Actor, key: str) -> None:
    check_reader(actor)
    with transaction(engine) as session:
        row = session.scalar(select(Target).where(Target.key == key))
        if row is None:
            raise UnknownTarget(key)
        record_event(
            session,
            actor,
            "target.remove",
            entity_type="target",
            entity_key=key,
            before=_audit_fields(_view(row)),
        )
        session.delete(row)


def _audit_fields(view: TargetView) -> dict[str, Any]:
    return {
        "title": view.title,
        "metric": view.metric,
        "scope": view.scope,
        "value": view.value,
        "baseline": view.baseline,
        "baseline_on": view.baseline_on.isoformat() if view.baseline_on else None,
        "deadline": view.deadline.isoformat(),
    }


def _workforce_series(
    engine: Engine, target: TargetView, path: Path | None
) -> list[tuple[date, int, int]]:
    """(month end, people in the metric's group, everyone else) from the warehouse."""
    cursor = open_snapshot(engine, path)
    try:
        rows = cursor.execute(
            "SELECT month_end, coalesce(sum(people) FILTER (ddat), 0), "
            "coalesce(sum(people) FILTER (NOT ddat), 0) FROM monthly"
            " GROUP BY month_end ORDER BY month_end"
        ).fetchall()
    finally:
        cursor.close()
    return [(d, int(a), int(b)) for d, a, b in rows]


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _outside_london(
    engine: Engine, target: TargetView, threshold: int
) -> list[tuple[date, int | None, int | None]]:
    """(month end, participants outside London, all participants) for the programme: the
    latest figures of the programmes page's spread table, protected there with the funnels (a
    month-by-month series would show each intake's regional counts, which no table protects)."""
    key = target.scope.partition(":")[2]
    for spread in spread_by_programme(engine, threshold):
        if spread.key == key:
            f = spread.figures
            outside = f.outside_london if f.participants is not None else None
            return [(_month_end(spread.latest_start), outside, f.participants)]
    return []


def protect_trajectory(
    target: TargetView, series: Sequence[tuple[date, int, int]], threshold: int
) -> tuple[list[tuple[date, int | None, int | None]], list[Observation]]:
    """Protect each month's counts (a month is a snapshot: [in group, others] with its total),
    then publish the metric where its counts are shown.

    The change between any two published months is a count of people too (joiners less
    leavers), so a change between consecutive published months must be zero or at least the
    threshold like any count, else the earlier month is suppressed (protect_series;
    docs/disclosure.md)."""
    if not series:
        return [], []
    cells = np.array([[a, b] for _, a, b in series], dtype=np.int64)
    protected = protect_series(
        CountTable(cells, column_totals_shown=False, grand_total_shown=False), threshold
    )
    published: list[tuple[date, int | None, int | None]] = []
    observations: list[Observation] = []
    share = target.metric in SHARE_METRICS
    for i, (month, _, _) in enumerate(series):
        count, everyone = protected.cell(i, 0), protected.row_total(i)
        if not share:
            everyone = None
        published.append((month, count, everyone))
        if count is None or (share and not everyone):
            continue
        observations.append(Observation(month, count / everyone if share and everyone else count))
    return published, observations


def _projected_points(found: Outlook, deadline: date) -> list[ProjectedPoint]:
    start = found.current.on
    days = [start] + [date(year, 3, 31) for year in range(start.year + 1, deadline.year + 1)]
    days = sorted({d for d in days if start <= d <= deadline} | {deadline})
    points = []
    for day in days:
        low, high = found.projection.interval(day)
        points.append(ProjectedPoint(day, found.projection.central(day), low, high))
    return points


def target_progress(
    engine: Engine,
    actor: Actor,
    key: str,
    *,
    path: Path | None = None,
    threshold: int | None = None,
) -> TargetProgress:
    """The target's trajectory (protected), its projection to the deadline, and its status."""
    target = get_target(engine, actor, key)
    threshold = threshold or get_settings().disclosure_threshold
    if target.metric == "programme_participants":
        # Published on the funnels' terms, so no month shows what the funnel table hides.
        counts = participant_series(engine, target.scope.partition(":")[2], threshold)
        published: list[tuple[date, int | None, int | None]] = [
            (month, value, None) for month, value in counts
        ]
        observations = [Observation(m, v) for m, v in counts if v is not None]
    elif target.metric == "programme_share_outside_london":
        published = _outside_london(engine, target, threshold)
        observations = [
            Observation(month, count / everyone)
            for month, count, everyone in published
            if count is not None and everyone
        ]
    else:
        series = _workforce_series(engine, target, path)
        published, observations = protect_trajectory(target, series, threshold)
    found: Outlook | None = None
    reason = ""
    since = target.baseline_on
    if since is not None and sum(o.on >= since for o in observations) < MIN_OBSERVATIONS:
        since = None
    if len(observations) >= MIN_OBSERVATIONS:
        found = outlook(observations, target=target.value, deadline=target.deadline, since=since)
    else:
        reason = (
            f"There are {len(observations)} published observations; a projection needs at least "
            f"{MIN_OBSERVATIONS}."
        )
    points = _projected_points(found, target.deadline) if found else []
    return TargetProgress(
        target=target,
        observations=tuple(observations),
        outlook=found,
        projection=tuple(points),
        trajectory=_trajectory_table(target, published, threshold),
        projected=_projection_table(target, points, threshold) if points else None,
        reason=reason,
    )


def _trajectory_table(
    target: TargetView,
    published: Sequence[tuple[date, int | None, int | None]],
    threshold: int,
) -> StatisticTable:
    """Each March (the annual statistics date) and the latest month."""
    chosen = [p for p in published if p[0].month == 3]
    if published and (not chosen or chosen[-1][0] != published[-1][0]):
        chosen.append(published[-1])
    share = target.is_share
    columns = [Column("count", METRIC_LABELS[target.metric] if not share else "In the group")]
    if share:
        columns += [
            Column("all", "All counted"),
            Column("value", METRIC_LABELS[target.metric], "share"),
        ]
    rows = []
    for month, count, everyone in chosen:
        figures: tuple[Any, ...] = (count,)
        if share:
            value = count / everyone if count is not None and everyone else None
            figures = (count, everyone, value)
        rows.append(StatisticRow(month.isoformat(), month.strftime("%B %Y"), figures))
    return StatisticTable(
        key=f"target-{target.key}-trajectory",
        title="Trajectory (each March, and the latest month)",
        row_heading="Month end",
        columns=tuple(columns),
        rows=tuple(rows),
        totals=None,
        threshold=threshold,
    )


def _projection_table(
    target: TargetView, points: Sequence[ProjectedPoint], threshold: int
) -> StatisticTable:
    kind = "share" if target.is_share else "count"

    def rounded(value: float) -> float | int:
        return value if target.is_share else round(value)

    return StatisticTable(
        key=f"target-{target.key}-projection",
        title="Projection to the deadline (linear trend, 95% interval)",
        row_heading="Date",
        columns=(
            Column("central", "Projected", kind),
            Column("low", "Lower bound", kind),
            Column("high", "Upper bound", kind),
        ),
        rows=tuple(
            StatisticRow(
                p.on.isoformat(),
                p.on.strftime("%B %Y"),
                (rounded(p.central), rounded(max(p.low, 0.0)), rounded(p.high)),
            )
            for p in points
        ),
        totals=None,
        threshold=threshold,
        notes=(
            "Projected from published figures only, so the projection reveals nothing the "
            "trajectory does not (docs/analytics.md states the model and its assumptions).",
        ),
    )
