"""The `retention` job: a worker applies the retention rules (or counts them, dry)."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from mobilise.services.jobs import JobState, enqueue_job
from mobilise.store.database import reading
from mobilise.store.models import OutboxMessage
from tests.support.personal_records import add_message_sent_long_ago
from tests.support.workers import wait_for, worker_thread
from tests.support.workforce import add_workforce


def test_a_worker_applies_the_retention_rules(engine: Engine) -> None:
    workforce = add_workforce(engine)
    add_message_sent_long_ago(engine, workforce.people["lead"])

    with worker_thread(engine):
        dry = wait_for(engine, enqueue_job(engine, "retention", {"dry_run": True}).id)
        done = wait_for(engine, enqueue_job(engine, "retention", {}).id)

    assert dry.state is JobState.succeeded, dry.error
    assert dry.result is not None
    assert dry.result["records"]["sent_messages"] == 1
    assert done.result is not None
    assert done.result["summary"].startswith("Deleted 1 records")
    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
