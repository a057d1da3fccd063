"""Tenancy in the people service: self, reporting line (any depth), organisation admins."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Actor, Role, command_line_actor
from mobilise.services.people import (
    PersonNotFound,
    examples_for_sign_in,
    get_person,
    list_people,
)
from tests.support.workforce import Workforce, add_workforce


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


def _keys(engine: Engine, actor: Actor) -> list[str]:
    return [p.key for p in list_people(engine, actor, limit=100).people]


def test_a_person_alone_sees_only_themself(engine: Engine, workforce: Workforce) -> None:
    actor = development_sign_in(engine, "analyst", [])

    assert actor.roles == {Role.PERSON}
    assert _keys(engine, actor) == ["analyst"]
    assert get_person(engine, actor, "analyst").summary.key == "analyst"
    for other in ("lead", "boss", "outsider", "stranger"):
        with pytest.raises(PersonNotFound):
            get_person(engine, actor, other)


def test_a_manager_sees_their_whole_reporting_line_and_no_one_else(
    engine: Engine, workforce: Workforce
) -> None:
    boss = development_sign_in(engine, "boss", [])
    lead = development_sign_in(engine, "lead", [])

    assert Role.LINE_MANAGER in boss.roles
    assert _keys(engine, boss) == ["analyst", "boss", "lead"]
    assert _keys(engine, lead) == ["analyst", "lead"]
    assert get_person(engine, boss, "analyst").manager_key == "lead"
    with pytest.raises(PersonNotFound):
        get_person(engine, lead, "boss")
    with pytest.raises(PersonNotFound):
        get_person(engine, boss, "outsider")


def test_an_organisation_admin_sees_their_organisation_only(
    engine: Engine, workforce: Workforce
) -> None:
    admin = development_sign_in(engine, "b-admin", [Role.ORGANISATION_ADMIN])

    assert _keys(engine, admin) == ["b-admin", "stranger"]
    assert get_person(engine, admin, "stranger").claims[0].evidence == "evidence of stranger"
    for other in ("boss", "lead", "analyst", "outsider"):
        with pytest.raises(PersonNotFound):
            get_person(engine, admin, other)


def test_roles_other_than_admin_give_no_sight_of_people(
    engine: Engine, workforce: Workforce
) -> None:
    analyst = development_sign_in(engine, "outsider", [Role.ANALYST, Role.SERVICE_ADMIN])

    assert _keys(engine, analyst) == ["outsider"]


def test_the_command_line_sees_everyone(engine: Engine, workforce: Workforce) -> None:
    assert len(_keys(engine, command_line_actor())) == 6


def test_paging_and_search(engine: Engine, workforce: Workforce) -> None:
    actor = command_line_actor()

    first = list_people(engine, actor, limit=4)
    second = list_people(engine, actor, limit=4, after=first.next_after)

    assert [p.key for p in first.people + second.people] == sorted(k for k, *_ in PEOPLE_KEYS)
    assert second.next_after is None
    assert first.total == 6
    found = list_people(engine, actor, query="LEA")
    assert [p.key for p in found.people] == ["lead"]
    # Wildcards in a query are matched literally, not as patterns.
    assert list_people(engine, actor, query="%").total == 0
    assert list_people(engine, actor, organisation_key="agency-b").total == 2


PEOPLE_KEYS = [("boss",), ("lead",), ("analyst",), ("outsider",), ("stranger",), ("b-admin",)]


def test_examples_for_sign_in_start_with_the_busiest_manager(
    engine: Engine, workforce: Workforce
) -> None:
    examples = examples_for_sign_in(engine)

    assert [(e.key, e.reports) for e in examples] == [("boss", 1), ("lead", 1)]


@pytest.mark.parametrize(
    ("who", "roles"),
    [("analyst", []), ("lead", []), ("boss", []), ("b-admin", [Role.ORGANISATION_ADMIN])],
)
def test_one_person_checks_agree_with_the_list_rule(
    engine: Engine, workforce: Workforce, who: str, roles: list[Role]
) -> None:
    from sqlalchemy import select

    from mobilise.services.people import may_see
    from mobilise.store.database import reading
    from mobilise.store.models import Person

    actor = development_sign_in(engine, who, roles)
    listed = set(_keys(engine, actor))
    with reading(engine) as session:
        for person in session.scalars(select(Person)):
            assert may_see(session, actor, person) == (person.key in listed), person.key


@pytest.mark.parametrize("reader", ["lead", "analyst"])  # in one round trip with the line check
def test_a_record_carries_every_claim_by_skill_newest_first(
    engine: Engine, workforce: Workforce, reader: str
) -> None:
    from datetime import date

    from sqlalchemy import select, update

    from mobilise.store.database import reading, transaction
    from mobilise.store.models import SkillClaim, SkillRecord
    from tests.support.communities import claim_skill

    analyst = workforce.people["analyst"]
    with reading(engine) as session:
        first, second = session.scalars(select(SkillRecord.key).order_by(SkillRecord.name).limit(2))
    claim_skill(engine, "analyst", second, 3, claimed_on=date(2025, 1, 1))
    claim_skill(engine, "analyst", first, 1, claimed_on=date(2023, 1, 1))
    claim_skill(engine, "analyst", first, 4, claimed_on=date(2026, 1, 1))
    with transaction(engine) as session:
        session.execute(
            update(SkillClaim)
            .where(SkillClaim.person_id == analyst, SkillClaim.level == 3)
            .values(validated_by_id=workforce.people["lead"])
        )
        names = dict(session.execute(select(SkillRecord.id, SkillRecord.name)).all())
        wanted = sorted(
            (
                (names[c.skill_id], c.claimed_on, c.level, c.validated_by_id is not None)
                for c in session.scalars(select(SkillClaim).where(SkillClaim.person_id == analyst))
            ),
            key=lambda c: (c[0], -c[1].toordinal()),
        )

    claims = get_person(engine, development_sign_in(engine, reader, []), "analyst").claims

    assert len(claims) == 4
    assert [(c.skill_name, c.claimed_on, c.level, c.validated_by is not None) for c in claims] == [
        (name, on, level, validated) for name, on, level, validated in wanted
    ]
    assert [c.validated_by for c in claims if c.validated_by] == ["Lead"]


def test_a_record_with_no_claims(engine: Engine, workforce: Workforce) -> None:
    from sqlalchemy import delete

    from mobilise.store.database import transaction
    from mobilise.store.models import SkillClaim

    with transaction(engine) as session:
        session.execute(delete(SkillClaim).where(SkillClaim.person_id == workforce.people["lead"]))

    boss = development_sign_in(engine, "boss", [])
    record = get_person(engine, boss, "lead")

    assert record.claims == []
    assert record.summary.display_name == "Lead"
    assert record.reports == 1
    assert record.manager_key == "boss"
