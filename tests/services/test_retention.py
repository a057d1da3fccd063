"""Retention: for each kind of record, one just past its limit goes and one just inside stays;
a dry run counts without deleting; applying is audited with counts only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mobilise.services.retention import RULES, apply_retention
from mobilise.settings import Settings
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    ApiToken,
    Application,
    AuditEvent,
    Cohort,
    CommunityEvent,
    EventRegistration,
    Opportunity,
    OpportunityApplication,
    OutboxMessage,
    SkillClaim,
    SkillRecord,
)
from tests.support.personal_records import Records, add_every_record
from tests.support.workforce import add_workforce

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SETTINGS = Settings(
    retention_sent_messages_days=30,
    retention_unsuccessful_applications_days=60,
    retention_unconfirmed_claims_days=90,
    retention_cancelled_registrations_days=120,
    retention_ended_tokens_days=10,
    retention_audit_days=400,
)
# Each kind's record (made by `_add`) and how a test finds it again, either side of its limit.
SIDES = {"past": timedelta(days=1), "inside": -timedelta(days=1)}


def _moment(days: int, side: str) -> datetime:
    return NOW - timedelta(days=days) - SIDES[side]


def _add(session: Session, records: Records, people: dict[str, int], side: str) -> dict[str, Any]:
    """One record of each kind at `side` of its limit; returns the ids to look for."""
    person = people["boss"] if side == "past" else people["outsider"]
    cohort = session.scalars(select(Cohort)).one()
    opportunity = session.scalars(select(Opportunity)).one()
    event = session.scalars(select(CommunityEvent)).one()
    skill = session.scalars(select(SkillRecord).order_by(SkillRecord.id.desc()).limit(1)).one()
    message = OutboxMessage(
        created_at=NOW, person_id=person, kind="note", subject=side, body="",
        sent_at=_moment(30, side),
    )  # fmt: skip
    changed = _moment(60, side)
    application = Application(
        key=f"app-{side}", cohort_id=cohort.id, person_id=person, statement="",
        state="not_selected", submitted_at=changed, updated_at=changed,
    )  # fmt: skip
    opportunity_application = OpportunityApplication(
        key=f"oa-{side}", opportunity_id=opportunity.id, person_id=person, statement="",
        state="withdrawn", preference=1, submitted_at=changed, updated_at=changed,
    )  # fmt: skip
    claim = SkillClaim(
        person_id=person, skill_id=skill.id, level=1, source="self", status="rejected",
        evidence="", claimed_on=_moment(90, side).date(),
    )  # fmt: skip
    registration = EventRegistration(
        key=f"er-{side}", event_id=event.id, person_id=person, state="cancelled",
        registered_at=NOW, updated_at=_moment(120, side),
    )  # fmt: skip
    assert records.actor.account_id is not None
    token = ApiToken(
        account_id=records.actor.account_id, name=side, prefix="p", digest=side * 8,
        scopes="", created_at=NOW, revoked_at=_moment(10, side),
    )  # fmt: skip
    audit = AuditEvent(
        occurred_at=_moment(400, side), actor_label="test", action=f"test.{side}",
        entity_type="test", entity_key=side,
    )  # fmt: skip
    made: list[Any] = [message, application, opportunity_application, claim, registration]
    made += [token, audit]
    session.add_all(made)
    session.flush()
    return {type(row).__name__: row.id for row in made}


@pytest.fixture
def placed(engine: Engine) -> dict[str, dict[str, Any]]:
    workforce = add_workforce(engine)
    records = add_every_record(engine, workforce)
    with transaction(engine) as session:
        return {side: _add(session, records, workforce.people, side) for side in SIDES}


def _present(engine: Engine, ids: dict[str, Any]) -> dict[str, bool]:
    kinds = (OutboxMessage, Application, OpportunityApplication, SkillClaim, EventRegistration)
    models = {m.__name__: m for m in (*kinds, ApiToken, AuditEvent)}
    with reading(engine) as session:
        return {name: session.get(models[name], i) is not None for name, i in ids.items()}


def test_each_kind_goes_just_past_its_limit_and_stays_just_inside(
    engine: Engine, placed: dict[str, dict[str, Any]]
) -> None:
    outcomes = apply_retention(engine, settings=SETTINGS, now=NOW)

    assert not any(_present(engine, placed["past"]).values())
    assert all(_present(engine, placed["inside"]).values())
    assert {o.kind for o in outcomes} == {r.kind for r in RULES}
    with reading(engine) as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "retention.applied")
        ).one()
        assert event.after is not None
        assert event.after["deleted"]["audit_events"] >= 1
        assert event.after["deleted"]["ended_tokens"] == 1


def test_a_dry_run_counts_and_deletes_nothing(
    engine: Engine, placed: dict[str, dict[str, Any]]
) -> None:
    outcomes = apply_retention(engine, settings=SETTINGS, now=NOW, dry_run=True)

    counts = {o.kind: o.records for o in outcomes}
    assert counts["ended_tokens"] == 1
    assert counts["cancelled_registrations"] == 1
    assert all(_present(engine, placed["past"]).values())
    with reading(engine) as session:
        done = select(AuditEvent).where(AuditEvent.action == "retention.applied")
        assert session.scalars(done).all() == []
