"""`/register/clusters`: analysts' clusters of similar projects across government."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from mobilise.core.project_clusters import DEFAULT_MIN_SIMILARITY
from mobilise.services.actors import Actor, Role
from mobilise.services.register_clusters import register_clusters
from mobilise.web.access import Requirement
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

ANALYSTS = Requirement(Role.ANALYST, Role.SERVICE_ADMIN)
# How alike a cluster's members must be on average: the choices the page offers.
CLOSENESS = (
    (0.08, "Loosely related"),
    (DEFAULT_MIN_SIMILARITY, "Related (recommended)"),
    (0.2, "Closely related"),
    (0.3, "Very closely related"),
)


@router.get("/register/clusters", response_class=HTMLResponse)
def clusters(
    request: Request,
    engine: EngineDep,
    actor: Annotated[Actor, Depends(ANALYSTS)],
    closeness: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
) -> HTMLResponse:
    # A value the form does not offer (an old link) falls back to the recommended one.
    chosen = closeness if closeness in {value for value, _ in CLOSENESS} else None
    found = register_clusters(engine, actor, min_similarity=chosen or DEFAULT_MIN_SIMILARITY)
    return render(
        request,
        "register/clusters.html",
        {
            "title": "Similar projects across government",
            "found": found,
            "closeness": CLOSENESS,
            "chosen": found.min_similarity,
            "breadcrumbs": [
                {"text": "Home", "href": "/"},
                {"text": "AI register", "href": "/register"},
            ],
        },
    )
