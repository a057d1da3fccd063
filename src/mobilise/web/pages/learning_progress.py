"""Your courses (/me/courses): enrol, record each week's progress and quiz score, complete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.problems import InvalidInput
from mobilise.services.catalogue import UnknownKey
from mobilise.services.learning_progress import complete_course, enrol, my_courses, record_week
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

MESSAGES = {
    "course": "Enter the key of a course in the learning catalogue, like ai-ethics",
    "week": "Enter a week from 1 to 104",
    "percent_done": "Enter how much is done, from 0 to 100",
    "quiz": "Enter a quiz score from 0 to the most points, or leave both empty",
}


def _page(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "candidates/courses.html",
        {
            "title": "Your courses",
            "courses": my_courses(engine, actor),
            "errors": errors or {},
            "has_errors": bool(errors),
        },
        status_code=status_code,
    )


@router.get("/me/courses", response_class=HTMLResponse)
def courses(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    return _page(request, engine, actor)


@router.post("/me/courses", response_class=HTMLResponse)
def enrol_on(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    course: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        enrol(engine, actor, course.strip())
    except UnknownKey:
        return _page(request, engine, actor, {"course": MESSAGES["course"]}, 422)
    return RedirectResponse("/me/courses", status_code=303)


def _number(text: str) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        return -1.0  # refused below as out of range, like any other bad number


@router.post("/me/courses/{course}/weeks", response_class=HTMLResponse)
def week_progress(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    course: str,
    week: Annotated[str, Form(max_length=10)] = "",
    percent_done: Annotated[str, Form(max_length=10)] = "",
    quiz_score: Annotated[str, Form(max_length=20)] = "",
    quiz_max: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    score, most = _number(quiz_score), _number(quiz_max)
    quiz = None if score is None and most is None else (score or -1.0, most or 0.0)
    week_number, percent = _number(week), _number(percent_done)
    try:
        record_week(
            engine,
            actor,
            course[:200],
            int(week_number if week_number is not None else 0),
            int(percent if percent is not None else -1),
            quiz,
        )
    except InvalidInput as error:
        # Each course has its own form: a field's id names its course.
        fields = {"week": "week", "percent_done": "percent_done", "quiz": "quiz_score"}
        errors = {
            f"{fields[str(p.column)]}-{course[:200]}": MESSAGES[str(p.column)]
            for p in error.problems
            if p.column in fields
        }
        return _page(request, engine, actor, errors, 422)
    return RedirectResponse("/me/courses", status_code=303)


@router.post("/me/courses/{course}/completion", response_class=HTMLResponse)
def completion(engine: EngineDep, actor: SignedInActor, course: str) -> Response:
    complete_course(engine, actor, course[:200])
    return RedirectResponse("/me/courses", status_code=303)
