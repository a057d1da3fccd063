"""Learning progress beyond completion: a person enrols on a course of the catalogue, records
each week's progress (how much is done, the week's quiz score), and completes it. Completing
records a learning completion (services/learning_completions.py), which claims the skills the
course teaches; an enrolment is complete once such a completion exists. Everything here is the
person's own: nobody records progress for someone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.learning_completions import record_completion
from mobilise.store.database import reading, transaction
from mobilise.store.models import CourseEnrolment, CourseWeek, LearningCompletion, LearningItem

MAX_WEEK = 104


@dataclass(frozen=True)
class WeekView:
    week: int
    percent_done: int
    quiz_score: float | None
    quiz_max: float | None


@dataclass(frozen=True)
class EnrolmentView:
    item_key: str
    title: str
    enrolled_at: datetime
    completed_on: date | None
    weeks: tuple[WeekView, ...]


def _person(actor: Actor) -> int:
    if actor.person_id is None:
        raise NotPermitted("only a person may enrol on a course")
    return actor.person_id


def enrol(engine: Engine, actor: Actor, item_key: str) -> None:
    """Enrol the actor on a course (enrolling again changes nothing)."""
    person_id = _person(actor)
    with transaction(engine) as session:
        item_id = session.scalar(select(LearningItem.id).where(LearningItem.key == item_key))
        if item_id is None:
            raise UnknownKey("learning item", item_key)
        present = session.scalar(
            select(CourseEnrolment.id).where(
                CourseEnrolment.person_id == person_id, CourseEnrolment.item_id == item_id
            )
        )
        if present is not None:
            return
        session.add(
            CourseEnrolment(person_id=person_id, item_id=item_id, enrolled_at=datetime.now(UTC))
        )
        record_event(
            session,
            actor,
            "course.enrolled",
            entity_type="learning_item",
            entity_key=item_key,
            organisation_id=actor.organisation_id,
        )


def _completed_on(session: Session, person_id: int, item_id: int) -> date | None:
    completed: date | None = session.scalar(
        select(func.max(LearningCompletion.completed_on)).where(
            LearningCompletion.person_id == person_id, LearningCompletion.item_id == item_id
        )
    )
    return completed


def _enrolment(session: Session, person_id: int, item_key: str) -> CourseEnrolment:
    found = session.scalar(
        select(CourseEnrolment)
        .join(LearningItem, LearningItem.id == CourseEnrolment.item_id)
        .where(CourseEnrolment.person_id == person_id, LearningItem.key == item_key)
    )
    if found is None:
        raise UnknownKey("enrolment on", item_key)
    return found


def record_week(
    engine: Engine,
    actor: Actor,
    item_key: str,
    week: int,
    percent_done: int,
    quiz: tuple[float, float] | None = None,
) -> None:
    """Record (or replace) a week's progress on one's own enrolment: percent done, and the
    week's quiz as (score, most points) if there was one. Bad input changes nothing."""
    person_id = _person(actor)
    source = f"progress on {item_key}"
    problems: list[Problem] = []
    if not 1 <= week <= MAX_WEEK:
        problems.append(Problem(source, None, "week", str(week), f"must be 1 to {MAX_WEEK}"))
    if not 0 <= percent_done <= 100:
        problems.append(
            Problem(source, None, "percent_done", str(percent_done), "must be 0 to 100")
        )
    if quiz is not None and not (quiz[1] > 0 and 0 <= quiz[0] <= quiz[1]):
        problems.append(
            Problem(source, None, "quiz", f"{quiz[0]:g}/{quiz[1]:g}", "score must be 0 to most")
        )
    with transaction(engine) as session:
        enrolment = _enrolment(session, person_id, item_key)
        if _completed_on(session, person_id, enrolment.item_id) is not None:
            problems.append(Problem(source, None, "course", item_key, "is completed already"))
        if problems:
            raise InvalidInput(problems)
        row = session.get(CourseWeek, (enrolment.id, week))
        if row is None:
            row = CourseWeek(enrolment_id=enrolment.id, week=week)
            session.add(row)
        row.percent_done = percent_done
        row.quiz_score, row.quiz_max = quiz if quiz is not None else (None, None)
        row.recorded_at = datetime.now(UTC)


def complete_course(engine: Engine, actor: Actor, item_key: str) -> None:
    """Complete one's own enrolment: a learning completion today (skills claimed), in one
    transaction (services/learning_completions.py); not enrolled is UnknownKey."""
    person_id = _person(actor)
    with reading(engine) as session:
        enrolment = _enrolment(session, person_id, item_key)
        if _completed_on(session, person_id, enrolment.item_id) is not None:
            return
    record_completion(engine, actor, actor.person_key or "", item_key)


def my_courses(engine: Engine, actor: Actor) -> list[EnrolmentView]:
    """The actor's enrolments with their weeks, newest first."""
    person_id = _person(actor)
    with reading(engine) as session:
        rows = session.execute(
            select(CourseEnrolment, LearningItem.key, LearningItem.title)
            .join(LearningItem, LearningItem.id == CourseEnrolment.item_id)
            .where(CourseEnrolment.person_id == person_id)
            .order_by(CourseEnrolment.enrolled_at.desc(), CourseEnrolment.id.desc())
        ).all()
        weeks: dict[int, list[WeekView]] = {}
        for week in session.scalars(
            select(CourseWeek)
            .where(CourseWeek.enrolment_id.in_([e.id for e, _, _ in rows]))
            .order_by(CourseWeek.week)
        ):
            weeks.setdefault(week.enrolment_id, []).append(
                WeekView(week.week, week.percent_done, week.quiz_score, week.quiz_max)
            )
        return [
            EnrolmentView(
                key,
                title,
                e.enrolled_at,
                _completed_on(session, person_id, e.item_id),
                tuple(weeks.get(e.id, ())),
            )
            for e, key, title in rows
        ]
