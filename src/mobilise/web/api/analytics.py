"""`/api/v1/analytics/...`: the dashboards' protected tables and the targets' progress, as JSON."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from pydantic import BaseModel

from mobilise.services.actors import Actor, Role
from mobilise.services.analytics.headcount import DIMENSIONS, headcount
from mobilise.services.analytics.programmes import programme_funnels, programme_spread
from mobilise.services.analytics.skills import skill_gaps
from mobilise.services.analytics.statistics import StatisticRow, StatisticTable
from mobilise.services.targets import (
    TargetProgress,
    TargetView,
    UnknownTarget,
    list_targets,
    target_progress,
)
from mobilise.web.access import Requirement
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])
AnalystActor = Annotated[Actor, Depends(Requirement(Role.ANALYST, Role.SERVICE_ADMIN))]
RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": Problem, "description": "Invalid parameters (listed in invalid-params)."},
}


class ColumnOut(BaseModel):
    key: str
    label: str
    kind: str


class RowOut(BaseModel):
    key: str
    label: str
    figures: list[float | int | None]


class TableOut(BaseModel):
    """A protected table: null figures are suppressed ([c] in pages and CSV files)."""

    key: str
    title: str
    row_heading: str
    columns: list[ColumnOut]
    rows: list[RowOut]
    totals: RowOut | None
    threshold: int
    suppressed: int
    notes: list[str]


def _row(row: StatisticRow) -> RowOut:
    return RowOut(key=row.key, label=row.label, figures=list(row.figures))


def table_out(table: StatisticTable) -> TableOut:
    return TableOut(
        key=table.key,
        title=table.title,
        row_heading=table.row_heading,
        columns=[ColumnOut(key=c.key, label=c.label, kind=c.kind) for c in table.columns],
        rows=[_row(r) for r in table.rows],
        totals=_row(table.totals) if table.totals else None,
        threshold=table.threshold,
        suppressed=table.suppressed,
        notes=list(table.notes),
    )


class TargetOut(BaseModel):
    key: str
    title: str
    metric: str
    scope: str
    value: float
    baseline: float | None
    baseline_on: date | None
    deadline: date
    source: str


class ObservationOut(BaseModel):
    on: date
    value: float


class ProjectionOut(BaseModel):
    on: date
    central: float
    low: float
    high: float


class ProgressOut(BaseModel):
    target: TargetOut
    status: str  # "on track", "off track" or "not enough data"
    latest: ObservationOut | None
    at_deadline: float | None
    interval: tuple[float, float] | None
    slope_per_year: float | None
    required_per_year: float | None
    observations: list[ObservationOut]
    projection: list[ProjectionOut]
    trajectory: TableOut
    reason: str


def _target(view: TargetView) -> TargetOut:
    return TargetOut(**{name: getattr(view, name) for name in TargetOut.model_fields})


def _progress(progress: TargetProgress) -> ProgressOut:
    found = progress.outlook
    status = "not enough data" if found is None else "on track" if found.on_track else "off track"
    return ProgressOut(
        target=_target(progress.target),
        status=status,
        latest=ObservationOut(on=found.current.on, value=found.current.value) if found else None,
        at_deadline=found.at_deadline if found else None,
        interval=(found.low, found.high) if found else None,
        slope_per_year=found.projection.slope_per_year if found else None,
        required_per_year=found.required_per_year if found else None,
        observations=[ObservationOut(on=o.on, value=o.value) for o in progress.observations],
        projection=[
            ProjectionOut(on=p.on, central=p.central, low=p.low, high=p.high)
            for p in progress.projection
        ],
        trajectory=table_out(progress.trajectory),
        reason=progress.reason,
    )


@router.get(
    "/headcount",
    response_model=TableOut,
    summary="People in post in DDaT roles and all roles, by a dimension (protected)",
    responses=RESPONSES,
)
def headcount_api(
    engine: EngineDep,
    actor: AnalystActor,
    by: Annotated[
        str,
        Query(
            max_length=40,
            pattern="^(" + "|".join(DIMENSIONS) + ")$",
            description="One of: " + ", ".join(DIMENSIONS) + ".",
        ),
    ] = "organisation",
) -> TableOut:
    return table_out(headcount(engine, actor, by))


@router.get(
    "/skills",
    response_model=TableOut,
    summary="Skills supply against demand, the largest shortfalls first (protected)",
)
def skills_api(engine: EngineDep, actor: AnalystActor) -> TableOut:
    return table_out(skill_gaps(engine, actor))


@router.get(
    "/programmes/funnels",
    response_model=TableOut,
    summary="Applied, selected, completed and moved role, per programme and cohort (protected)",
)
def funnels_api(engine: EngineDep, actor: AnalystActor) -> TableOut:
    return table_out(programme_funnels(engine, actor))


@router.get(
    "/programmes/spread",
    response_model=TableOut,
    summary="Participants' regional spread and ethnic diversity per programme (protected)",
)
def spread_api(engine: EngineDep, actor: AnalystActor) -> TableOut:
    return table_out(programme_spread(engine, actor))


@router.get("/targets", response_model=list[ProgressOut], summary="Every target's progress")
def targets_api(engine: EngineDep, actor: AnalystActor) -> list[ProgressOut]:
    return [
        _progress(target_progress(engine, actor, target.key))
        for target in list_targets(engine, actor)
    ]


@router.get(
    "/targets/{key}",
    response_model=ProgressOut,
    summary="A target's trajectory, projection and status",
    responses={
        404: {"model": Problem, "description": "No such target."},
        **RESPONSES,
    },
)
def target_api(
    engine: EngineDep,
    actor: AnalystActor,
    key: Annotated[str, Path(min_length=1, max_length=100)],
) -> ProgressOut:
    try:
        return _progress(target_progress(engine, actor, key))
    except UnknownTarget:
        raise HTTPException(status_code=404, detail=f"There is no target {key!r}.") from None
