"""Pages that change claims: assess your own skill, answer a suggestion, validate your team's."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from mobilise.core.framework import SkillLevel
from mobilise.core.problems import InvalidInput
from mobilise.services.actors import Actor, Role
from mobilise.services.catalogue import list_skills
from mobilise.services.skill_claims import (
    answer_suggestion,
    assess_own_skill,
    validate_claim,
    validation_queue,
)
from mobilise.web.access import Requirement, SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

MANAGERS = Requirement(Role.LINE_MANAGER)
ManagerActor = Annotated[Actor, Depends(MANAGERS)]
LEVELS = [(int(level), level.label.capitalize()) for level in SkillLevel]
ASSESS_FIELDS = {"skill": "skill", "level": "level", "evidence": "evidence", "link": "link"}


def _errors(error: InvalidInput, fields: dict[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for problem in error.problems:
        field = fields.get(problem.column or "", next(iter(fields.values())))
        found.setdefault(
            field, f"{problem.column.capitalize() if problem.column else 'It'} {problem.rule}"
        )
    return found


def _skills(engine: Engine) -> list[Any]:
    return list(list_skills(engine, limit=1000).items)


def _assess_page(
    request: Request,
    engine: Engine,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "claims/assess.html",
        {
            "title": "Assess a skill",
            "skills": _skills(engine),
            "levels": LEVELS,
            "values": values or {},
            "errors": errors or {},
            "has_errors": bool(errors),
            "breadcrumbs": [{"text": "Your profile", "href": "/me"}],
        },
        status_code=status,
    )


@router.get("/me/assess", response_class=HTMLResponse)
def assess_form(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    skill: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    return _assess_page(request, engine, values={"skill": skill or ""})


@router.post("/me/assess", response_class=HTMLResponse)
def assess(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    skill: Annotated[str, Form(max_length=200)] = "",
    level: Annotated[str, Form(max_length=10)] = "",
    evidence: Annotated[str, Form(max_length=6000)] = "",
    link: Annotated[str, Form(max_length=2100)] = "",
) -> Response:
    values = {"skill": skill, "level": level, "evidence": evidence, "link": link}
    errors: dict[str, str] = {}
    if not skill:
        errors["skill"] = "Select a skill"
    if not level:
        errors["level"] = "Select a level"
    if not errors:
        try:
            assess_own_skill(engine, actor, skill, level, evidence, link or None)
        except InvalidInput as error:
            errors = _errors(error, ASSESS_FIELDS)
        else:
            return RedirectResponse(f"/people/{actor.person_key}#skills", status_code=303)
    return _assess_page(request, engine, values=values, errors=errors, status=422)


@router.post("/me/suggestions/{claim_id}")
def answer(
    engine: EngineDep,
    actor: SignedInActor,
    claim_id: int,
    answer: Annotated[str, Form(pattern="^(confirm|reject)$")],
) -> Response:
    answer_suggestion(engine, actor, claim_id, accept=answer == "confirm")
    return RedirectResponse(f"/people/{actor.person_key}#suggestions", status_code=303)


@router.get("/validation", response_class=HTMLResponse)
def queue(
    request: Request,
    engine: EngineDep,
    actor: ManagerActor,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    size = request.app.state.settings.page_size
    claims, total = validation_queue(engine, actor, limit=size, offset=(page - 1) * size)
    return render(
        request,
        "claims/queue.html",
        {
            "title": "Claims to validate",
            "claims": claims,
            "total": total,
            "page_number": page,
            "has_more": page * size < total,
            "levels": LEVELS,
            "breadcrumbs": [{"text": "Home", "href": "/"}],
        },
    )


@router.post("/validation/{claim_id}", response_class=HTMLResponse)
def decide(
    request: Request,
    engine: EngineDep,
    actor: ManagerActor,
    claim_id: int,
    decision: Annotated[str, Form(max_length=10)] = "",
    level: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=1100)] = "",
) -> Response:
    try:
        validate_claim(engine, actor, claim_id, decision, level=level or None, reason=reason)
    except InvalidInput as error:
        return render(
            request,
            "errors/error.html",
            {
                "title": "There is a problem",
                "problem": {"status": 422, "detail": error.summary(), "invalid_params": None},
                "framework": None,
            },
            status_code=422,
        )
    return RedirectResponse("/validation", status_code=303)
