"""`/analytics`: workforce dashboards for analysts — headcount and share, skills supply against
demand, targets with projections — each chart beside its table, each table as CSV too."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from mobilise.core.analytics.charts import bar_chart, line_chart
from mobilise.services.actors import Actor, Role
from mobilise.services.analytics.headcount import DIMENSIONS, headcount
from mobilise.services.analytics.programmes import programme_funnels, programme_spread
from mobilise.services.analytics.skills import skill_gaps
from mobilise.services.analytics.statistics import StatisticTable, formatted, table_csv
from mobilise.services.targets import (
    METRIC_LABELS,
    TargetProgress,
    UnknownTarget,
    list_targets,
    target_progress,
)
from mobilise.settings import get_settings
from mobilise.web.access import Requirement
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

ANALYSTS = Requirement(Role.ANALYST, Role.SERVICE_ADMIN)
AnalystActor = Annotated[Actor, Depends(ANALYSTS)]
By = Annotated[str, Query(max_length=40, description="The dimension to break down by.")]
TargetKey = Annotated[str, Path(min_length=1, max_length=100)]
CHART_ROWS = 25
CRUMBS = [{"text": "Home", "href": "/"}, {"text": "Analytics", "href": "/analytics"}]


def csv_response(table: StatisticTable) -> Response:
    return Response(
        table_csv(table),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{table.key}.csv"'},
    )


@router.get("/analytics", response_class=HTMLResponse)
def analytics_home(request: Request, engine: EngineDep, actor: AnalystActor) -> HTMLResponse:
    return render(
        request,
        "analytics/index.html",
        {
            "title": "Workforce analytics",
            "dimensions": list(DIMENSIONS.values()),
            "targets": list_targets(engine, actor),
            "programmes": True,
            "breadcrumbs": CRUMBS[:1],
        },
    )


@router.get("/analytics/disclosure", response_class=HTMLResponse)
def disclosure_page(request: Request, actor: AnalystActor) -> HTMLResponse:
    return render(
        request,
        "analytics/disclosure.html",
        {
            "title": "How statistics are protected",
            "threshold": get_settings().disclosure_threshold,
            "breadcrumbs": CRUMBS,
        },
    )


@router.get("/analytics/headcount", response_class=HTMLResponse)
def headcount_page(
    request: Request,
    engine: EngineDep,
    actor: AnalystActor,
    by: By = "organisation",
) -> HTMLResponse:
    table = headcount(engine, actor, by)
    dimension = DIMENSIONS[by]
    rows = list(table.rows)
    if dimension.ddat_only:
        column, kind, chart_title = 0, "count", f"People in DDaT roles by {dimension.title}"
    else:
        column, kind, chart_title = (
            3,
            "share",
            f"Share of people in DDaT roles by {dimension.title}",
        )
    chosen = rows
    note = ""
    if len(rows) > CHART_ROWS:
        # The largest groups; the table lists them all.
        size = 0 if dimension.ddat_only else 2
        chosen = sorted(rows, key=lambda r: -(r.figures[size] or 0))[:CHART_ROWS]
        note = f" The chart shows the {CHART_ROWS} largest of {len(rows)} groups."
    chart = bar_chart(
        [(row.label, row.figures[column], formatted(row.figures[column], kind)) for row in chosen]
    )
    query = urlencode({"by": by})
    return render(
        request,
        "analytics/headcount.html",
        {
            "title": table.title,
            "table": table,
            "chart": chart,
            "chart_title": chart_title,
            "chart_description": f"Bars for each {dimension.title}; [c] marks a suppressed "
            f"figure.{note}",
            "dimensions": list(DIMENSIONS.values()),
            "by": by,
            "csv_href": f"/analytics/headcount.csv?{query}",
            "breadcrumbs": CRUMBS,
        },
    )


@router.get("/analytics/headcount.csv")
def headcount_csv(
    engine: EngineDep,
    actor: AnalystActor,
    by: By = "organisation",
) -> Response:
    return csv_response(headcount(engine, actor, by))


@router.get("/analytics/skills", response_class=HTMLResponse)
def skills_page(request: Request, engine: EngineDep, actor: AnalystActor) -> HTMLResponse:
    table = skill_gaps(engine, actor)
    chosen = [row for row in table.rows if row.figures[1] is not None][:CHART_ROWS]
    chart_title = f"The {len(chosen)} largest shortfalls"
    return render(
        request,
        "analytics/skills.html",
        {
            "title": "Skills supply against demand",
            "table": table,
            "chart": bar_chart(
                [(row.label, row.figures[1], formatted(row.figures[1], "count")) for row in chosen]
            ),
            "chart_title": chart_title,
            "chart_description": "Bars for the people short of the level their role level "
            "requires, by skill, largest first.",
            "breadcrumbs": CRUMBS,
        },
    )


@router.get("/analytics/skills.csv")
def skills_csv(engine: EngineDep, actor: AnalystActor) -> Response:
    return csv_response(skill_gaps(engine, actor))


@router.get("/analytics/programmes", response_class=HTMLResponse)
def programmes_page(request: Request, engine: EngineDep, actor: AnalystActor) -> HTMLResponse:
    funnels = programme_funnels(engine, actor)
    spread = programme_spread(engine, actor)
    totals = funnels.totals.figures if funnels.totals else (None,) * 5
    return render(
        request,
        "analytics/programmes.html",
        {
            "title": "Programme funnels and spread",
            "funnels": funnels,
            "spread": spread,
            "funnel_chart": bar_chart(
                [
                    (column.label, totals[i], formatted(totals[i], "count"))
                    for i, column in enumerate(funnels.columns[:5])
                ]
            ),
            "spread_chart": bar_chart(
                [
                    (row.label, row.figures[1], formatted(row.figures[1], "share"))
                    for row in spread.rows
                ]
            ),
            "breadcrumbs": CRUMBS,
        },
    )


@router.get("/analytics/programmes/funnels.csv")
def funnels_csv(engine: EngineDep, actor: AnalystActor) -> Response:
    return csv_response(programme_funnels(engine, actor))


@router.get("/analytics/programmes/spread.csv")
def spread_csv(engine: EngineDep, actor: AnalystActor) -> Response:
    return csv_response(programme_spread(engine, actor))


def _value_text(value: float | None, share: bool) -> str:
    if value is None:
        return "[c]"
    return f"{value * 100:.1f}%" if share else f"{round(value):,}"


def _status(progress: TargetProgress) -> tuple[str, str]:
    found = progress.outlook
    if found is None:
        return "Not enough data", "govuk-tag--grey"
    if found.on_track:
        return "On track", "govuk-tag--green"
    return "Off track", "govuk-tag--red"


@router.get("/analytics/targets", response_class=HTMLResponse)
def targets_page(request: Request, engine: EngineDep, actor: AnalystActor) -> HTMLResponse:
    items = []
    for target in list_targets(engine, actor):
        progress = target_progress(engine, actor, target.key)
        status, status_class = _status(progress)
        found = progress.outlook
        items.append(
            {
                "target": target,
                "latest": _value_text(found.current.value, target.is_share) if found else "–",
                "projected": _value_text(found.at_deadline, target.is_share) if found else "–",
                "status": status,
                "status_class": status_class,
            }
        )
    return render(
        request,
        "analytics/targets.html",
        {"title": "Targets", "items": items, "breadcrumbs": CRUMBS},
    )


@router.get("/analytics/targets/{key}", response_class=HTMLResponse)
def target_page(
    request: Request, engine: EngineDep, actor: AnalystActor, key: TargetKey
) -> HTMLResponse:
    progress = _progress(engine, actor, key)
    target = progress.target
    share = target.is_share
    found = progress.outlook
    status, status_class = _status(progress)
    chart = line_chart(
        [(o.on, o.value) for o in progress.observations],
        projection=[(p.on, p.central, max(p.low, 0.0), p.high) for p in progress.projection],
        target=target.value,
        value_format="{:.0%}" if share else "{:,.0f}",
    )
    context: dict[str, object] = {
        "title": target.title,
        "progress": progress,
        "status": status,
        "status_class": status_class,
        "chart": chart,
        "chart_description": "The solid line is the published monthly figure; the dashed line "
        "and shaded band are the projection and its 95% interval; the dotted line is the target.",
        "target_value": _value_text(target.value, share),
        "baseline": (
            f"{_value_text(target.baseline, share)} on {target.baseline_on:%-d %B %Y}"
            if target.baseline is not None and target.baseline_on is not None
            else ""
        ),
        "metric_label": METRIC_LABELS[target.metric],
        "scope_label": "the whole civil service"
        if target.scope == "civil-service"
        else target.scope.replace(":", " "),
        "breadcrumbs": [*CRUMBS, {"text": "Targets", "href": "/analytics/targets"}],
    }
    if found is not None:
        unit = 100 if share else 1
        suffix = " percentage points" if share else ""
        context.update(
            latest=_value_text(found.current.value, share),
            projected=_value_text(found.at_deadline, share),
            low=_value_text(max(found.low, 0.0), share),
            high=_value_text(found.high, share),
            trend=f"{found.projection.slope_per_year * unit:+,.{2 if share else 0}f}{suffix}",
            required=f"{found.required_per_year * unit:+,.{2 if share else 0}f}{suffix}",
        )
    return render(request, "analytics/target.html", context)


def _progress(engine: Engine, actor: Actor, key: str) -> TargetProgress:
    try:
        return target_progress(engine, actor, key)
    except UnknownTarget:
        raise HTTPException(status_code=404, detail=f"There is no target {key!r}.") from None


@router.get("/analytics/targets/{key}/trajectory.csv")
def target_trajectory_csv(engine: EngineDep, actor: AnalystActor, key: TargetKey) -> Response:
    return csv_response(_progress(engine, actor, key).trajectory)


@router.get("/analytics/targets/{key}/projection.csv")
def target_projection_csv(engine: EngineDep, actor: AnalystActor, key: TargetKey) -> Response:
    projected = _progress(engine, actor, key).projected
    if projected is None:
        raise HTTPException(status_code=404, detail="This target has no projection yet.")
    return csv_response(projected)
