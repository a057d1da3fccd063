"""People who could work on an AI project (`/register/{key}/people`), and a person's own choice
to be found for AI projects (`/me/ai-projects`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.services.people_search import (
    people_for_project,
    person_for_project,
    project_search_opt_in,
    set_project_search_opt_in,
)
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

ProjectKey = Annotated[str, Path(min_length=1, max_length=200)]
PersonKey = Annotated[str, Path(min_length=1, max_length=200)]
OPT_IN = "/me/ai-projects"


def _crumbs(key: str, title: str) -> list[dict[str, str]]:
    return [
        {"text": "Home", "href": "/"},
        {"text": "AI register", "href": "/register"},
        {"text": title, "href": f"/register/{key}"},
    ]


@router.get(OPT_IN, response_class=HTMLResponse)
def opt_in_page(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    saved: Annotated[bool, Query()] = False,
) -> HTMLResponse:
    choice = project_search_opt_in(engine, actor)
    return render(
        request,
        "people/search_opt_in.html",
        {
            "title": "Being found for AI projects",
            "choice": choice,
            "saved": saved,
            "breadcrumbs": [{"text": "Your profile", "href": f"/people/{choice.person_key}"}],
        },
    )


@router.post(OPT_IN, response_class=HTMLResponse)
def opt_in(
    engine: EngineDep,
    actor: SignedInActor,
    opted_in: Annotated[str, Form(pattern="^(yes|no)$")],
) -> Response:
    set_project_search_opt_in(engine, actor, opted_in == "yes")
    return RedirectResponse(f"{OPT_IN}?saved=true", status_code=303)


@router.get("/register/{key}/people", response_class=HTMLResponse)
def project_people(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: ProjectKey,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    found = people_for_project(
        engine, actor, key, page=page, page_size=min(request.app.state.settings.page_size, 100)
    )
    return render(
        request,
        "people/search_project.html",
        {
            "title": f"People who could work on {found.project_title}",
            "found": found,
            "breadcrumbs": _crumbs(key, found.project_title),
        },
    )


@router.get("/register/{key}/people/{person}", response_class=HTMLResponse)
def project_person(
    request: Request, engine: EngineDep, actor: SignedInActor, key: ProjectKey, person: PersonKey
) -> HTMLResponse:
    found = person_for_project(engine, actor, key, person)
    crumbs = _crumbs(key, found.project_title)
    crumbs.append({"text": "People", "href": f"/register/{key}/people"})
    return render(
        request,
        "people/search_person.html",
        {
            "title": found.fit.person.display_name,
            "fit": found.fit,
            "project": found,
            "breadcrumbs": crumbs,
        },
    )
