"""Register projects offered to programme cohorts: a project's cohorts (`/register/{key}/cohorts`)
with the form to offer it to one, and offering or withdrawing from the cohort's page."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from mobilise.core.problems import InvalidInput
from mobilise.services.actors import Actor
from mobilise.services.cohort_projects import (
    cohorts_offered,
    cohorts_to_offer_to,
    offer_project,
    withdraw_project_offer,
)
from mobilise.services.register_search import published_project
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.pages.programmes import problem_page
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

Key = Annotated[str, Path(min_length=1, max_length=200)]
# A project named by its key or by the address of its page (pasted from the register).
PROJECT_ADDRESS = re.compile(r"(?:.*/register/)?([A-Za-z0-9._-]{1,200})/?$")


def project_key_from(text: str) -> str:
    found = PROJECT_ADDRESS.match(text.strip())
    return found.group(1) if found else text.strip()


@router.get("/register/{key}/cohorts", response_class=HTMLResponse)
def project_cohorts(
    request: Request, engine: EngineDep, actor: SignedInActor, key: Key
) -> HTMLResponse:
    project = published_project(engine, key)
    offered = cohorts_offered(engine, key)
    shown = {c.key for c in offered}
    return render(
        request,
        "cohort_projects/project.html",
        {
            "title": f"Cohorts offered {project.title}",
            "project": project,
            "offered": offered,
            "may_offer": [c for c in cohorts_to_offer_to(engine, actor) if c.key not in shown],
            "breadcrumbs": [
                {"text": "Home", "href": "/"},
                {"text": "AI register", "href": "/register"},
                {"text": project.title, "href": f"/register/{key}"},
            ],
        },
    )


def _offer(
    request: Request, engine: Engine, actor: Actor, cohort: str, project: str, page: str
) -> Response:
    """Offer the project, then back to `page` (where the form was), or the problem page."""
    try:
        offer_project(engine, actor, cohort, project)
    except InvalidInput as error:
        return problem_page(request, error, page.partition("#")[0])
    return RedirectResponse(page, status_code=303)


@router.post("/register/{key}/cohorts", response_class=HTMLResponse)
def offer_to_cohort(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: Key,
    cohort: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    return _offer(request, engine, actor, cohort.strip(), key, f"/register/{key}/cohorts")


@router.post("/cohorts/{key}/projects", response_class=HTMLResponse)
def offer_project_to_cohort(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: Key,
    project: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    return _offer(
        request, engine, actor, key, project_key_from(project), f"/cohorts/{key}#projects"
    )


@router.post("/cohorts/{key}/projects/{project}/withdraw", response_class=HTMLResponse)
def withdraw_offer(engine: EngineDep, actor: SignedInActor, key: Key, project: Key) -> Response:
    withdraw_project_offer(engine, actor, key, project)
    return RedirectResponse(f"/cohorts/{key}#projects", status_code=303)
