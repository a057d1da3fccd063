"""Notifications: recorded in the outbox table inside the transaction of the change they report.

A change that rolls back leaves no message, and no change goes out without one. Each person reads
their own messages in the service (`/me/messages`); a sender (MOBILISE_OUTBOX_SENDER) delivers
unsent ones by email. With the default sender, `none`, messages stay in the outbox, which is all a
demo or a test needs.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from urllib.parse import urlsplit

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from mobilise.services.actors import Actor
from mobilise.store.database import reading, transaction
from mobilise.store.models import OutboxMessage, Person

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class MessageView:
    id: int
    created_at: datetime
    kind: str
    subject: str
    body: str
    link: str
    sent_at: datetime | None


def notify(
    session: Session, person: Person, kind: str, subject: str, body: str, link: str = ""
) -> None:
    """Add a message for `person` to the transaction `session` is in."""
    session.add(
        OutboxMessage(
            created_at=datetime.now(UTC),
            person_id=person.id,
            email=person.email,
            kind=kind,
            subject=subject[:300],
            body=body,
            link=link[:500],
            attempts=0,
            last_error="",
        )
    )


def _view(message: OutboxMessage) -> MessageView:
    created = message.created_at
    if created.tzinfo is None:  # SQLite hands back naive datetimes; all are stored in UTC
        created = created.replace(tzinfo=UTC)
    return MessageView(
        message.id,
        created,
        message.kind,
        message.subject,
        message.body,
        message.link,
        message.sent_at,
    )


def messages_for(
    engine: Engine, actor: Actor, *, limit: int = 50, offset: int = 0
) -> tuple[list[MessageView], int]:
    """The actor's own messages, newest first (none for an account that is not a person)."""
    if actor.person_id is None:
        return [], 0
    condition = OutboxMessage.person_id == actor.person_id
    with reading(engine) as session:
        total = session.scalar(select(func.count(OutboxMessage.id)).where(condition)) or 0
        rows = session.scalars(
            select(OutboxMessage)
            .where(condition)
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return [_view(m) for m in rows], int(total)


def pending_messages(engine: Engine, *, limit: int = 100) -> list[tuple[str | None, MessageView]]:
    """Unsent messages, oldest first, with their addresses (for the operator and the sender)."""
    with reading(engine) as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        return [(m.email, _view(m)) for m in rows]


def deliver_pending(
    engine: Engine, *, sender: str, smtp_url: str | None, from_address: str, limit: int = 100
) -> tuple[int, int]:
    """Send unsent messages with `sender` ("smtp"); returns (sent, failed). With "none" nothing
    is sent and nothing changes. A message without an address, or refused by the server, counts
    an attempt and keeps its error; after MAX_ATTEMPTS it is no longer tried."""
    if sender == "none":
        return 0, 0
    if sender != "smtp" or not smtp_url:
        raise ValueError("the smtp sender needs MOBILISE_SMTP_URL (smtp://host:port)")
    address = urlsplit(smtp_url)
    sent = failed = 0
    with smtplib.SMTP(address.hostname or "localhost", address.port or 25, timeout=30) as smtp:
        for email, message in pending_messages(engine, limit=limit):
            error = ""
            if not email:
                error = "the person has no email address"
            else:
                mail = EmailMessage()
                mail["From"], mail["To"], mail["Subject"] = from_address, email, message.subject
                mail.set_content(message.body + (f"\n\n{message.link}" if message.link else ""))
                try:
                    smtp.send_message(mail)
                except smtplib.SMTPException as refused:
                    error = str(refused)[:500]
            with transaction(engine) as session:
                stored = session.get(OutboxMessage, message.id)
                if stored is None:
                    continue
                stored.attempts += 1
                if error:
                    stored.last_error = error
                    failed += 1
                else:
                    stored.sent_at = datetime.now(UTC)
                    sent += 1
    return sent, failed
