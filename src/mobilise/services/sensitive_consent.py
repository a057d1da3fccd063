"""Withdrawing consent for sensitive attributes (sex, ethnic group, disability, age band).

Withdrawing deletes the attributes: what was given under consent is not kept without it, and a
row that is not there cannot reach any statistic. The next analytics refresh leaves the person
out (migration 0017's triggers queue them); statistics already published are not rewritten.
The audit event says consent was withdrawn, never what the attributes were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, delete

from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.store.database import reading, transaction
from mobilise.store.models import Person, SensitiveAttributes


@dataclass(frozen=True)
class ConsentView:
    held: bool
    consent: bool
    consented_on: date | None


def my_consent(engine: Engine, actor: Actor) -> ConsentView:
    if actor.person_id is None:
        return ConsentView(held=False, consent=False, consented_on=None)
    with reading(engine) as session:
        found = session.get(SensitiveAttributes, actor.person_id)
        if found is None:
            return ConsentView(held=False, consent=False, consented_on=None)
        return ConsentView(held=True, consent=found.consent, consented_on=found.consented_on)


def withdraw_consent(engine: Engine, actor: Actor) -> bool:
    """Delete the signed-in person's sensitive attributes; False if none were held."""
    if actor.person_id is None:
        raise NotPermitted("only a person can withdraw their own consent")
    with transaction(engine) as session:
        person = session.get(Person, actor.person_id)
        if person is None:
            raise NotPermitted("only a person can withdraw their own consent")
        removed = session.execute(
            delete(SensitiveAttributes).where(SensitiveAttributes.person_id == person.id)
        ).rowcount  # type: ignore[attr-defined]
        if not removed:
            return False
        record_event(
            session,
            actor,
            "sensitive_attributes.consent_withdrawn",
            entity_type="person",
            entity_key=person.key,
            organisation_id=person.organisation_id,
        )
        return True
