"""Enrolment, weekly progress with quiz scores, and completion (a learning completion that
claims the course's skills); bad input changes nothing; one's own progress only."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted
from mobilise.services.catalogue import UnknownKey
from mobilise.services.learning_progress import (
    WeekView,
    complete_course,
    enrol,
    my_courses,
    record_week,
)
from mobilise.store.database import reading
from mobilise.store.models import CourseWeek, SkillClaim
from tests.support.programmes import ProgrammeSetup, add_programme


@pytest.fixture
def setup(engine: Engine) -> ProgrammeSetup:
    return add_programme(engine)


def test_a_candidate_enrols_records_weeks_and_completes(
    engine: Engine, setup: ProgrammeSetup
) -> None:
    candidate = setup.actor(engine, "candidate")
    enrol(engine, candidate, "ai-ethics")
    enrol(engine, candidate, "ai-ethics")
    record_week(engine, candidate, "ai-ethics", 1, 30, (4, 5))
    record_week(engine, candidate, "ai-ethics", 2, 60)
    record_week(engine, candidate, "ai-ethics", 1, 40, (5, 5))
    (course,) = my_courses(engine, candidate)
    assert course.weeks == (WeekView(1, 40, 5, 5), WeekView(2, 60, None, None))
    assert course.completed_on is None
    complete_course(engine, candidate, "ai-ethics")
    complete_course(engine, candidate, "ai-ethics")
    (course,) = my_courses(engine, candidate)
    assert course.completed_on is not None
    with reading(engine) as session:
        assert (
            session.scalar(
                select(func.count(SkillClaim.id)).where(
                    SkillClaim.person_id == candidate.person_id, SkillClaim.source == "learning"
                )
            )
            == 1
        )
    with pytest.raises(InvalidInput, match="completed already"):
        record_week(engine, candidate, "ai-ethics", 3, 100)
    assert my_courses(engine, setup.actor(engine, "analyst")) == []


def test_bad_progress_is_named_and_changes_nothing(engine: Engine, setup: ProgrammeSetup) -> None:
    candidate = setup.actor(engine, "candidate")
    with pytest.raises(UnknownKey):
        record_week(engine, candidate, "ai-ethics", 1, 10)
    with pytest.raises(UnknownKey):
        enrol(engine, candidate, "no-such-course")
    enrol(engine, candidate, "ai-ethics")
    with pytest.raises(InvalidInput) as refused:
        record_week(engine, candidate, "ai-ethics", 0, 101, (6, 5))
    assert {p.column for p in refused.value.problems} == {"week", "percent_done", "quiz"}
    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(CourseWeek)) == 0
    with pytest.raises(NotPermitted):
        enrol(engine, Actor(999, "service"), "ai-ethics")
