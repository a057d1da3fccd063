"""Training providers: the programme admins of the organisation a cohort's terms name see the
cohorts they deliver and their participants' names and progress, record attendance and
assessment scores; anyone else is refused and bad scores change nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services.actors import Role
from mobilise.services.audit import NotPermitted
from mobilise.services.cohort_delivery import record_attendance
from mobilise.services.providers import (
    delivered_cohorts,
    participants_progress,
    record_assessment,
)
from mobilise.store.database import reading
from mobilise.store.models import AssessmentScore
from tests.support.programmes import ProgrammeSetup
from tests.support.providers import run_delivered_cohort


@pytest.fixture
def running(engine: Engine) -> tuple[ProgrammeSetup, str]:
    return run_delivered_cohort(engine)


def test_the_provider_sees_its_cohorts_and_records_progress(
    engine: Engine, running: tuple[ProgrammeSetup, str]
) -> None:
    setup, key = running
    provider = setup.actor(engine, "b-admin", Role.PROGRAMME_ADMIN)
    assert [(c.key, c.funding_source) for c in delivered_cohorts(engine, provider)] == [
        ("aia-1", "apprenticeship_levy")
    ]
    record_attendance(engine, provider, "aia-1", setup.starts_on, {key})
    record_assessment(engine, provider, key, "Week 1 quiz", 7, 10, setup.starts_on)
    record_assessment(engine, provider, key, "Week 1 quiz", 8, 10, setup.starts_on)
    (row,) = participants_progress(engine, provider, "aia-1")
    assert (row.name, row.sessions_attended, row.sessions_recorded) == ("Analyst", 1, 1)
    assert (row.modules_done, row.modules) == (0, 2)
    assert [(s.name, s.score) for s in row.scores] == [("Week 1 quiz", 8)]
    assert not hasattr(row, "email")


def test_others_are_refused_and_bad_scores_change_nothing(
    engine: Engine, running: tuple[ProgrammeSetup, str]
) -> None:
    setup, key = running
    stranger = setup.actor(engine, "stranger")
    assert delivered_cohorts(engine, stranger) == []
    with pytest.raises(NotPermitted):
        participants_progress(engine, stranger, "aia-1")
    with pytest.raises(NotPermitted):
        record_attendance(engine, stranger, "aia-1", setup.starts_on, {key})
    with pytest.raises(NotPermitted):
        record_assessment(engine, stranger, key, "Quiz", 1, 2, setup.starts_on)
    provider = setup.actor(engine, "b-admin", Role.PROGRAMME_ADMIN)
    with pytest.raises(InvalidInput) as refused:
        record_assessment(engine, provider, key, " ", 11, 10, date(2999, 1, 1))
    assert {p.column for p in refused.value.problems} == {"name", "score", "assessed_on"}
    with reading(engine) as session:
        assert session.scalar(select(func.count(AssessmentScore.id))) == 0
