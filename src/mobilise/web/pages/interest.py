"""Your interests (/me/interests): ask to be told when a programme, job family or course opens,
see what you asked for and when you were last told, and stop."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.problems import InvalidInput
from mobilise.services.interest import (
    KIND_LABELS,
    interest_choices,
    my_interests,
    register_interest,
    withdraw_interest,
)
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

MESSAGES = {
    "programme": "Choose a programme",
    "role_family": "Choose a job family",
    "course": "Enter the key of a course in the learning catalogue, like ai-ethics",
}


def _page(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    *,
    errors: dict[str, str] | None = None,
    course: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    programmes, families = interest_choices(engine)
    return render(
        request,
        "candidates/interests.html",
        {
            "title": "Tell me when applications open",
            "interests": my_interests(engine, actor),
            "kind_labels": KIND_LABELS,
            "programmes": programmes,
            "families": families,
            "errors": errors or {},
            "has_errors": bool(errors),
            "course": course,
        },
        status_code=status_code,
    )


@router.get("/me/interests", response_class=HTMLResponse)
def interests(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    return _page(request, engine, actor)


@router.post("/me/interests", response_class=HTMLResponse)
def add_interest(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    kind: Annotated[str, Form(max_length=20)] = "",
    target: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        register_interest(engine, actor, kind, target)
    except InvalidInput:
        field = kind if kind in MESSAGES else "programme"
        return _page(
            request,
            engine,
            actor,
            errors={field: MESSAGES[field]},
            course=target if kind == "course" else "",
            status_code=422,
        )
    return RedirectResponse("/me/interests", status_code=303)


@router.post("/me/interests/{interest_id}/withdraw", response_class=HTMLResponse)
def withdraw(engine: EngineDep, actor: SignedInActor, interest_id: int) -> Response:
    withdraw_interest(engine, actor, interest_id)
    return RedirectResponse("/me/interests", status_code=303)
