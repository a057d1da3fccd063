"""`/register`: the public AI project register (search, filters, a record, downloads)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from mobilise.services.cohort_projects import around_project
from mobilise.services.guidance import project_guidance
from mobilise.services.hackathons import hackathon_challenges_from
from mobilise.services.register_drafts import organisation_projects, visible_project
from mobilise.services.register_editing import may_change
from mobilise.services.register_search import (
    RegisterFilters,
    filled_fields,
    register_facets,
    search_register,
)
from mobilise.services.register_similarity import similar_projects, similar_to_text
from mobilise.services.register_transfer import export_register_csv, export_register_json
from mobilise.web.access import PUBLIC, PublicActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

HOME = {"text": "Home", "href": "/"}
CRUMBS = [HOME, {"text": "AI register", "href": "/register"}]
KEY_PATH = Path(min_length=1, max_length=200)
FacetValues = Annotated[list[str], Query(max_length=20)]


def _download_name(suffix: str) -> str:
    return f'attachment; filename="mobilise-ai-register-{date.today().isoformat()}.{suffix}"'


@router.get("/register", response_class=HTMLResponse)
def register(
    request: Request,
    engine: EngineDep,
    actor: PublicActor,
    q: Annotated[str | None, Query(max_length=100)] = None,
    organisation: Annotated[str | None, Query(max_length=200)] = None,
    phase: Annotated[str | None, Query(max_length=30)] = None,
    function: FacetValues = [],  # noqa: B006 (FastAPI copies defaults per request)
    region: FacetValues = [],  # noqa: B006
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    facets = register_facets(engine)
    # A value no form offers (an old link) is left out rather than refused: a reader's search.
    filters = RegisterFilters(
        words=(q or "").strip() or None,
        organisation=organisation
        if organisation in {c.value for c in facets.organisations}
        else None,
        phase=phase if phase in {c.value for c in facets.phases} else None,
        functions=tuple(v for v in function if v in {c.value for c in facets.functions}),
        regions=tuple(v for v in region if v in {c.value for c in facets.regions}),
    )
    found = search_register(
        engine, filters, page=page, page_size=request.app.state.settings.page_size
    )
    return render(
        request,
        "register/search.html",
        {
            "title": "AI project register",
            "found": found,
            "filters": filters,
            "facets": facets,
            "labels": {c.value: c.label for c in facets.phases},
            "ours": organisation_projects(engine, actor) if actor is not None else None,
            "breadcrumbs": [HOME],
        },
    )


@router.get("/register.json", dependencies=[Depends(PUBLIC)])
def register_json(engine: EngineDep) -> JSONResponse:
    return JSONResponse(
        export_register_json(engine),
        headers={"Content-Disposition": _download_name("json")},
    )


@router.get("/register.csv", dependencies=[Depends(PUBLIC)])
def register_csv(engine: EngineDep) -> Response:
    return Response(
        export_register_csv(engine),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": _download_name("csv")},
    )


@router.get("/register/{key}", response_class=HTMLResponse)
def record(
    request: Request, engine: EngineDep, actor: PublicActor, key: Annotated[str, KEY_PATH]
) -> HTMLResponse:
    """A published record for anyone; a draft for its organisation only (a 404 for others)."""
    project = visible_project(engine, actor, key)
    facets = register_facets(engine)
    similar = (
        similar_projects(engine, key)
        if project.status == "published"
        else similar_to_text(engine, project.title, project.summary, project.description)
    )
    return render(
        request,
        "register/record.html",
        {
            "title": project.title,
            "project": project,
            "sections": filled_fields(project),
            "similar": similar,
            "hackathon_challenges": hackathon_challenges_from(engine, key),
            "around_project": around_project(engine, actor, key),
            "guidance": project_guidance(engine, key),
            "phase_label": {c.value: c.label for c in facets.phases}.get(project.phase or ""),
            "may_edit": actor is not None and may_change(actor, project.organisation_id),
            "breadcrumbs": CRUMBS,
        },
    )
