"""Hackathon pages: the list, setting one up, a hackathon (challenges, sign-up, the organisers'
next step, judges), signing up, withdrawing and revoking the share grant.

Teams, a team's page (submission and scoring) and the public results are in
web/pages/hackathon_teams.py. Every form posts to a route that calls the same service as the API;
refusals come back as the page again with the problem, and nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.applications import SHARE_PARTS
from mobilise.services.audit import NotPermitted
from mobilise.services.hackathon_signups import revoke_share, sign_up, withdraw
from mobilise.services.hackathon_transitions import change_hackathon
from mobilise.services.hackathons import (
    DEFAULT_HACKATHON_RUBRIC,
    HackathonSpec,
    add_challenge,
    add_judge,
    create_hackathon,
    get_hackathon,
    list_hackathons,
)
from mobilise.services.programmes import organisations_run_by
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.pages.form_values import day, errors_for, whole_number
from mobilise.web.pages.programmes import problem_page
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

CRUMBS = [{"text": "Hackathons", "href": "/hackathons"}]
HACKATHON_FIELDS = {
    name: name
    for name in (
        "key",
        "title",
        "organisation",
        "starts_on",
        "ends_on",
        "place",
        "online",
        "capacity",
        "team_size",
        "summary",
    )
}
SHARE_LABELS = {
    "role": "Your current role, grade, organisation and region",
    "skills": "Your skills profile (the engine uses it to balance skills across teams)",
    "learning": "The learning you have completed",
}
SIGN_UP_FIELDS = {
    "preferences": "first",
    "share": "share",
    "consent": "consent",
    "hackathon": "first",
}


def acted(request: Request, change: Callable[[], object], back: str, done: str) -> Response:
    """Make a change; a refusal is the problem page (and nothing changed), else go to `done`."""
    try:
        change()
    except InvalidInput as error:
        return problem_page(request, error, back)
    return RedirectResponse(done, status_code=303)


@router.get("/hackathons", response_class=HTMLResponse)
def hackathons(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    return render(
        request,
        "hackathons/list.html",
        {
            "title": "Hackathons",
            "hackathons": list_hackathons(engine, actor),
            "may_set_up": bool(organisations_run_by(engine, actor)),
        },
    )


def _new_form(
    request: Request,
    organisations: list[tuple[str, str]],
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "hackathons/new.html",
        {
            "title": "Set up a hackathon",
            "organisations": organisations,
            "values": values,
            "errors": errors,
            "rubric": DEFAULT_HACKATHON_RUBRIC,
            "breadcrumbs": CRUMBS,
        },
        status_code=status,
    )


@router.get("/hackathons/new", response_class=HTMLResponse)
def new_hackathon(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    organisations = organisations_run_by(engine, actor)
    if not organisations:
        raise NotPermitted("only programme admins set up hackathons")
    values = {"organisation": organisations[0][0], "team_size": "4", "capacity": "40"}
    return _new_form(request, organisations, values, {})


@router.post("/hackathons/new", response_class=HTMLResponse)
async def create_hackathon_submit(
    request: Request, engine: EngineDep, actor: SignedInActor
) -> Response:
    organisations = organisations_run_by(engine, actor)
    if not organisations:
        raise NotPermitted("only programme admins set up hackathons")
    form = await request.form()
    values = {name: str(form.get(name, ""))[:5000] for name in HACKATHON_FIELDS}
    source = f"hackathon {values['key']}"
    problems: list[Problem] = []
    starts = day(values["starts_on"], "starts_on", source, problems)
    ends = day(values["ends_on"], "ends_on", source, problems)
    capacity = whole_number(values["capacity"], "capacity", source, problems, low=1, high=10_000)
    size = whole_number(values["team_size"], "team_size", source, problems, low=2, high=12)
    try:
        if problems or starts is None or ends is None or capacity is None or size is None:
            raise InvalidInput(problems)
        key = create_hackathon(
            engine,
            actor,
            HackathonSpec(
                key=values["key"].strip(),
                title=values["title"],
                organisation=values["organisation"],
                starts_on=starts,
                ends_on=ends,
                capacity=capacity,
                team_size=size,
                summary=values["summary"],
                place=values["place"],
                online=values["online"] == "yes",
            ),
        )
    except InvalidInput as error:
        errors = errors_for(error.problems, HACKATHON_FIELDS, "key")
        return _new_form(request, organisations, values, errors, status=422)
    return RedirectResponse(f"/hackathons/{key}", status_code=303)


@router.get("/hackathons/{key}", response_class=HTMLResponse)
def hackathon(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> HTMLResponse:
    view = get_hackathon(engine, actor, key[:200])
    return render(
        request,
        "hackathons/hackathon.html",
        {"title": view.summary.title, "hackathon": view, "breadcrumbs": CRUMBS},
    )


@router.post("/hackathons/{key}/transitions", response_class=HTMLResponse)
def transition(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    action: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    page = f"/hackathons/{key}"
    return acted(request, lambda: change_hackathon(engine, actor, key[:200], action), page, page)


@router.post("/hackathons/{key}/challenges", response_class=HTMLResponse)
def challenge(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    title: Annotated[str, Form(max_length=600)] = "",
    summary: Annotated[str, Form(max_length=6000)] = "",
    register_entry: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    entry = register_entry.strip() or None
    return acted(
        request,
        lambda: add_challenge(
            engine, actor, key[:200], title=title, summary=summary, register_entry=entry
        ),
        f"/hackathons/{key}",
        f"/hackathons/{key}#challenges",
    )


@router.post("/hackathons/{key}/judges", response_class=HTMLResponse)
def judge(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    person: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    return acted(
        request,
        lambda: add_judge(engine, actor, key[:200], person.strip()),
        f"/hackathons/{key}",
        f"/hackathons/{key}#judges",
    )


def _sign_up_page(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    values: dict[str, object],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    view = get_hackathon(engine, actor, key)
    return render(
        request,
        "hackathons/sign_up.html",
        {
            "title": f"Sign up to {view.summary.title}",
            "hackathon": view,
            "parts": [(p, SHARE_LABELS[p]) for p in SHARE_PARTS],
            "values": values,
            "errors": errors,
            "breadcrumbs": [*CRUMBS, {"text": view.summary.title, "href": f"/hackathons/{key}"}],
        },
        status_code=status,
    )


@router.get("/hackathons/{key}/sign-up", response_class=HTMLResponse)
def sign_up_form(
    request: Request, engine: EngineDep, actor: SignedInActor, key: str
) -> HTMLResponse:
    return _sign_up_page(request, engine, actor, key[:200], {"share": ["skills"]}, {})


@router.post("/hackathons/{key}/sign-up", response_class=HTMLResponse)
async def sign_up_submit(
    request: Request, engine: EngineDep, actor: SignedInActor, key: str
) -> Response:
    form = await request.form()
    choices = [str(form.get(name, ""))[:200] for name in ("first", "second", "third")]
    share = [str(v)[:20] for v in form.getlist("share")][:10]
    values: dict[str, object] = {
        "first": choices[0],
        "second": choices[1],
        "third": choices[2],
        "share": share,
        "consent": form.get("consent") == "yes",
        "show_name": form.get("show_name") == "yes",
    }
    try:
        sign_up(
            engine,
            actor,
            key[:200],
            choices,
            share,
            consent=bool(values["consent"]),
            show_name=bool(values["show_name"]),
        )
    except InvalidInput as error:
        errors = errors_for(error.problems, SIGN_UP_FIELDS, "first")
        return _sign_up_page(request, engine, actor, key[:200], values, errors, status=422)
    return RedirectResponse(f"/hackathons/{key}", status_code=303)


@router.post("/hackathons/{key}/withdraw", response_class=HTMLResponse)
def withdraw_submit(
    request: Request, engine: EngineDep, actor: SignedInActor, key: str
) -> Response:
    page = f"/hackathons/{key}"
    return acted(request, lambda: withdraw(engine, actor, key[:200]), page, page)


@router.post("/hackathons/{key}/share/revoke", response_class=HTMLResponse)
def revoke_submit(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> Response:
    page = f"/hackathons/{key}"
    return acted(request, lambda: revoke_share(engine, actor, key[:200]), page, page)
