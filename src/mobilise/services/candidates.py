"""Candidates and guests: people outside any organisation who register themselves.

A candidate (someone looking to start a government career, a guest on an open course, a
partner's staff) signs in with their own account and gets a Person with no organisation, no
manager and no role level. What they may see follows from that (services/people.py `may_see`):
themselves, what they applied to, and nothing of anyone else. Hiring one into a department sets
their organisation and starts a new position; the old positions, applications and claims stay.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.programmes import owns
from mobilise.store.database import transaction
from mobilise.store.models import (
    Account,
    Application,
    Cohort,
    Organisation,
    Person,
    Position,
    Programme,
)

NAME_LENGTH = 300
EMAIL_LENGTH = 320


@dataclass(frozen=True)
class CandidateDetails:
    display_name: str
    email: str


def checked_details(display_name: str, email: str) -> CandidateDetails:
    """The name and email as kept, or InvalidInput naming each field that is wrong."""
    name = " ".join(display_name.split())
    address = email.strip().lower()
    problems: list[Problem] = []
    if not name or len(name) > NAME_LENGTH:
        problems.append(
            Problem("registration", None, "name", name[:40], f"needs 1 to {NAME_LENGTH} characters")
        )
    local, at, domain = address.partition("@")
    if not at or not local or "." not in domain or len(address) > EMAIL_LENGTH or " " in address:
        problems.append(
            Problem("registration", None, "email", address[:60], "is not an email address")
        )
    if problems:
        raise InvalidInput(problems)
    return CandidateDetails(name, address)


def _email_taken(session: Session, address: str) -> bool:
    return (
        session.scalar(select(Person.id).where(func.lower(Person.email) == address).limit(1))
        is not None
    )


def _new_candidate(session: Session, details: CandidateDetails) -> Person:
    if _email_taken(session, details.email):
        raise InvalidInput(
            [
                Problem(
                    "registration",
                    None,
                    "email",
                    details.email,
                    "belongs to someone already: sign in instead",
                )
            ]
        )
    person = Person(
        key=f"candidate-{uuid.uuid4().hex[:12]}",
        display_name=details.display_name,
        email=details.email,
        organisation_id=None,
        manager_id=None,
        role_level_id=None,
    )
    session.add(person)
    session.flush()
    return person


def register_candidate(engine: Engine, actor: Actor, display_name: str, email: str) -> str:
    """Give a signed-in account that belongs to no one in the records its own candidate Person;
    returns the person's key. An account that already has a person is refused."""
    details = checked_details(display_name, email)
    if actor.account_id is None or actor.person_id is not None:
        raise NotPermitted("only an account with no profile yet may register as a candidate")
    with transaction(engine) as session:
        account = session.get(Account, actor.account_id)
        if account is None or account.kind != "person" or account.person_id is not None:
            raise NotPermitted("only an account with no profile yet may register as a candidate")
        person = _new_candidate(session, details)
        account.person_id = person.id
        record_event(
            session,
            actor,
            "candidate.registered",
            entity_type="person",
            entity_key=person.key,
            after={"name": person.display_name, "email": person.email},
        )
        return person.key


def register_development_candidate(engine: Engine, display_name: str, email: str) -> Actor:
    """The development sign-in's registration: a new candidate Person and an account signed in
    as them (the web shell offers it only when the development sign-in is on)."""
    details = checked_details(display_name, email)
    with transaction(engine) as session:
        person = _new_candidate(session, details)
        record_event(
            session,
            Actor(None, "development registration"),
            "candidate.registered",
            entity_type="person",
            entity_key=person.key,
            after={"name": person.display_name, "email": person.email},
        )
        key = person.key
    return development_sign_in(engine, key, [])


def join_organisation(
    session: Session, actor: Actor, person: Person, organisation_id: int, on: date
) -> None:
    """A person with no organisation becomes a member of one (a hired candidate), inside the
    caller's transaction: a new position from `on`, earlier positions closed, all kept."""
    if person.organisation_id is not None:
        raise InvalidInput(
            [
                Problem(
                    "hiring", None, "person", person.key, "is a member of an organisation already"
                )
            ]
        )
    session.execute(
        update(Position)
        .where(Position.person_id == person.id, Position.ended_on.is_(None))
        .values(ended_on=on)
    )
    person.organisation_id = organisation_id
    person.started_on = on
    session.add(
        Position(
            person_id=person.id,
            organisation_id=organisation_id,
            role_level_id=person.role_level_id,
            grade=person.grade,
            region=person.region,
            started_on=on,
        )
    )
    record_event(
        session,
        actor,
        "person.joined_organisation",
        entity_type="person",
        entity_key=person.key,
        organisation_id=organisation_id,
        before={"organisation": None},
        after={"organisation_id": organisation_id, "started_on": on},
    )


def today() -> date:
    return datetime.now(UTC).date()


HIREABLE_STATES = frozenset({"accepted", "completed"})


def hire_applicant(engine: Engine, actor: Actor, application_key: str) -> str:
    """A cohort's programme admins hire an applicant from outside government who accepted or
    completed their place: they become a member of the organisation that runs the programme
    (their department), with their applications, claims and earlier positions kept. Returns
    the organisation's key."""
    with transaction(engine) as session:
        row = session.execute(
            select(Application, Programme, Person, Organisation.key)
            .join(Cohort, Cohort.id == Application.cohort_id)
            .join(Programme, Programme.id == Cohort.programme_id)
            .join(Person, Person.id == Application.person_id)
            .join(Organisation, Organisation.id == Programme.organisation_id)
            .where(Application.key == application_key)
        ).first()
        if row is None or not owns(actor, row[1]):
            raise UnknownKey("application", application_key)
        application, programme, person, organisation_key = row
        if application.state not in HIREABLE_STATES:
            raise InvalidInput(
                [
                    Problem(
                        "hiring",
                        None,
                        "application",
                        application.key,
                        f"is {application.state.replace('_', ' ')}: only an accepted or "
                        "completed place may lead to hiring",
                    )
                ]
            )
        join_organisation(session, actor, person, programme.organisation_id, today())
        return str(organisation_key)
