"""The audit log: record each change inside the transaction that makes it, and read it back.

An event is written in the same transaction as the change, so a change that rolls back leaves no
event and no change leaves without one. Organisation admins read their organisation's events;
service admins and the command line read all.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Select, func, insert, select
from sqlalchemy.orm import Session, aliased

from mobilise.services.actors import Actor, Role, command_line_actor
from mobilise.store.database import reading
from mobilise.store.models import AuditEvent, Organisation

MAX_FILTER_LENGTH = 80
AnySelect = Select[*tuple[Any, ...]]


@dataclass(frozen=True)
class AuditEntry:
    id: int
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_key: str
    organisation_key: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    next_before_id: int | None


class NotPermitted(Exception):
    """The actor has no role that allows this at all (a 403, unlike data of others: a 404)."""


def record_event(
    executor: Session | Connection,
    actor: Actor | None,
    action: str,
    *,
    entity_type: str,
    entity_key: str,
    organisation_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add an event to the transaction `executor` is in; it commits or rolls back with the change.

    `actor` None is the command line (services called without one are run by an operator).
    """
    who = actor or command_line_actor()
    executor.execute(
        insert(AuditEvent).values(
            occurred_at=datetime.now(UTC),
            actor_account_id=who.account_id,
            actor_label=who.display_name[:300],
            action=action,
            entity_type=entity_type,
            entity_key=entity_key[:300],
            organisation_id=organisation_id,
            before=_jsonable(before),
            after=_jsonable(after),
        )
    )


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    # Dates and enums become strings so the event reads the same on SQLite and PostgreSQL.
    return None if values is None else json.loads(json.dumps(values, default=str))


def _visible(actor: Actor, query: AnySelect) -> AnySelect:
    if actor.is_operator:
        return query
    organisations = actor.organisations_where(Role.ORGANISATION_ADMIN)
    if not organisations:
        raise NotPermitted("only organisation and service admins may read the audit log")
    return query.where(AuditEvent.organisation_id.in_(organisations))


def _filtered(query: AnySelect, action: str | None, entity_key: str | None) -> AnySelect:
    if action:
        query = query.where(AuditEvent.action == action[:MAX_FILTER_LENGTH])
    if entity_key:
        query = query.where(AuditEvent.entity_key == entity_key[:300])
    return query


def _query(actor: Actor, action: str | None, entity_key: str | None) -> AnySelect:
    owner = aliased(Organisation)
    query: AnySelect = select(AuditEvent, owner.key).outerjoin(
        owner, owner.id == AuditEvent.organisation_id
    )
    return _visible(actor, _filtered(query, action, entity_key))


def list_events(
    engine: Engine,
    actor: Actor,
    *,
    limit: int = 50,
    before_id: int | None = None,
    action: str | None = None,
    entity_key: str | None = None,
) -> AuditPage:
    """Newest first, `limit` at a time; `before_id` continues from the previous page."""
    query = _query(actor, action, entity_key)
    counted = _visible(
        actor, _filtered(select(func.count()).select_from(AuditEvent), action, entity_key)
    )
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    with reading(engine) as session:
        total = session.scalar(counted) or 0
        rows = session.execute(query.order_by(AuditEvent.id.desc()).limit(limit + 1)).all()
        entries = [_entry(event, key) for event, key in rows[:limit]]
    more = len(rows) > limit
    return AuditPage(entries, total, entries[-1].id if more and entries else None)


def _entry(event: AuditEvent, organisation_key: str | None) -> AuditEntry:
    occurred = event.occurred_at
    if occurred.tzinfo is None:  # SQLite hands back naive datetimes; all are stored in UTC.
        occurred = occurred.replace(tzinfo=UTC)
    return AuditEntry(
        id=event.id,
        occurred_at=occurred,
        actor=event.actor_label,
        action=event.action,
        entity_type=event.entity_type,
        entity_key=event.entity_key,
        organisation_key=organisation_key,
        before=event.before,
        after=event.after,
    )


EXPORT_COLUMNS = (
    "id",
    "occurred_at",
    "actor",
    "action",
    "entity_type",
    "entity_key",
    "organisation",
    "before",
    "after",
)


def export_events_csv(
    engine: Engine, actor: Actor, *, action: str | None = None, entity_key: str | None = None
) -> Iterator[str]:
    """The visible log as CSV, oldest first, read and streamed a thousand events at a time.

    Permission is checked now, not when the first chunk is asked for, so a refusal is an error
    the caller sees before it starts a response.
    """
    query = _query(actor, action, entity_key).order_by(AuditEvent.id)
    return _stream_csv(engine, query)


def _stream_csv(engine: Engine, query: AnySelect) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    yield _drain(buffer)
    after = 0
    while True:
        with reading(engine) as session:
            rows = session.execute(query.where(AuditEvent.id > after).limit(1000)).all()
            entries = [_entry(event, key) for event, key in rows]
        if not entries:
            return
        for entry in entries:
            writer.writerow(
                [
                    entry.id,
                    entry.occurred_at.isoformat(),
                    _spreadsheet_safe(entry.actor),
                    entry.action,
                    entry.entity_type,
                    _spreadsheet_safe(entry.entity_key),
                    entry.organisation_key or "",
                    "" if entry.before is None else json.dumps(entry.before, sort_keys=True),
                    "" if entry.after is None else json.dumps(entry.after, sort_keys=True),
                ]
            )
            after = entry.id
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _spreadsheet_safe(value: str) -> str:
    # A cell starting with = + - @ runs as a formula in spreadsheet programs (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
