"""Retention: records of each kind are deleted once older than the limit their setting gives.

One rule per kind of record (docs/privacy.md says why each limit). Applying them is one
transaction: every rule's deletions and one audit event counting them (never their content), or
nothing. A dry run counts what would go and changes nothing. Run by `mobilise retention apply`
and by the `retention` background job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, delete, func, or_, select

from mobilise.services.actors import Actor
from mobilise.services.audit import record_event
from mobilise.settings import Settings, get_settings
from mobilise.store.database import transaction
from mobilise.store.models import (
    ApiToken,
    Application,
    AuditEvent,
    EventRegistration,
    OpportunityApplication,
    OutboxMessage,
    SkillClaim,
)

UNSUCCESSFUL = ("not_selected", "declined", "withdrawn")


@dataclass(frozen=True)
class RetentionRule:
    kind: str
    setting: str
    description: str
    model: Any
    # The records past the limit, given the moment the limit falls on.
    expired: Callable[[datetime], ColumnElement[bool]]


def _day(moment: datetime) -> date:
    return moment.date()


RULES: tuple[RetentionRule, ...] = (
    RetentionRule(
        "sent_messages",
        "retention_sent_messages_days",
        "notifications delivered longer ago",
        OutboxMessage,
        lambda cutoff: OutboxMessage.sent_at < cutoff,
    ),
    RetentionRule(
        "unsuccessful_applications",
        "retention_unsuccessful_applications_days",
        "cohort applications that ended without a place, last changed longer ago",
        Application,
        lambda cutoff: Application.state.in_(UNSUCCESSFUL) & (Application.updated_at < cutoff),
    ),
    RetentionRule(
        "unsuccessful_opportunity_applications",
        "retention_unsuccessful_applications_days",
        "opportunity applications that ended without a place, last changed longer ago",
        OpportunityApplication,
        lambda cutoff: (
            OpportunityApplication.state.in_(UNSUCCESSFUL)
            & (OpportunityApplication.updated_at < cutoff)
        ),
    ),
    RetentionRule(
        "unconfirmed_claims",
        "retention_unconfirmed_claims_days",
        "suggested or rejected skill claims dated longer ago",
        SkillClaim,
        lambda cutoff: (
            SkillClaim.status.in_(("suggested", "rejected"))
            & (SkillClaim.claimed_on < _day(cutoff))
        ),
    ),
    RetentionRule(
        "cancelled_registrations",
        "retention_cancelled_registrations_days",
        "event registrations cancelled longer ago",
        EventRegistration,
        lambda cutoff: (
            (EventRegistration.state == "cancelled") & (EventRegistration.updated_at < cutoff)
        ),
    ),
    RetentionRule(
        "ended_tokens",
        "retention_ended_tokens_days",
        "API tokens revoked or expired longer ago",
        ApiToken,
        lambda cutoff: or_(ApiToken.revoked_at < cutoff, ApiToken.expires_at < cutoff),
    ),
    RetentionRule(
        "audit_events",
        "retention_audit_days",
        "audit events older than this",
        AuditEvent,
        lambda cutoff: AuditEvent.occurred_at < cutoff,
    ),
)


@dataclass(frozen=True)
class RuleOutcome:
    kind: str
    description: str
    days: int
    cutoff: datetime
    records: int


def apply_retention(
    engine: Engine,
    actor: Actor | None = None,
    *,
    settings: Settings | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
) -> list[RuleOutcome]:
    """Delete (or, dry, count) the records past each rule's limit, in one transaction."""
    chosen = settings or get_settings()
    moment = now or datetime.now(UTC)
    outcomes: list[RuleOutcome] = []
    with transaction(engine) as session:
        for rule in RULES:
            days = int(getattr(chosen, rule.setting))
            cutoff = moment - timedelta(days=days)
            condition = rule.expired(cutoff)
            if dry_run:
                count = session.scalar(
                    select(func.count()).select_from(rule.model).where(condition)
                )
            else:
                result = session.execute(
                    delete(rule.model).where(condition).execution_options(synchronize_session=False)
                )
                count = result.rowcount  # type: ignore[attr-defined]
            outcomes.append(RuleOutcome(rule.kind, rule.description, days, cutoff, int(count or 0)))
        deleted = {o.kind: o.records for o in outcomes if o.records}
        if deleted and not dry_run:
            # After the audit rule ran, so that this event is never its own victim.
            record_event(
                session,
                actor,
                "retention.applied",
                entity_type="retention",
                entity_key=moment.date().isoformat(),
                after={"deleted": deleted},
            )
    return outcomes
