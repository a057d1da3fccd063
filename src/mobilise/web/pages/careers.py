"""`/people/{key}/career`: nearest role levels, the gap to a chosen target, the path there."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.problems import InvalidInput
from mobilise.services.gaps import career_to, gap_to, nearest_to, role_levels_for
from mobilise.services.pathways import pathway_for
from mobilise.web.access import PeopleReader
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

TargetQuery = Annotated[str | None, Query(max_length=200)]


@router.get("/people/{key}/career", response_class=HTMLResponse)
def career(
    request: Request, engine: EngineDep, actor: PeopleReader, key: str, target: TargetQuery = None
) -> HTMLResponse:
    nearest = nearest_to(engine, actor, key, k=10)
    choices = sorted(role_levels_for(engine, actor, key), key=lambda r: (r.role_name, r.name))
    gap = path = None
    error = None
    if target:
        try:
            gap = gap_to(engine, actor, key, target)
        except InvalidInput as problem:
            error = problem.problems[0]
        else:
            try:
                path = career_to(engine, actor, key, target)
            except InvalidInput:
                path = None  # no current role level: the gap still helps
    is_self = actor.person_key == key
    return render(
        request,
        "people/career.html",
        {
            "title": "Your career" if is_self else "Career",
            "person_key": key,
            "is_self": is_self,
            "nearest": nearest,
            "choices": choices,
            "target": target or "",
            "gap": gap,
            "path": path,
            "error": error,
            "has_errors": error is not None,
            "breadcrumbs": [{"text": "Profile", "href": f"/people/{key}"}],
        },
        status_code=422 if error else 200,
    )


@router.get("/people/{key}/pathway", response_class=HTMLResponse)
def pathway(
    request: Request,
    engine: EngineDep,
    actor: PeopleReader,
    key: str,
    target: TargetQuery = None,
    objective: Annotated[str, Query(pattern="^(hours|cost)$")] = "hours",
) -> Response:
    if not target:
        return RedirectResponse(f"/people/{key}/career", status_code=303)
    plan = pathway_for(engine, actor, key, target, objective=objective)
    return render(
        request,
        "people/pathway.html",
        {
            "title": "Learning pathway",
            "plan": plan,
            "breadcrumbs": [
                {"text": "Profile", "href": f"/people/{key}"},
                {"text": "Career", "href": f"/people/{key}/career?target={target}"},
            ],
        },
    )
