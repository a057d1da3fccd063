"""The mentoring page: offer to mentor, ask for a mentor (with the choice to let mentors in other
organisations see the request), your mentorings with why each was made and a way to end them, and
for programme admins a form to run a round for their organisation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from mobilise.core.problems import InvalidInput
from mobilise.services.actors import Actor
from mobilise.services.mentoring import ask_for_mentor, end_mentoring, my_mentoring, offer_to_mentor
from mobilise.services.mentoring_rounds import run_mentoring_round
from mobilise.services.programmes import organisations_run_by
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.pages.hackathons import acted
from mobilise.web.pages.programmes import problem_page
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)
PAGE = "/mentoring"


def _skill_keys(text: str) -> list[str]:
    return [k.strip() for k in text.replace("\n", ",").split(",") if k.strip()][:20]


def _page(request: Request, engine: Engine, actor: Actor, outcome: str = "") -> HTMLResponse:
    return render(
        request,
        "communities/mentoring.html",
        {
            "title": "Mentoring",
            "page": my_mentoring(engine, actor),
            "organisations": organisations_run_by(engine, actor),
            "outcome": outcome,
        },
    )


@router.get(PAGE, response_class=HTMLResponse)
def mentoring(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    matched, unmatched = (request.query_params.get(n, "") for n in ("matched", "unmatched"))
    outcome = ""
    if matched.isdigit() and unmatched.isdigit():
        outcome = f"The round matched {matched} and left {unmatched} without a mentor."
    return _page(request, engine, actor, outcome)


@router.post(PAGE + "/offer", response_class=HTMLResponse)
def offer(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    skills: Annotated[str, Form(max_length=2000)] = "",
    capacity: Annotated[str, Form(max_length=5)] = "",
    availability: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    mentees = int(capacity) if capacity.strip().isdigit() else -1
    return acted(
        request,
        lambda: offer_to_mentor(engine, actor, _skill_keys(skills), mentees, availability),
        PAGE,
        PAGE + "#offer",
    )


@router.post(PAGE + "/request", response_class=HTMLResponse)
def request_mentor(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    skills: Annotated[str, Form(max_length=2000)] = "",
    goals: Annotated[str, Form(max_length=2000)] = "",
    share: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    return acted(
        request,
        lambda: ask_for_mentor(
            engine, actor, _skill_keys(skills), goals, share_across_organisations=share == "yes"
        ),
        PAGE,
        PAGE + "#request",
    )


@router.post(PAGE + "/{key}/end", response_class=HTMLResponse)
def end(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    return acted(
        request, lambda: end_mentoring(engine, actor, key[:40], reason), PAGE, PAGE + "#mine"
    )


@router.post(PAGE + "/rounds", response_class=HTMLResponse)
def run_round(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: Annotated[str, Form(max_length=200)] = "",
    organisation: Annotated[str, Form(max_length=200)] = "",
    method: Annotated[str, Form(max_length=20)] = "stable",
) -> Response:
    try:
        outcome = run_mentoring_round(
            engine, actor, key.strip(), organisation=organisation or None, method=method
        )
    except InvalidInput as error:
        return problem_page(request, error, PAGE)
    return RedirectResponse(
        f"{PAGE}?matched={outcome.matched}&unmatched={outcome.unmatched}#rounds", status_code=303
    )
