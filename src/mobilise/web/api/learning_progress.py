"""`/api/v1/me/courses`: enrol on a course, record each week's progress, complete it."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field

from mobilise.services.learning_progress import (
    MAX_WEEK,
    EnrolmentView,
    complete_course,
    enrol,
    my_courses,
    record_week,
)
from mobilise.web.access import SignedInActor
from mobilise.web.api.people import SIGN_IN
from mobilise.web.api.programmes import ERRORS
from mobilise.web.dependencies import EngineDep

router = APIRouter(prefix="/api/v1", tags=["learning"])


class EnrolIn(BaseModel):
    course: str = Field(min_length=1, max_length=200, description="A learning item's key.")


class WeekIn(BaseModel):
    percent_done: int = Field(ge=0, le=100)
    quiz_score: float | None = Field(default=None, ge=0)
    quiz_max: float | None = Field(default=None, gt=0)


class WeekOut(BaseModel):
    week: int
    percent_done: int
    quiz_score: float | None
    quiz_max: float | None


class CourseOut(BaseModel):
    course: str
    title: str
    enrolled_at: datetime
    completed_on: date | None
    weeks: list[WeekOut]


def _out(view: EnrolmentView) -> CourseOut:
    return CourseOut(
        course=view.item_key,
        title=view.title,
        enrolled_at=view.enrolled_at,
        completed_on=view.completed_on,
        weeks=[WeekOut(**week.__dict__) for week in view.weeks],
    )


@router.get(
    "/me/courses",
    response_model=list[CourseOut],
    summary="Your course enrolments with their weekly progress",
    responses=SIGN_IN,
)
def courses(engine: EngineDep, actor: SignedInActor) -> list[CourseOut]:
    return [_out(view) for view in my_courses(engine, actor)]


@router.post("/me/courses", status_code=204, summary="Enrol on a course", responses=ERRORS)
def enrol_on(engine: EngineDep, actor: SignedInActor, body: EnrolIn) -> Response:
    enrol(engine, actor, body.course)
    return Response(status_code=204)


@router.put(
    "/me/courses/{course}/weeks/{week}",
    status_code=204,
    summary="Record (or replace) a week's progress and quiz score",
    responses=ERRORS,
)
def week_progress(
    engine: EngineDep,
    actor: SignedInActor,
    course: str,
    week: int = Path(ge=1, le=MAX_WEEK),
    body: WeekIn | None = None,
) -> Response:
    given = body or WeekIn(percent_done=0)
    quiz = None
    if given.quiz_score is not None or given.quiz_max is not None:
        quiz = (given.quiz_score or 0.0, given.quiz_max or 0.0)
    record_week(engine, actor, course, week, given.percent_done, quiz)
    return Response(status_code=204)


@router.post(
    "/me/courses/{course}/completion",
    status_code=204,
    summary="Complete the course: a learning completion that claims its skills",
    responses=ERRORS,
)
def completion(engine: EngineDep, actor: SignedInActor, course: str) -> Response:
    complete_course(engine, actor, course)
    return Response(status_code=204)
