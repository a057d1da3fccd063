"""Register projects offered to a programme cohort: by its programme admins, published only,
audited, shown from both sides."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from mobilise.core.problems import InvalidInput
from mobilise.core.programmes import CohortState
from mobilise.services.actors import Role
from mobilise.services.audit import NotPermitted
from mobilise.services.catalogue import UnknownKey
from mobilise.services.cohort_projects import (
    cohorts_offered,
    cohorts_to_offer_to,
    offer_project,
    projects_offered_to,
    withdraw_project_offer,
)
from mobilise.services.programmes import CohortNotFound
from mobilise.store.database import reading
from mobilise.store.models import AuditEvent
from tests.support.programmes import ProgrammeSetup, add_programme
from tests.support.register_projects import add_project


@pytest.fixture
def setup(engine: Engine) -> ProgrammeSetup:
    found = add_programme(engine)
    org_a, org_b = found.workforce.org_a, found.workforce.org_b
    add_project(engine, "b-chatbot", org_b, "Benefits chatbot", "Answers benefit questions.")
    add_project(engine, "a-triage", org_a, "Correspondence triage", "Routes letters.")
    add_project(engine, "a-draft", org_a, "Draft summariser", "Summarises.", status="draft")
    return found


def test_a_programme_admin_offers_projects_that_participants_then_see(
    engine: Engine, setup: ProgrammeSetup
) -> None:
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    offer_project(engine, admin, "aia-1", "b-chatbot")
    offer_project(engine, admin, "aia-1", "a-triage")
    offer_project(engine, admin, "aia-1", "a-triage")  # again: nothing changes
    offered = projects_offered_to(engine, "aia-1")
    assert [p.key for p in offered] == ["b-chatbot", "a-triage"]  # by title
    assert offered[0].organisation_name == "Agency B"
    (cohort,) = cohorts_offered(engine, "b-chatbot")
    assert (cohort.key, cohort.programme_name, cohort.state) == (
        "aia-1",
        "AI Accelerator",
        CohortState.OPEN,
    )
    withdraw_project_offer(engine, admin, "aia-1", "b-chatbot")
    withdraw_project_offer(engine, admin, "aia-1", "b-chatbot")  # again: nothing changes
    assert [p.key for p in projects_offered_to(engine, "aia-1")] == ["a-triage"]
    assert cohorts_offered(engine, "b-chatbot") == []
    with reading(engine) as session:
        events = session.execute(
            select(AuditEvent.action, AuditEvent.entity_key, AuditEvent.after, AuditEvent.before)
            .where(AuditEvent.action.startswith("cohort.project_"))
            .order_by(AuditEvent.id)
        ).all()
    assert [tuple(e) for e in events] == [
        ("cohort.project_offered", "aia-1", {"project": "b-chatbot"}, None),
        ("cohort.project_offered", "aia-1", {"project": "a-triage"}, None),
        ("cohort.project_withdrawn", "aia-1", None, {"project": "b-chatbot"}),
    ]


def test_only_the_programme_admins_of_its_organisation_may_offer(
    engine: Engine, setup: ProgrammeSetup
) -> None:
    for actor in (
        setup.actor(engine, "stranger", Role.PROGRAMME_ADMIN),  # of agency B
        setup.actor(engine, "analyst"),
    ):
        with pytest.raises(NotPermitted):
            offer_project(engine, actor, "aia-1", "b-chatbot")
        with pytest.raises(NotPermitted):
            withdraw_project_offer(engine, actor, "aia-1", "b-chatbot")
    assert projects_offered_to(engine, "aia-1") == []


def test_a_draft_cannot_be_offered_and_unknown_keys_are_named(
    engine: Engine, setup: ProgrammeSetup
) -> None:
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    with pytest.raises(InvalidInput) as refused:
        offer_project(engine, admin, "aia-1", "a-draft")
    problem = refused.value.problems[0]
    assert (problem.column, problem.value) == ("project", "a-draft")
    assert "published" in problem.rule
    with pytest.raises(UnknownKey):
        offer_project(engine, admin, "aia-1", "no-such-project")
    with pytest.raises(CohortNotFound):
        offer_project(engine, admin, "no-such-cohort", "b-chatbot")
    with pytest.raises(UnknownKey):
        cohorts_offered(engine, "a-draft")


def test_the_cohorts_an_admin_may_offer_to(engine: Engine, setup: ProgrammeSetup) -> None:
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    assert [c.key for c in cohorts_to_offer_to(engine, admin)] == ["aia-1"]
    assert cohorts_to_offer_to(engine, setup.actor(engine, "stranger", Role.PROGRAMME_ADMIN)) == []
