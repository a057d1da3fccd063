"""Interest in a programme, a job family or a course: registered, withdrawn, and told once per
person through the outbox when a matching cohort opens (and only then)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services.actors import Actor, Role
from mobilise.services.audit import NotPermitted
from mobilise.services.interest import (
    InterestNotFound,
    my_interests,
    register_interest,
    withdraw_interest,
)
from mobilise.services.outbox import messages_for
from mobilise.services.programmes import CohortSpec, CurriculumEntry, open_cohort
from mobilise.store.database import reading
from mobilise.store.models import Interest
from tests.support.programmes import ProgrammeSetup, add_programme


@pytest.fixture
def setup(engine: Engine) -> ProgrammeSetup:
    return add_programme(engine)


def _open(engine: Engine, setup: ProgrammeSetup, key: str, **spec: object) -> None:
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    starts = date.today() + timedelta(weeks=6)
    open_cohort(
        engine,
        admin,
        "ai-accelerator",
        CohortSpec(
            key=key,
            name=f"Cohort {key}",
            starts_on=starts,
            ends_on=starts + timedelta(weeks=10),
            capacity=5,
            applications_close_on=starts - timedelta(weeks=2),
            **spec,  # type: ignore[arg-type]
        ),
    )


def _opened(engine: Engine, setup: ProgrammeSetup, person: str) -> list[str]:
    messages, _ = messages_for(engine, setup.actor(engine, person))
    return [m.link for m in messages if m.kind == "interest.cohort_opened"]


def test_each_matching_person_is_told_once_when_a_cohort_opens(
    engine: Engine, setup: ProgrammeSetup
) -> None:
    register_interest(engine, setup.actor(engine, "candidate"), "programme", "ai-accelerator")
    register_interest(engine, setup.actor(engine, "analyst"), "role_family", "data")
    register_interest(engine, setup.actor(engine, "stranger"), "course", "ai-ethics")
    lead = setup.actor(engine, "lead")
    register_interest(engine, lead, "programme", "ai-accelerator")
    register_interest(engine, lead, "course", "ml-foundations")
    outsider = setup.actor(engine, "outsider")
    withdrawn = register_interest(engine, outsider, "programme", "ai-accelerator")
    withdraw_interest(engine, outsider, withdrawn)

    _open(
        engine,
        setup,
        "aia-2",
        eligibility={"families": ["data"]},
        curriculum=[CurriculumEntry("ai-ethics"), CurriculumEntry("ml-foundations")],
    )

    for person in ("candidate", "analyst", "stranger", "lead"):
        assert _opened(engine, setup, person) == ["/cohorts/aia-2"], person
    assert _opened(engine, setup, "outsider") == []
    assert _opened(engine, setup, "boss") == []
    told = my_interests(engine, setup.actor(engine, "candidate"))
    assert [(i.target_name, i.notified_at is not None) for i in told] == [("AI Accelerator", True)]


def test_a_cohort_that_does_not_name_the_family_or_course_tells_only_programme_followers(
    engine: Engine, setup: ProgrammeSetup
) -> None:
    register_interest(engine, setup.actor(engine, "analyst"), "role_family", "data")
    register_interest(engine, setup.actor(engine, "stranger"), "course", "ai-ethics")
    register_interest(engine, setup.actor(engine, "candidate"), "programme", "ai-accelerator")
    _open(engine, setup, "aia-open")
    assert _opened(engine, setup, "analyst") == []
    assert _opened(engine, setup, "stranger") == []
    assert _opened(engine, setup, "candidate") == ["/cohorts/aia-open"]


def test_bad_targets_are_refused_registering_twice_is_one_interest_and_withdrawal_is_own(
    engine: Engine, setup: ProgrammeSetup
) -> None:
    candidate = setup.actor(engine, "candidate")
    with pytest.raises(InvalidInput) as refused:
        register_interest(engine, candidate, "programme", "no-such-programme")
    assert [(p.column, p.value) for p in refused.value.problems] == [
        ("target", "no-such-programme")
    ]
    with pytest.raises(InvalidInput):
        register_interest(engine, candidate, "hobby", "ai-accelerator")
    first = register_interest(engine, candidate, "course", "ai-ethics")
    assert register_interest(engine, candidate, "course", "ai-ethics") == first
    with pytest.raises(InterestNotFound):
        withdraw_interest(engine, setup.actor(engine, "analyst"), first)
    withdraw_interest(engine, candidate, first)
    assert my_interests(engine, candidate) == []
    assert register_interest(engine, candidate, "course", "ai-ethics") == first
    with reading(engine) as session:
        assert session.scalar(select(func.count(Interest.id))) == 1


def test_an_account_without_a_person_may_not_register_interest(
    engine: Engine, setup: ProgrammeSetup
) -> None:
    with pytest.raises(NotPermitted):
        register_interest(engine, Actor(999, "service"), "programme", "ai-accelerator")
