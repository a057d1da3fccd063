"""A person corrects their own basic details: the name Mobilise shows and their email address.

Everything else on the record has its own place to be corrected (the data page links to each).
The audit event names the fields that changed, not their values: an old name kept in the log
could not be found, and so not erased, once the person has changed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine, update

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.store.database import transaction
from mobilise.store.models import Account, Person

SOURCE = "your details"
NAME_LENGTH = 300
EMAIL_LENGTH = 320
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class DetailsView:
    display_name: str
    email: str | None


def _checked(display_name: str, email: str) -> tuple[str, str | None]:
    name, address = " ".join(display_name.split()), email.strip()
    problems = []
    if not name:
        problems.append(Problem(SOURCE, None, "display_name", None, "must be given"))
    elif len(name) > NAME_LENGTH:
        rule = f"must be at most {NAME_LENGTH} characters"
        problems.append(Problem(SOURCE, None, "display_name", name[:40], rule))
    if address and (len(address) > EMAIL_LENGTH or not EMAIL.match(address)):
        rule = "must be an email address such as name@example.gov.uk"
        problems.append(Problem(SOURCE, None, "email", address[:40], rule))
    if problems:
        raise InvalidInput(problems)
    return name, address or None


def my_details(engine: Engine, actor: Actor) -> DetailsView:
    with transaction(engine) as session:
        person = session.get(Person, actor.person_id) if actor.person_id is not None else None
        if person is None:
            raise NotPermitted("only a person has details to correct")
        return DetailsView(person.display_name, person.email)


def correct_my_details(engine: Engine, actor: Actor, display_name: str, email: str) -> DetailsView:
    """Set the signed-in person's name and email (the accounts they sign in with show the
    same name); nothing changes if either is invalid."""
    name, address = _checked(display_name, email)
    with transaction(engine) as session:
        person = session.get(Person, actor.person_id) if actor.person_id is not None else None
        if person is None:
            raise NotPermitted("only a person has details to correct")
        changed = [
            column
            for column, old, new in (
                ("display_name", person.display_name, name),
                ("email", person.email, address),
            )
            if old != new
        ]
        if changed:
            person.display_name, person.email = name, address
            session.execute(
                update(Account).where(Account.person_id == person.id).values(display_name=name)
            )
            record_event(
                session,
                actor,
                "person.details_corrected",
                entity_type="person",
                entity_key=person.key,
                organisation_id=person.organisation_id,
                after={"changed": changed},
            )
        return DetailsView(person.display_name, person.email)
