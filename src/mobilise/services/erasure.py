"""A person's request to be erased, and an admin's decision on it.

The person asks (one open request at a time) and may cancel while it waits. An admin of their
organisation (a service admin for people outside any organisation, or anyone's) approves or
refuses it with a reason. Approving erases the person in the same transaction
(services/pseudonymisation.py) and records it in the audit log under the pseudonym, with counts
of what was deleted and kept, never the erased data. Each decision is told to the person
through the outbox; after an erasure there is no one left to tell.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Engine, func, select
from sqlalchemy.orm import Session

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor, Role
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.outbox import notify
from mobilise.services.pseudonymisation import erase_person, new_pseudonym
from mobilise.store.database import reading, transaction
from mobilise.store.models import ErasureRequest, Organisation, Person

REASON_LENGTH = 2000
SOURCE = "erasure request"


class ErasureRequestNotFound(UnknownKey):
    """No request with this key that the actor may decide or see."""

    def __init__(self, key: str) -> None:
        super().__init__("erasure request", key)


@dataclass(frozen=True)
class ErasureView:
    key: str
    state: str
    person_key: str
    person_name: str
    organisation_name: str | None
    reason: str
    requested_at: datetime
    decided_at: datetime | None
    decided_by: str
    decision_reason: str


def _view(session: Session, found: ErasureRequest) -> ErasureView:
    person = session.get(Person, found.person_id)
    assert person is not None  # the request goes when its person does
    organisation = (
        session.get(Organisation, found.organisation_id) if found.organisation_id else None
    )
    return ErasureView(
        key=found.key,
        state=found.state,
        person_key=person.key,
        person_name=person.display_name,
        organisation_name=None if organisation is None else organisation.name,
        reason=found.reason,
        requested_at=found.requested_at,
        decided_at=found.decided_at,
        decided_by=found.decided_by,
        decision_reason=found.decision_reason,
    )


def _text(value: str, column: str, *, required: bool) -> str:
    text = value.strip()
    if required and not text:
        raise InvalidInput([Problem(SOURCE, None, column, None, "must be given")])
    if len(text) > REASON_LENGTH:
        rule = f"must be at most {REASON_LENGTH} characters"
        raise InvalidInput([Problem(SOURCE, None, column, text[:40], rule)])
    return text


def _own_person(session: Session, actor: Actor) -> Person:
    person = session.get(Person, actor.person_id) if actor.person_id is not None else None
    if person is None:
        raise NotPermitted("only a person can ask for their own erasure")
    return person


def request_erasure(engine: Engine, actor: Actor, reason: str = "") -> ErasureView:
    """The signed-in person asks to be erased (refused if a request of theirs is waiting)."""
    given = _text(reason, "reason", required=False)
    with transaction(engine) as session:
        person = _own_person(session, actor)
        waiting = session.scalar(
            select(ErasureRequest.key).where(
                ErasureRequest.person_id == person.id, ErasureRequest.state == "pending"
            )
        )
        if waiting is not None:
            rule = "is already waiting for a decision; cancel it first to ask again"
            raise InvalidInput([Problem(SOURCE, None, "request", waiting, rule)])
        found = ErasureRequest(
            key=str(uuid.uuid4()),
            person_id=person.id,
            organisation_id=person.organisation_id,
            state="pending",
            reason=given,
            requested_at=datetime.now(UTC),
            decided_by="",
            decision_reason="",
        )
        session.add(found)
        session.flush()
        record_event(
            session,
            actor,
            "erasure.requested",
            entity_type="erasure_request",
            entity_key=found.key,
            organisation_id=person.organisation_id,
        )
        return _view(session, found)


def my_erasure_requests(engine: Engine, actor: Actor) -> list[ErasureView]:
    if actor.person_id is None:
        return []
    with reading(engine) as session:
        return [
            _view(session, found)
            for found in session.scalars(
                select(ErasureRequest)
                .where(ErasureRequest.person_id == actor.person_id)
                .order_by(ErasureRequest.requested_at.desc(), ErasureRequest.id.desc())
            )
        ]


def cancel_erasure(engine: Engine, actor: Actor, key: str) -> ErasureView:
    """The person withdraws their own request while it waits."""
    with transaction(engine) as session:
        found = session.scalar(select(ErasureRequest).where(ErasureRequest.key == key))
        if found is None or found.person_id != actor.person_id:
            raise ErasureRequestNotFound(key)
        _pending(found)
        found.state = "cancelled"
        found.decided_at = datetime.now(UTC)
        found.decided_by = "you"
        record_event(
            session,
            actor,
            "erasure.cancelled",
            entity_type="erasure_request",
            entity_key=key,
            organisation_id=found.organisation_id,
        )
        return _view(session, found)


def may_decide(actor: Actor) -> bool:
    return actor.is_operator or Role.ORGANISATION_ADMIN in actor.roles


def _decidable(actor: Actor) -> ColumnElement[bool]:
    """Which requests the actor decides: service admins all, organisation admins their own
    organisations' (people outside any organisation are the service admins')."""
    if not may_decide(actor):
        raise NotPermitted("deciding on erasure needs an organisation admin or service admin")
    if actor.is_operator:
        return ErasureRequest.id.is_not(None)
    organisations = actor.organisations_where(Role.ORGANISATION_ADMIN)
    return ErasureRequest.organisation_id.in_(sorted(organisations))


def requests_to_decide(
    engine: Engine, actor: Actor, *, limit: int = 50, offset: int = 0
) -> tuple[list[ErasureView], int]:
    """Requests waiting for the actor's decision, oldest first."""
    rule = _decidable(actor)
    waiting = select(ErasureRequest).where(rule, ErasureRequest.state == "pending")
    with reading(engine) as session:
        total = session.scalar(select(func.count()).select_from(waiting.subquery())) or 0
        rows = session.scalars(
            waiting.order_by(ErasureRequest.requested_at, ErasureRequest.id)
            .limit(limit)
            .offset(offset)
        ).all()
        return [_view(session, found) for found in rows], total


def _pending(found: ErasureRequest) -> None:
    if found.state != "pending":
        rule = "has already been decided"
        raise InvalidInput([Problem(SOURCE, None, "state", found.state, rule)])


def _to_decide(session: Session, actor: Actor, key: str) -> ErasureRequest:
    rule = _decidable(actor)
    found = session.scalar(
        select(ErasureRequest).where(ErasureRequest.key == key, rule).with_for_update()
    )
    if found is None:
        raise ErasureRequestNotFound(key)
    _pending(found)
    if found.person_id == actor.person_id:
        raise NotPermitted("no one decides on their own erasure")
    return found


def refuse_erasure(engine: Engine, actor: Actor, key: str, reason: str) -> ErasureView:
    """Refuse with a reason, which the person is told."""
    given = _text(reason, "decision_reason", required=True)
    with transaction(engine) as session:
        found = _to_decide(session, actor, key)
        found.state, found.decision_reason = "refused", given
        found.decided_at, found.decided_by = datetime.now(UTC), actor.display_name[:300]
        person = session.get(Person, found.person_id)
        assert person is not None
        notify(
            session,
            person,
            "erasure.refused",
            "Your request to be erased was refused",
            f"Your request to have your data erased was refused. The reason given: {given}",
            "/me/data",
        )
        record_event(
            session,
            actor,
            "erasure.refused",
            entity_type="erasure_request",
            entity_key=key,
            organisation_id=found.organisation_id,
            after={"reason": given},
        )
        return _view(session, found)


def approve_erasure(engine: Engine, actor: Actor, key: str) -> ErasureView:
    """Erase the person now, in this one transaction, and audit it under the pseudonym (no
    note is taken: written after the scrub, it could bring the name back)."""
    with transaction(engine) as session:
        found = _to_decide(session, actor, key)
        person = session.get(Person, found.person_id)
        assert person is not None
        pseudonym = new_pseudonym()
        counts = erase_person(session, person, pseudonym)
        found = session.scalars(select(ErasureRequest).where(ErasureRequest.key == key)).one()
        found.state, found.reason, found.pseudonym = "erased", "", pseudonym
        found.decided_at, found.decided_by = datetime.now(UTC), actor.display_name[:300]
        record_event(
            session,
            actor,
            "person.erased",
            entity_type="person",
            entity_key=pseudonym,
            organisation_id=found.organisation_id,
            after={"request": key, "pseudonym": pseudonym, **counts.as_dict()},
        )
        return _view(session, found)
