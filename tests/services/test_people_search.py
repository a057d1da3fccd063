"""People who could work on an AI project: only those who opted in, ranked by fit, per
organisation; their opt-in audited and withdrawn at once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, delete, select

from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Actor, Role
from mobilise.services.audit import NotPermitted
from mobilise.services.catalogue import UnknownKey
from mobilise.services.people import PersonNotFound
from mobilise.services.people_search import (
    people_for_project,
    person_for_project,
    project_search_opt_in,
    set_project_search_opt_in,
)
from mobilise.store.database import reading, transaction
from mobilise.store.models import AuditEvent, Person, SensitiveAttributes, SkillClaim, SkillRecord
from tests.support.register_projects import add_project
from tests.support.workforce import Workforce, add_workforce


def person_actor(engine: Engine, key: str, *roles: Role) -> Actor:
    return development_sign_in(engine, key, roles)


@pytest.fixture
def world(engine: Engine) -> tuple[Workforce, list[int]]:
    """The two organisations; a project of A needing the first skill at 3 and the second at 2.
    Everyone holds the first skill at 2 (the workforce's claim); `stranger` (B) also the second
    at 2 and `outsider` (A) the first at 4."""
    workforce = add_workforce(engine)
    with transaction(engine) as session:
        skills = list(session.scalars(select(SkillRecord.id).order_by(SkillRecord.id).limit(2)))
        for key, skill, level in (("stranger", skills[1], 2), ("outsider", skills[0], 4)):
            session.add(
                SkillClaim(
                    person_id=workforce.people[key],
                    skill_id=skill,
                    level=level,
                    source="self",
                    status="active",
                    evidence="",
                    claimed_on=date(2025, 1, 1),
                )
            )
    add_project(
        engine,
        "a-project",
        workforce.org_a,
        "Chatbot",
        "A chatbot.",
        skills={skills[0]: 3, skills[1]: 2},
    )
    return workforce, skills


def listed(engine: Engine, actor: Actor, project: str = "a-project") -> list[str]:
    return [p.person.key for p in people_for_project(engine, actor, project).people]


def test_no_one_is_listed_until_they_opt_in(
    engine: Engine, world: tuple[Workforce, list[int]]
) -> None:
    _workforce, _ = world
    lead = person_actor(engine, "lead")
    assert listed(engine, lead) == []
    for key in ("outsider", "stranger"):  # one of each organisation, neither opted in
        with pytest.raises(PersonNotFound):
            person_for_project(engine, lead, "a-project", key)


def test_opted_in_people_of_every_organisation_are_ranked_by_fit(
    engine: Engine, world: tuple[Workforce, list[int]]
) -> None:
    _workforce, _ = world
    for key in ("stranger", "outsider", "analyst"):
        set_project_search_opt_in(engine, person_actor(engine, key), True)
    lead = person_actor(engine, "lead")
    # stranger: 2/3 and 2/2 (1 level short of 5); outsider: 4/3, 0/2 (2 short); analyst 3 short.
    assert listed(engine, lead) == ["stranger", "outsider", "analyst"]
    found = people_for_project(engine, lead, "a-project")
    assert found.total == 3
    stranger = found.people[0]
    assert stranger.person.organisation_name == "Agency B"
    assert stranger.score == pytest.approx(1 - 1 / 5)
    assert [(s.needed, s.current, s.met) for s in stranger.skills] == [(3, 2, False), (2, 2, True)]
    assert person_for_project(engine, lead, "a-project", "stranger").fit == stranger
    assert people_for_project(engine, lead, "a-project", page=2, page_size=2).people[
        0
    ].person.key == ("analyst")


def test_withdrawing_hides_a_person_at_once(
    engine: Engine, world: tuple[Workforce, list[int]]
) -> None:
    _workforce, _ = world
    stranger = person_actor(engine, "stranger")
    lead = person_actor(engine, "lead")
    assert project_search_opt_in(engine, stranger).opted_in is False
    set_project_search_opt_in(engine, stranger, True)
    assert project_search_opt_in(engine, stranger).since is not None
    assert listed(engine, lead) == ["stranger"]
    set_project_search_opt_in(engine, stranger, False)
    assert listed(engine, lead) == []
    with pytest.raises(PersonNotFound):
        person_for_project(engine, lead, "a-project", "stranger")


def test_each_change_of_mind_is_audited_once(
    engine: Engine, world: tuple[Workforce, list[int]]
) -> None:
    workforce, _ = world
    stranger = person_actor(engine, "stranger")
    for choice in (True, True, False, False):
        set_project_search_opt_in(engine, stranger, choice)
    with reading(engine) as session:
        events = session.execute(
            select(AuditEvent.action, AuditEvent.entity_key, AuditEvent.organisation_id)
            .where(AuditEvent.action.startswith("project_search."))
            .order_by(AuditEvent.id)
        ).all()
    assert [tuple(e) for e in events] == [
        ("project_search.opt_in", "stranger", workforce.org_b),
        ("project_search.opt_out", "stranger", workforce.org_b),
    ]


def test_people_without_any_needed_skill_or_who_left_are_not_listed(
    engine: Engine, world: tuple[Workforce, list[int]]
) -> None:
    workforce, _skills = world
    for key in ("stranger", "b-admin"):
        set_project_search_opt_in(engine, person_actor(engine, key), True)
    with transaction(engine) as session:
        session.execute(
            delete(SkillClaim).where(SkillClaim.person_id == workforce.people["b-admin"])
        )
    assert listed(engine, person_actor(engine, "lead")) == ["stranger"]
    with transaction(engine) as session:
        person = session.get(Person, workforce.people["stranger"])
        assert person is not None
        person.left_on = date(2024, 1, 1)
    assert listed(engine, person_actor(engine, "lead")) == []


def test_sensitive_attributes_never_appear(
    engine: Engine, world: tuple[Workforce, list[int]]
) -> None:
    workforce, _ = world
    with transaction(engine) as session:
        session.add(
            SensitiveAttributes(
                person_id=workforce.people["stranger"],
                consent=True,
                sex="SEX-MARKER",
                ethnic_group="ETHNICITY-MARKER",
                disability="DISABILITY-MARKER",
                age_band="AGE-MARKER",
            )
        )
    set_project_search_opt_in(engine, person_actor(engine, "stranger"), True)
    shown = repr(people_for_project(engine, person_actor(engine, "lead"), "a-project"))
    assert "stranger" in shown
    assert "MARKER" not in shown


def test_who_may_look_for_people(engine: Engine, world: tuple[Workforce, list[int]]) -> None:
    workforce, skills = world
    set_project_search_opt_in(engine, person_actor(engine, "stranger"), True)
    # Someone of another organisation, not a programme admin: refused.
    with pytest.raises(NotPermitted):
        people_for_project(engine, person_actor(engine, "b-admin"), "a-project")
    # A programme admin of any organisation, and an organisation admin of the owner: allowed.
    assert listed(engine, person_actor(engine, "b-admin", Role.PROGRAMME_ADMIN)) == ["stranger"]
    assert listed(
        engine,
        Actor(
            9,
            "admin of A",
            roles=frozenset({Role.ORGANISATION_ADMIN}),
            grants=frozenset({(Role.ORGANISATION_ADMIN, workforce.org_a)}),
        ),
    ) == ["stranger"]
    # A draft exists only for its own organisation.
    add_project(
        engine,
        "a-draft",
        workforce.org_a,
        "Draft",
        "A draft.",
        status="draft",
        skills={skills[0]: 1},
    )
    assert listed(engine, person_actor(engine, "lead"), "a-draft") == ["stranger"]
    with pytest.raises(UnknownKey):
        people_for_project(engine, person_actor(engine, "b-admin", Role.PROGRAMME_ADMIN), "a-draft")
    with pytest.raises(UnknownKey):
        people_for_project(engine, person_actor(engine, "lead"), "no-such-project")


def test_a_project_that_names_no_skills_lists_no_one(
    engine: Engine, world: tuple[Workforce, list[int]]
) -> None:
    workforce, _ = world
    set_project_search_opt_in(engine, person_actor(engine, "stranger"), True)
    add_project(engine, "a-bare", workforce.org_a, "Bare", "No skills named.")
    found = people_for_project(engine, person_actor(engine, "lead"), "a-bare")
    assert found.needs == ()
    assert found.people == ()


def test_only_a_person_may_opt_in(engine: Engine) -> None:
    with pytest.raises(NotPermitted):
        set_project_search_opt_in(engine, Actor(5, "service account"), True)
