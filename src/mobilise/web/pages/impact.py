"""`/programmes/{key}/impact`: did the programme work? Its cohorts' skills before and after,
moves and retention, and the effect against matched non-participants; also as CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from mobilise.services.impact import CALIPER, OUTCOMES, programme_impact
from mobilise.services.impact_demo import PLANTED_UPLIFT
from mobilise.services.impact_export import impact_csv
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

Key = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_-]+$")]


@router.get("/programmes/{key}/impact", response_class=HTMLResponse)
def impact_page(
    request: Request, engine: EngineDep, actor: SignedInActor, key: Key
) -> HTMLResponse:
    impact = programme_impact(engine, actor, key)
    return render(
        request,
        "impact/programme.html",
        {
            "title": f"Impact of {impact.name}",
            "impact": impact,
            "outcomes": OUTCOMES,
            "caliper": CALIPER,
            "planted": PLANTED_UPLIFT,
            "breadcrumbs": [
                {"text": "Programmes", "href": "/programmes"},
                {"text": impact.name, "href": f"/programmes/{impact.key}"},
            ],
        },
    )


@router.get("/programmes/{key}/impact.csv")
def impact_download(engine: EngineDep, actor: SignedInActor, key: Key) -> Response:
    impact = programme_impact(engine, actor, key)
    return Response(
        impact_csv(impact),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{impact.key}-impact.csv"'},
    )
