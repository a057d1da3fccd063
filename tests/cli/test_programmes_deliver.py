"""`mobilise programmes deliver` with the smtp sender, against a real SMTP server (aiosmtpd) on
127.0.0.1: each unsent message goes out once, to its person's address, and is marked sent; a
message without an address keeps its error and is tried again up to the limit."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.services.applications import apply
from mobilise.services.outbox import MAX_ATTEMPTS, pending_messages
from mobilise.settings import get_settings
from mobilise.store.database import reading, transaction
from mobilise.store.models import OutboxMessage, Person
from tests.support.programmes import add_programme

runner = CliRunner()


class Mailbox:
    """What the server received: one parsed message per recipient."""

    def __init__(self) -> None:
        self.received: list[tuple[str, Message]] = []

    async def handle_DATA(  # noqa: N802 (the name aiosmtpd calls)
        self, _server: SMTP, _session: Session, envelope: Envelope
    ) -> str:
        content = envelope.content
        assert isinstance(content, bytes)
        for recipient in envelope.rcpt_tos:
            self.received.append((recipient, message_from_bytes(content)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mailbox(monkeypatch: pytest.MonkeyPatch, database_url_env: str) -> Iterator[Mailbox]:
    box = Mailbox()
    port = _free_port()
    server = Controller(box, hostname="127.0.0.1", port=port)
    server.start()
    monkeypatch.setenv("MOBILISE_OUTBOX_SENDER", "smtp")
    monkeypatch.setenv("MOBILISE_SMTP_URL", f"smtp://127.0.0.1:{port}")
    monkeypatch.setenv("MOBILISE_OUTBOX_FROM", "mobilise@example.gov.uk")
    get_settings.cache_clear()
    try:
        yield box
    finally:
        server.stop()
        get_settings.cache_clear()


def _unsent(engine: Engine) -> int:
    with reading(engine) as session:
        return (
            session.scalar(
                select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))
            )
            or 0
        )


def test_deliver_sends_each_message_once_to_its_person(engine: Engine, mailbox: Mailbox) -> None:
    setup = add_programme(engine)
    apply(engine, setup.actor(engine, "analyst"), "aia-1", "I build models.", [], consent=False)
    expected = {(email, message.subject) for email, message in pending_messages(engine)}
    assert {email for email, _ in expected} == {"analyst@example.gov.uk", "lead@example.gov.uk"}

    sent = runner.invoke(app, ["programmes", "deliver"])
    assert sent.exit_code == 0, sent.output
    assert "Sent 2, failed 0 (sender: smtp)" in sent.output
    assert {(to, mail["Subject"]) for to, mail in mailbox.received} == expected
    to, mail = mailbox.received[0]
    assert mail["From"] == "mobilise@example.gov.uk"
    assert mail["To"] == to
    assert "/applications/" in mail.get_payload()
    assert _unsent(engine) == 0

    again = runner.invoke(app, ["programmes", "deliver"])
    assert "Sent 0, failed 0" in again.output
    assert len(mailbox.received) == 2


def test_a_message_without_an_address_fails_until_the_limit(
    engine: Engine, mailbox: Mailbox
) -> None:
    setup = add_programme(engine)
    with transaction(engine) as session:
        stranger = session.scalars(select(Person).where(Person.key == "stranger")).one()
        stranger.email = None
    apply(engine, setup.actor(engine, "stranger"), "aia-1", "I run data teams.", [], consent=False)

    for _ in range(MAX_ATTEMPTS):
        result = runner.invoke(app, ["programmes", "deliver"])
        assert "Sent 0, failed 1" in result.output, result.output
    assert "Sent 0, failed 0" in runner.invoke(app, ["programmes", "deliver"]).output
    with reading(engine) as session:
        message = session.scalars(select(OutboxMessage)).one()
        assert (message.attempts, message.sent_at) == (MAX_ATTEMPTS, None)
        assert message.last_error == "the person has no email address"
    assert mailbox.received == []


def test_an_unreachable_server_is_a_clear_refusal(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, database_url_env: str
) -> None:
    add_programme(engine)
    monkeypatch.setenv("MOBILISE_OUTBOX_SENDER", "smtp")
    monkeypatch.setenv("MOBILISE_SMTP_URL", f"smtp://127.0.0.1:{_free_port()}")
    get_settings.cache_clear()
    refused = runner.invoke(app, ["programmes", "deliver"])
    assert refused.exit_code == 2
    assert "Not delivered" in refused.output
    monkeypatch.delenv("MOBILISE_SMTP_URL")
    get_settings.cache_clear()
    missing = runner.invoke(app, ["programmes", "deliver"])
    assert missing.exit_code == 2
    assert "MOBILISE_SMTP_URL" in missing.output
