"""The guidance hub: the shipped items, admins adding and superseding items (validated, audited,
one transaction), what applies to a project, and its team told through the outbox."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.core.register.registration import ProjectDetails
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Actor, Role
from mobilise.services.audit import NotPermitted
from mobilise.services.guidance import (
    GuidanceSpec,
    create_guidance,
    get_guidance,
    guidance_for_project,
    guidance_licence,
    list_guidance,
    seed_guidance,
    update_guidance,
)
from mobilise.services.outbox import messages_for
from mobilise.services.register_editing import register_project, update_details
from mobilise.store.database import reading
from mobilise.store.models import AuditEvent, GuidanceItem, OutboxMessage
from tests.support.workforce import Workforce, add_workforce

SPEC = GuidanceSpec(
    key="chatbot-testing",
    title="Testing chatbots before launch",
    publisher="Example Department",
    url="https://www.gov.uk/guidance/testing-chatbots",
    summary="How to test a chatbot with real users before it answers the public.",
    published_on=date(2026, 1, 5),
    topics=("testing", "chatbots"),
    phases=("pre-deployment", "beta-pilot"),
    kinds=("project",),
)


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


@pytest.fixture
def admin(engine: Engine, workforce: Workforce) -> Actor:
    return development_sign_in(engine, "b-admin", [Role.SERVICE_ADMIN])


def a_project(engine: Engine, actor: Actor, title: str, phase: str, kind: str = "project") -> str:
    return register_project(
        engine,
        actor,
        ProjectDetails(
            title=title,
            kind=kind,
            phase=phase,
            description=f"{title}: a tool the team is building.",
            users="Residents",
            team="Digital",
            skills=(),
            links=(),
        ),
    )


def outbox_count(engine: Engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count(OutboxMessage.id))) or 0


def test_the_shipped_guidance_loads_once_with_its_chain_and_licence(engine: Engine) -> None:
    assert seed_guidance(engine) == 8
    assert seed_guidance(engine) == 0

    framework = get_guidance(engine, "generative-ai-framework-for-hmg")
    assert not framework.current
    assert framework.superseded_by is not None
    assert framework.superseded_by.key == "ai-playbook-for-the-uk-government"
    playbook = get_guidance(engine, "ai-playbook-for-the-uk-government")
    assert [r.key for r in playbook.replaces] == ["generative-ai-framework-for-hmg"]
    keys = [v.key for v in list_guidance(engine)]
    assert keys[-1] == "generative-ai-framework-for-hmg"  # superseded items come last
    assert all(v.url.startswith("https://") for v in list_guidance(engine))
    assert "Open Government Licence" in guidance_licence()
    assert outbox_count(engine) == 0  # the starting library is not news


def test_a_project_sees_the_current_guidance_for_its_phase_and_kind(engine: Engine) -> None:
    seed_guidance(engine)
    production = {v.key for v in guidance_for_project(engine, "production", "project")}
    assert "explaining-decisions-made-with-ai" in production
    assert "guidelines-for-ai-procurement" not in production
    assert "generative-ai-framework-for-hmg" not in production  # replaced
    challenge = {v.key for v in guidance_for_project(engine, "pre-deployment", "challenge")}
    assert "guidelines-for-ai-procurement" in challenge
    assert "algorithmic-transparency-recording-standard" not in challenge
    unstated = {v.key for v in guidance_for_project(engine, None, "project")}
    assert production | {"guidelines-for-ai-procurement"} <= unstated


def test_new_guidance_tells_the_teams_of_projects_it_applies_to(
    engine: Engine, workforce: Workforce, admin: Actor
) -> None:
    lead = development_sign_in(engine, "lead", [])
    stranger = development_sign_in(engine, "stranger", [])
    a_project(engine, lead, "Parking chatbot", "idea")
    a_project(engine, stranger, "Benefits model", "production")

    told = create_guidance(engine, admin, SPEC)

    assert told == 1
    messages, total = messages_for(engine, lead)
    assert total == 1
    assert "Testing chatbots before launch" in messages[0].subject
    assert messages[0].link == "/guidance/chatbot-testing"
    assert messages_for(engine, stranger)[1] == 0  # production is out of the item's scope
    with reading(engine) as session:
        published = session.scalars(
            select(AuditEvent.entity_key).where(AuditEvent.action == "guidance.published")
        ).all()
    assert published == ["chatbot-testing"]


def test_superseding_guidance_names_what_it_replaces(
    engine: Engine, workforce: Workforce, admin: Actor
) -> None:
    lead = development_sign_in(engine, "lead", [])
    a_project(engine, lead, "Parking chatbot", "beta-pilot")
    create_guidance(engine, admin, SPEC)
    newer = replace(SPEC, key="chatbot-testing-2", title="Testing chatbots", supersedes=SPEC.key)

    assert create_guidance(engine, admin, newer) == 1

    messages, _ = messages_for(engine, lead)
    assert "replaces Testing chatbots before launch" in messages[0].body
    older = get_guidance(engine, SPEC.key)
    assert older.superseded_by is not None
    assert older.superseded_by.key == "chatbot-testing-2"
    assert [v.key for v in guidance_for_project(engine, "beta-pilot", "project")] == [
        "chatbot-testing-2"
    ]
    # Pointing the older back at the newer would make a loop: refused, nothing changed.
    with pytest.raises(InvalidInput, match="already replaced"):
        update_guidance(engine, admin, replace(SPEC, supersedes="chatbot-testing-2"))
    assert get_guidance(engine, "chatbot-testing-2").superseded_by is None


def test_bad_guidance_is_refused_naming_each_field_and_nothing_is_stored(
    engine: Engine, admin: Actor
) -> None:
    bad = replace(
        SPEC,
        key="Bad Key",
        url="javascript:alert(1)",
        phases=("someday",),
        kinds=(),
        published_on=date(2999, 1, 1),
        title=" ",
    )
    with pytest.raises(InvalidInput) as refused:
        create_guidance(engine, admin, bad)
    columns = {p.column for p in refused.value.problems}
    assert columns == {"key", "url", "phases", "kinds", "published_on", "title"}
    assert "someday" in str(refused.value)
    with pytest.raises(InvalidInput, match="names no guidance item"):
        create_guidance(engine, admin, replace(SPEC, supersedes="no-such-item"))
    with reading(engine) as session:
        assert session.scalar(select(func.count(GuidanceItem.id))) == 0
    assert outbox_count(engine) == 0


def test_only_service_admins_publish_guidance(engine: Engine, workforce: Workforce) -> None:
    lead = development_sign_in(engine, "lead", [Role.ORGANISATION_ADMIN])
    with pytest.raises(NotPermitted):
        create_guidance(engine, lead, SPEC)
    create_guidance(engine, None, SPEC)  # the command line
    assert get_guidance(engine, SPEC.key).title == SPEC.title


def test_a_team_is_its_organisations_writers_not_an_operator_from_elsewhere(
    engine: Engine, workforce: Workforce, admin: Actor
) -> None:
    lead = development_sign_in(engine, "lead", [])
    key = a_project(engine, lead, "Parking chatbot", "idea")
    details = ProjectDetails(
        title="Parking chatbot",
        kind="project",
        phase="idea",
        description="Changed by an operator of another organisation.",
        users="Residents",
        team="Digital",
        skills=(),
        links=(),
    )
    update_details(engine, admin, key, details)  # b-admin is in Agency B

    assert create_guidance(engine, admin, replace(SPEC, kinds=("project", "challenge"))) == 1
    assert messages_for(engine, admin)[1] == 0
    assert messages_for(engine, lead)[1] == 1
