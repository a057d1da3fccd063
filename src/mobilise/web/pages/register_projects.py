"""Register an AI project or challenge (`/register/new`) and change what was registered.

Registering is two steps, both plain forms: the details, then the published projects most like
them (with why) before the team commits; the second step carries the details in hidden fields,
so it works without JavaScript and nothing is stored until the team says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.framework.levels import SkillLevel
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.register.registration import (
    Link,
    NeededSkill,
    ProjectDetails,
    details_problems,
    first_sentence,
)
from mobilise.core.register.vocabulary import KINDS, REGISTRATION_PHASES
from mobilise.services.audit import NotPermitted
from mobilise.services.register_drafts import team_project
from mobilise.services.register_editing import register_project, update_details
from mobilise.services.register_similarity import similar_to_text
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.pages.form_values import errors_for, lines
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

DETAIL_FIELDS = ("title", "kind", "phase", "description", "users", "team", "skills", "links")
FIELD_IDS = {name: name for name in DETAIL_FIELDS}
KIND_LABELS = {
    "project": "A project: a tool the team is building or running",
    "challenge": "A challenge: a problem the team wants solved",
}
REGISTER = {"text": "AI register", "href": "/register"}
KEY_PATH = Path(min_length=1, max_length=200)


def form_values(form: Mapping[str, Any]) -> dict[str, str]:
    return {name: str(form.get(name, ""))[:20_000] for name in DETAIL_FIELDS}


def parse_details(values: Mapping[str, str], problems: list[Problem]) -> ProjectDetails:
    """The details in the form's text: skills one "skill-key, level" a line, links one
    "label | https://..." a line."""
    skills: list[NeededSkill] = []
    for index, line in enumerate(lines(values["skills"])):
        skill, _, level = line.rpartition(",")
        if not skill.strip():
            rule = "needs a skill's key, a comma and a level"
            problems.append(Problem("project", None, f"skills[{index}]", line[:40], rule))
            continue
        skills.append(NeededSkill(skill.strip(), level.strip()))
    links: list[Link] = []
    for index, line in enumerate(lines(values["links"])):
        label, bar, url = line.partition("|")
        if not bar:
            rule = "needs a label, a | and the link"
            problems.append(Problem("project", None, f"links[{index}]", line[:40], rule))
            continue
        links.append(Link(label.strip(), url.strip()))
    return ProjectDetails(
        title=values["title"].strip(),
        kind=values["kind"],
        phase=values["phase"],
        description=values["description"].strip(),
        users=values["users"].strip(),
        team=values["team"].strip(),
        skills=tuple(skills),
        links=tuple(links),
    )


def details_values(details: ProjectDetails) -> dict[str, str]:
    """The details as the form's text, to show them again."""
    return {
        "title": details.title,
        "kind": details.kind,
        "phase": details.phase,
        "description": details.description,
        "users": details.users,
        "team": details.team,
        "skills": "\n".join(f"{s.skill}, {s.level}" for s in details.skills),
        "links": "\n".join(f"{link.label} | {link.url}" for link in details.links),
    }


@dataclass(frozen=True, slots=True)
class Filled:
    """A details form as the team filled it, with a message per refused field."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    status: int = 200


def _details_form(request: Request, filled: Filled, key: str | None, title: str) -> HTMLResponse:
    """The registration form (no key yet) or the form changing what was registered."""
    crumbs = (
        [REGISTER] if key is None else [REGISTER, {"text": title, "href": f"/register/{key}/edit"}]
    )
    context: dict[str, Any] = {
        "title": "Register an AI project or challenge" if key is None else f"About {title}",
        "key": key,
        "values": filled.values,
        "errors": filled.errors,
        "kinds": [(k, KIND_LABELS[k]) for k in KINDS],
        "phases": [(value, label) for value, _, label in REGISTRATION_PHASES],
        "levels": SkillLevel.labels(),
        "breadcrumbs": crumbs,
    }
    return render(request, "register/details.html", context, status_code=filled.status)


def _new_form(request: Request, filled: Filled) -> HTMLResponse:
    return _details_form(request, filled, None, "")


@router.get("/register/new", response_class=HTMLResponse)
def new_project(request: Request, actor: SignedInActor) -> HTMLResponse:
    if actor.organisation_id is None:
        raise NotPermitted("only members of an organisation register AI projects")
    return _new_form(request, Filled({"kind": "project"}))


@router.post("/register/new", response_class=HTMLResponse)
async def new_project_submit(request: Request, engine: EngineDep, actor: SignedInActor) -> Response:
    if actor.organisation_id is None:
        raise NotPermitted("only members of an organisation register AI projects")
    form = await request.form()
    values = form_values(form)
    action = str(form.get("action", "check"))
    problems: list[Problem] = []
    details = parse_details(values, problems)
    problems += details_problems(details, "project")
    if problems:
        errors = errors_for(problems, FIELD_IDS, "title")
        return _new_form(request, Filled(values, errors, 422))
    if action == "change":
        return _new_form(request, Filled(values))
    if action != "register":
        similar = similar_to_text(
            engine, details.title, first_sentence(details.description), details.description
        )
        return render(
            request,
            "register/similar.html",
            {
                "title": "Projects like yours",
                "values": values,
                "details": details,
                "similar": similar,
                "breadcrumbs": [REGISTER, {"text": "Register", "href": "/register/new"}],
            },
        )
    try:
        key = register_project(engine, actor, details)
    except InvalidInput as error:  # a skill the framework lacks
        errors = errors_for(error.problems, FIELD_IDS, "title")
        return _new_form(request, Filled(values, errors, 422))
    return RedirectResponse(f"/register/{key}/edit", status_code=303)


@router.get("/register/{key}/edit/details", response_class=HTMLResponse)
def project_details(
    request: Request, engine: EngineDep, actor: SignedInActor, key: Annotated[str, KEY_PATH]
) -> HTMLResponse:
    project = team_project(engine, actor, key)
    return _details_form(request, Filled(details_values(project.details)), key, project.view.title)


@router.post("/register/{key}/edit/details", response_class=HTMLResponse)
async def project_details_submit(
    request: Request, engine: EngineDep, actor: SignedInActor, key: Annotated[str, KEY_PATH]
) -> Response:
    project = team_project(engine, actor, key)
    values = form_values(await request.form())
    # The title, phase and description are the record's (its metadata and summary sections).
    values |= {
        "title": project.view.title,
        "phase": project.details.phase,
        "description": project.view.description or project.view.title,
    }
    problems: list[Problem] = []
    details = parse_details(values, problems)
    try:
        if problems:
            raise InvalidInput(problems)
        update_details(engine, actor, key, details)
    except InvalidInput as error:
        errors = errors_for(error.problems, FIELD_IDS, "users")
        return _details_form(request, Filled(values, errors, 422), key, project.view.title)
    return RedirectResponse(f"/register/{key}/edit", status_code=303)
