"""`/analytics`: workforce dashboards for analysts — headcount and share, skills supply against
demand, targets with projections — each chart beside its table, each table as CSV too."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from mobilise.core.analytics.charts import bar_chart
from mobilise.services.actors import Actor, Role
from mobilise.services.analytics.headcount import DIMENSIONS, headcount
from mobilise.services.analytics.statistics import StatisticTable, formatted, table_csv
from mobilise.web.access import Requirement
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

ANALYSTS = Requirement(Role.ANALYST, Role.SERVICE_ADMIN)
AnalystActor = Annotated[Actor, Depends(ANALYSTS)]
By = Annotated[str, Query(max_length=40, description="The dimension to break down by.")]
OrganisationKey = Annotated[str | None, Query(max_length=200)]
CHART_ROWS = 25
CRUMBS = [{"text": "Home", "href": "/"}, {"text": "Analytics", "href": "/analytics"}]


def csv_response(table: StatisticTable) -> Response:
    return Response(
        table_csv(table),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{table.key}.csv"'},
    )


@router.get("/analytics", response_class=HTMLResponse)
def analytics_home(request: Request, actor: AnalystActor) -> HTMLResponse:
    return render(
        request,
        "analytics/index.html",
        {
            "title": "Workforce analytics",
            "dimensions": list(DIMENSIONS.values()),
            "targets": [],
            "breadcrumbs": CRUMBS[:1],
        },
    )


@router.get("/analytics/headcount", response_class=HTMLResponse)
def headcount_page(
    request: Request,
    engine: EngineDep,
    actor: AnalystActor,
    by: By = "organisation",
    organisation: OrganisationKey = None,
) -> HTMLResponse:
    table = headcount(engine, actor, by, organisation=organisation)
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
    query = urlencode({"by": by, **({"organisation": organisation} if organisation else {})})
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
            "organisation": organisation,
            "csv_href": f"/analytics/headcount.csv?{query}",
            "breadcrumbs": CRUMBS,
        },
    )


@router.get("/analytics/headcount.csv")
def headcount_csv(
    engine: EngineDep,
    actor: AnalystActor,
    by: By = "organisation",
    organisation: OrganisationKey = None,
) -> Response:
    return csv_response(headcount(engine, actor, by, organisation=organisation))
