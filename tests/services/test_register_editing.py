"""Registering a project, writing its ATRS record a section at a time, and publishing it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.core.register.registration import Link, NeededSkill, ProjectDetails
from mobilise.services import register_editing
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted
from mobilise.services.catalogue import UnknownKey
from mobilise.services.register_drafts import organisation_projects, team_project, visible_project
from mobilise.services.register_editing import (
    publish_project,
    register_project,
    save_section,
    update_details,
)
from mobilise.services.register_search import RegisterFilters, search_register
from mobilise.store.database import reading
from mobilise.store.models import AIProject, AIProjectFacet, AuditEvent, SkillRecord
from tests.support.atrs_answers import complete_answers
from tests.support.workforce import Workforce, add_workforce

TODAY = date(2026, 11, 23)


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


@pytest.fixture
def lead(engine: Engine, workforce: Workforce) -> Actor:
    return development_sign_in(engine, "lead", [])


def a_skill(engine: Engine) -> str:
    with reading(engine) as session:
        return session.scalars(select(SkillRecord.key).order_by(SkillRecord.id).limit(1)).one()


def details(engine: Engine, **changes: object) -> ProjectDetails:
    values: dict[str, object] = {
        "title": "Parking permit chatbot",
        "kind": "project",
        "phase": "idea",
        "description": "A chatbot answers residents' parking permit questions. It hands over.",
        "users": "Residents and the parking team",
        "team": "Digital parking",
        "skills": (NeededSkill(a_skill(engine), "practitioner"),),
        "links": (Link("Repository", "https://github.com/example/parking"),),
    }
    return ProjectDetails(**(values | changes))  # type: ignore[arg-type]


def audit_actions(engine: Engine, key: str) -> list[str]:
    with reading(engine) as session:
        return list(
            session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.entity_key == key)
                .order_by(AuditEvent.id)
            )
        )


def test_a_member_registers_a_draft_of_their_organisation(
    engine: Engine, lead: Actor, workforce: Workforce
) -> None:
    key = register_project(engine, lead, details(engine))

    assert key == "dept-a-parking-permit-chatbot"
    project = team_project(engine, lead, key)
    assert project.view.status == "draft"
    assert project.view.organisation_name == "Department A"
    assert project.view.phase == "pre-deployment"  # an idea, in the finder's phases
    assert project.view.summary == "A chatbot answers residents' parking permit questions."
    assert project.view.record["organisation_or_department"] == "Department A"
    assert [s.level for s in project.skills] == ["practitioner"]
    assert project.details.links == (Link("Repository", "https://github.com/example/parking"),)
    statuses = {s.section.slug: s.status.value for s in project.sections}
    assert statuses["summary"] == "in progress"
    assert statuses["risks-mitigations-and-impact-assessments"] == "not started"
    assert audit_actions(engine, key) == ["register.project_registered"]
    # The same title again gets its own key.
    assert register_project(engine, lead, details(engine)) == key + "-2"


def test_bad_details_are_refused_naming_each_field_and_nothing_is_stored(
    engine: Engine, lead: Actor
) -> None:
    bad = details(
        engine,
        title="",
        skills=(NeededSkill("no-such-skill", "expert"),),
        links=(Link("Site", "javascript:alert(1)"),),
    )
    with pytest.raises(InvalidInput) as refused:
        register_project(engine, lead, bad)

    assert [p.column for p in refused.value.problems] == ["title", "links[0].url", "skills[0]"]
    with reading(engine) as session:
        assert session.scalar(select(func.count(AIProject.id))) == 0


def test_someone_with_no_organisation_cannot_register(engine: Engine) -> None:
    with pytest.raises(NotPermitted):
        register_project(engine, Actor(account_id=7, display_name="Candidate"), details(engine))


def test_a_draft_is_seen_by_its_organisation_only(
    engine: Engine, lead: Actor, workforce: Workforce
) -> None:
    key = register_project(engine, lead, details(engine))
    stranger = development_sign_in(engine, "stranger", [])

    assert visible_project(engine, lead, key).key == key
    for reader in (stranger, None):
        with pytest.raises(UnknownKey):
            visible_project(engine, reader, key)
    with pytest.raises(UnknownKey):
        team_project(engine, stranger, key)
    with pytest.raises(UnknownKey):
        save_section(engine, stranger, key, "summary", {"name": "Mine"}, complete=False)
    assert [p.key for p in organisation_projects(engine, lead)] == [key]
    assert organisation_projects(engine, stranger) == []
    assert search_register(engine, RegisterFilters()).total == 0


def test_a_section_is_saved_even_when_it_cannot_be_marked_complete(
    engine: Engine, lead: Actor
) -> None:
    key = register_project(engine, lead, details(engine))

    refused = save_section(
        engine, lead, key, "summary", {"website_url": "https://www.gov.uk/parking"}, complete=True
    )

    assert [p.column for p in refused] == ["contact_email"]
    project = team_project(engine, lead, key)
    assert project.view.record["website_url"] == "https://www.gov.uk/parking"
    assert project.sections[1].status.value == "in progress"
    assert (
        save_section(
            engine, lead, key, "summary", {"contact_email": "parking@a.gov.uk"}, complete=True
        )
        == []
    )
    assert team_project(engine, lead, key).sections[1].status.value == "completed"


def test_bad_values_change_nothing_and_name_each_field(engine: Engine, lead: Actor) -> None:
    key = register_project(engine, lead, details(engine))
    before = team_project(engine, lead, key).view.record

    with pytest.raises(InvalidInput) as refused:
        save_section(
            engine,
            lead,
            key,
            "summary",
            {"website_url": "javascript:alert(1)", "contact_email": "nobody", "team": "x"},
            complete=False,
        )

    assert sorted(p.column or "" for p in refused.value.problems) == [
        "contact_email",
        "team",
        "website_url",
    ]
    assert team_project(engine, lead, key).view.record == before
    with pytest.raises(UnknownKey):
        save_section(engine, lead, key, "no-such-section", {}, complete=False)


def test_metadata_updates_the_columns_and_facets_the_register_searches(
    engine: Engine, lead: Actor
) -> None:
    key = register_project(engine, lead, details(engine))

    save_section(
        engine,
        lead,
        key,
        "metadata",
        {"title": "Department A: Permit bot", "phase": "public-beta", "region": ["london"]},
        complete=False,
    )

    with reading(engine) as session:
        project = session.scalars(select(AIProject).where(AIProject.key == key)).one()
        assert (project.title, project.phase) == ("Department A: Permit bot", "public-beta")
        facets = session.execute(
            select(AIProjectFacet.facet, AIProjectFacet.value).where(
                AIProjectFacet.project_id == project.id
            )
        ).all()
    assert facets == [("region", "london")]


def test_publishing_is_refused_until_every_required_field_is_answered(
    engine: Engine, lead: Actor
) -> None:
    key = register_project(engine, lead, details(engine))

    with pytest.raises(InvalidInput) as refused:
        publish_project(engine, lead, key, today=TODAY)
    missing = team_project(engine, lead, key).missing
    assert [p.column for p in refused.value.problems] == [f.field_id for f in missing]
    assert "contact_email" in [f.field_id for f in missing]
    assert "date_published" not in [f.field_id for f in missing]

    record = team_project(engine, lead, key).view.record
    for slug, answers in complete_answers(record).items():
        assert save_section(engine, lead, key, slug, answers, complete=True) == [], slug
    publish_project(engine, lead, key, today=TODAY)

    published = visible_project(engine, None, key)
    assert published.status == "published"
    assert published.published_on == TODAY
    assert published.record["date_published"] == "2026-11-23"
    assert search_register(engine, RegisterFilters(words="permit")).total == 1
    actions = audit_actions(engine, key)
    assert actions[0] == "register.project_registered"
    assert actions[-1] == "register.published"
    assert actions.count("register.section_saved") == len(complete_answers(record))
    # A published record keeps the answers the standard requires.
    with pytest.raises(InvalidInput) as cleared:
        save_section(engine, lead, key, "summary", {"contact_email": ""}, complete=False)
    assert cleared.value.problems[0].column == "contact_email"
    with pytest.raises(InvalidInput):
        publish_project(engine, lead, key, today=TODAY)


def test_details_change_and_are_audited(engine: Engine, lead: Actor) -> None:
    key = register_project(engine, lead, details(engine))

    update_details(engine, lead, key, details(engine, kind="challenge", skills=(), links=()))

    project = team_project(engine, lead, key)
    assert (project.kind, project.skills, project.view.links) == ("challenge", (), ())
    assert audit_actions(engine, key)[-1] == "register.details_changed"


def test_a_key_taken_by_a_registration_committed_meanwhile_is_not_a_crash(
    engine: Engine, lead: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two teams register one title at the same moment: the second to commit breaks the unique
    key and is registered again under the next free key."""
    chosen = register_editing.project_key
    raced: list[str] = []

    def key_taken_meanwhile(organisation_key: str, title: str, taken: set[str]) -> str:
        key = chosen(organisation_key, title, taken)
        if not raced:  # the other team's registration commits between our read and our write
            raced.append("")
            raced[0] = register_project(engine, lead, details(engine))
        return key

    monkeypatch.setattr(register_editing, "project_key", key_taken_meanwhile)
    key = register_project(engine, lead, details(engine))

    assert raced == ["dept-a-parking-permit-chatbot"]
    assert key == "dept-a-parking-permit-chatbot-2"
    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(AIProject)) == 2
