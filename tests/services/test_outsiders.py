"""Outsiders apply to a cohort only once its admins open it to them; with no manager their
application goes straight to the panel; hired, they join the programme's department with
their history kept. Cohort terms name a provider and a funding source, validated."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, select

from mobilise.core.problems import InvalidInput
from mobilise.core.programmes import ApplicationState, CohortAction
from mobilise.services.actors import Role
from mobilise.services.application_views import get_application
from mobilise.services.applications import act, apply, eligibility_for
from mobilise.services.audit import NotPermitted
from mobilise.services.candidates import hire_applicant
from mobilise.services.catalogue import UnknownKey
from mobilise.services.cohort_selection import run_selection
from mobilise.services.cohort_terms import CLOSED_TO_OUTSIDERS, cohort_terms, set_cohort_terms
from mobilise.services.programmes import (
    CohortSpec,
    add_panel_member,
    change_cohort,
    open_cohort,
)
from mobilise.services.selection_panel import score_application
from mobilise.store.database import reading
from mobilise.store.models import Application, Person, Position
from tests.support.programmes import ProgrammeSetup, add_programme

COHORT = "open-1"


@pytest.fixture
def setup(engine: Engine) -> ProgrammeSetup:
    setup = add_programme(engine)
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    starts = date.today() + timedelta(days=30)
    open_cohort(
        engine,
        admin,
        "ai-accelerator",
        CohortSpec(
            key=COHORT,
            name="Apprentices",
            starts_on=starts,
            ends_on=starts + timedelta(weeks=52),
            capacity=1,
        ),
    )
    return setup


def test_a_cohort_is_closed_to_outsiders_until_its_admins_open_it(
    engine: Engine, setup: ProgrammeSetup
) -> None:
    candidate = setup.actor(engine, "candidate")
    assert eligibility_for(engine, candidate, COHORT) == [CLOSED_TO_OUTSIDERS]
    assert eligibility_for(engine, setup.actor(engine, "stranger"), COHORT) == []
    with pytest.raises(InvalidInput) as refused:
        apply(engine, candidate, COHORT, "I want to start.", [], consent=False)
    assert [p.rule for p in refused.value.problems] == [f"not met: {CLOSED_TO_OUTSIDERS}"]

    with pytest.raises(NotPermitted):
        set_cohort_terms(
            engine,
            setup.actor(engine, "analyst"),
            COHORT,
            open_to_outsiders=True,
            provider_key=None,
            funding_source=None,
        )
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    with pytest.raises(InvalidInput) as bad:
        set_cohort_terms(
            engine,
            admin,
            COHORT,
            open_to_outsiders=True,
            provider_key="no-such-org",
            funding_source="lottery",
        )
    assert {(p.column, p.value) for p in bad.value.problems} == {
        ("provider", "no-such-org"),
        ("funding_source", "lottery"),
    }
    assert cohort_terms(engine, COHORT).open_to_outsiders is False

    terms = set_cohort_terms(
        engine,
        admin,
        COHORT,
        open_to_outsiders=True,
        provider_key="agency-b",
        funding_source="apprenticeship_levy",
    )
    assert (terms.provider_name, terms.funding_source) == ("Agency B", "apprenticeship_levy")
    key = apply(engine, candidate, COHORT, "I want to start.", [], consent=False)
    assert get_application(engine, candidate, key).summary.state is ApplicationState.RELEASED


def test_a_hired_outsider_joins_the_department_with_their_history(
    engine: Engine, setup: ProgrammeSetup
) -> None:
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    set_cohort_terms(
        engine, admin, COHORT, open_to_outsiders=True, provider_key=None, funding_source=None
    )
    candidate = setup.actor(engine, "candidate")
    key = apply(engine, candidate, COHORT, "Please.", [], consent=False)
    with pytest.raises(InvalidInput, match="only an accepted or completed place"):
        hire_applicant(engine, admin, key)
    change_cohort(engine, admin, COHORT, CohortAction.CLOSE)
    add_panel_member(engine, admin, COHORT, "judge")
    score_application(engine, setup.actor(engine, "judge"), key, {"motivation": 3, "experience": 3})
    run_selection(engine, admin, COHORT)
    act(engine, candidate, key, "accept")

    with pytest.raises(UnknownKey):
        hire_applicant(engine, setup.actor(engine, "stranger"), key)
    assert hire_applicant(engine, admin, key) == "dept-a"
    with reading(engine) as session:
        person = session.scalars(select(Person).where(Person.key == "candidate")).one()
        assert person.organisation_id == setup.workforce.org_a
        assert (
            session.scalar(
                select(Position.organisation_id).where(
                    Position.person_id == person.id, Position.ended_on.is_(None)
                )
            )
            == setup.workforce.org_a
        )
        assert session.scalar(select(Application.state).where(Application.key == key)) == "accepted"
    with pytest.raises(InvalidInput, match="member of an organisation already"):
        hire_applicant(engine, admin, key)
