"""Candidates register themselves, see only themselves, and keep their history when hired."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services.accounts import sign_in_with_identity
from mobilise.services.actors import command_line_actor
from mobilise.services.audit import NotPermitted
from mobilise.services.candidates import (
    join_organisation,
    register_candidate,
    register_development_candidate,
)
from mobilise.services.people import PersonNotFound, get_person
from mobilise.store.database import reading, transaction
from mobilise.store.models import AuditEvent, Person, Position
from tests.support.workforce import add_workforce


def _people(engine: Engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count(Person.id))) or 0


def test_a_provider_account_with_no_profile_registers_and_sees_only_itself(
    engine: Engine,
) -> None:
    add_workforce(engine)
    actor = sign_in_with_identity(
        engine, issuer="https://id.example", subject="s-1", email=None, display_name="Ana"
    )
    assert actor.person_id is None
    key = register_candidate(engine, actor, "  Ana   Lopez ", "Ana@Example.com")
    with reading(engine) as session:
        person = session.scalars(select(Person).where(Person.key == key)).one()
        assert (person.display_name, person.email) == ("Ana Lopez", "ana@example.com")
        assert (person.organisation_id, person.manager_id) == (None, None)
    candidate = sign_in_with_identity(
        engine, issuer="https://id.example", subject="s-1", email=None, display_name="Ana"
    )
    assert candidate.person_key == key
    assert candidate.organisation_id is None
    assert get_person(engine, candidate, key).summary.key == key
    for other in ("boss", "analyst", "stranger", "b-admin"):
        with pytest.raises(PersonNotFound):
            get_person(engine, candidate, other)
    with pytest.raises(NotPermitted):
        register_candidate(engine, candidate, "Again", "again@example.com")


def test_bad_details_and_a_taken_email_are_named_and_change_nothing(engine: Engine) -> None:
    add_workforce(engine)
    before = _people(engine)
    with pytest.raises(InvalidInput) as refused:
        register_development_candidate(engine, "   ", "not-an-address")
    assert {p.column for p in refused.value.problems} == {"name", "email"}
    with pytest.raises(InvalidInput) as taken:
        register_development_candidate(engine, "Someone", "ANALYST@example.gov.uk")
    assert [p.value for p in taken.value.problems] == ["analyst@example.gov.uk"]
    assert _people(engine) == before


def test_development_registration_signs_in_as_a_new_person_with_no_organisation(
    engine: Engine,
) -> None:
    add_workforce(engine)
    actor = register_development_candidate(engine, "Sam Guest", "sam@example.org")
    assert actor.person_key is not None
    assert actor.person_key.startswith("candidate-")
    assert actor.organisation_id is None
    assert actor.roles == {"person"}
    with reading(engine) as session:
        kinds = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_key == actor.person_key)
        ).all()
    assert "candidate.registered" in kinds


def test_joining_an_organisation_keeps_earlier_positions_and_is_audited(engine: Engine) -> None:
    workforce = add_workforce(engine)
    actor = register_development_candidate(engine, "Pat Hire", "pat@example.org")
    with transaction(engine) as session:
        person = session.scalars(select(Person).where(Person.key == actor.person_key)).one()
        session.add(
            Position(person_id=person.id, organisation_id=None, started_on=date(2025, 1, 1))
        )
        session.flush()
        join_organisation(session, command_line_actor(), person, workforce.org_a, date(2026, 9, 1))
    with reading(engine) as session:
        person = session.scalars(select(Person).where(Person.key == actor.person_key)).one()
        spells = session.execute(
            select(Position.organisation_id, Position.started_on, Position.ended_on)
            .where(Position.person_id == person.id)
            .order_by(Position.started_on)
        ).all()
        assert person.organisation_id == workforce.org_a
        assert [tuple(s) for s in spells] == [
            (None, date(2025, 1, 1), date(2026, 9, 1)),
            (workforce.org_a, date(2026, 9, 1), None),
        ]
        assert (
            session.scalar(
                select(func.count(AuditEvent.id)).where(
                    AuditEvent.action == "person.joined_organisation"
                )
            )
            == 1
        )
    with transaction(engine) as session:
        again = session.scalars(select(Person).where(Person.key == actor.person_key)).one()
        with pytest.raises(InvalidInput):
            join_organisation(
                session, command_line_actor(), again, workforce.org_b, date(2026, 10, 1)
            )
