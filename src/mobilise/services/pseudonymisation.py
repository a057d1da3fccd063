"""Carrying out an erasure inside the caller's transaction: what is deleted, what is kept under a
pseudonym, and the scrub of the person's name and email from every text column.

Kept for legal reasons, under the pseudonym: the person row itself (so that positions, decided
applications, allocation results and score sheets still add up), decided applications (their
statement, reasons and share grant cleared), their steps (reasons cleared), attendance, the
audit log, the closed account. Everything else naming the person is deleted. Then every text
and JSON column of every table is searched for the person's name and email addresses and each
occurrence replaced with the pseudonym (other people's names are never touched: the identity
columns of other people's person and account rows are left out of the search, and so is the
framework's reference data).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    String,
    Table,
    Text,
    cast,
    delete,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from mobilise.store.models import (
    Account,
    AllocationRunRecord,
    ApiToken,
    Application,
    ApplicationTransition,
    AuditEvent,
    Base,
    CommunityMembership,
    Credential,
    EventRegistration,
    FollowedPathway,
    HackathonJudge,
    HackathonParticipant,
    Interest,
    LearningCompletion,
    MenteeRequest,
    Mentoring,
    MentorOffer,
    OpportunityApplication,
    OpportunityApplicationTransition,
    OutboxMessage,
    PanelMember,
    PanelScore,
    Person,
    ProjectSearchOptIn,
    RoleGrant,
    SavedOpportunity,
    SensitiveAttributes,
    SkillClaim,
)

# An application still open when its applicant is erased is withdrawn by deletion; one past a
# decision is a record of that decision and is kept, pseudonymised.
OPEN_APPLICATION_STATES = ("awaiting_release", "released")
# Other people's names and addresses live here; the scrub must not rewrite a namesake's.
IDENTITY_COLUMNS = {
    ("person", "display_name"),
    ("person", "email"),
    ("account", "display_name"),
    ("account", "email"),
}
SHORTEST_NEEDLE = 3
# Reference data no person writes into: a name that is also a word of the framework ("Lead")
# must not rewrite its roles and skills.
REFERENCE_TABLES = frozenset(
    {
        "framework_version",
        "skill_level",
        "job_family",
        "role",
        "role_level",
        "skill",
        "role_level_skill",
        "role_skill",
    }
)


def new_pseudonym() -> str:
    """Random, so nothing about the person can be derived from it; stable once stored."""
    return f"erased-{secrets.token_hex(8)}"


@dataclass
class ErasureCounts:
    deleted: dict[str, int] = field(default_factory=dict)
    pseudonymised: dict[str, int] = field(default_factory=dict)
    scrubbed: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, dict[str, int]]:
        def nonzero(counts: dict[str, int]) -> dict[str, int]:
            return {name: n for name, n in sorted(counts.items()) if n}

        return {
            "deleted": nonzero(self.deleted),
            "pseudonymised": nonzero(self.pseudonymised),
            "scrubbed": nonzero(self.scrubbed),
        }


def _delete(session: Session, counts: ErasureCounts, model: Any, *where: Any) -> None:
    result = session.execute(
        delete(model).where(*where).execution_options(synchronize_session=False)
    )
    table: str = model.__tablename__
    counts.deleted[table] = counts.deleted.get(table, 0) + int(result.rowcount or 0)  # type: ignore[attr-defined]


def _needles(session: Session, person: Person) -> list[str]:
    """The strings that identify the person: their name and every email address on record."""
    found = {person.display_name, person.email or ""}
    for name, email in session.execute(
        select(Account.display_name, Account.email).where(Account.person_id == person.id)
    ):
        found.update((name, email or ""))
    found.update({value.lower() for value in found if "@" in value})
    return sorted((n for n in found if len(n.strip()) >= SHORTEST_NEEDLE), key=len, reverse=True)


def _delete_the_rest(session: Session, person_id: int, counts: ErasureCounts) -> None:
    for model, column in (
        (SkillClaim, SkillClaim.person_id),  # its inferred evidence goes with it (cascade)
        (SensitiveAttributes, SensitiveAttributes.person_id),
        (OutboxMessage, OutboxMessage.person_id),
        (SavedOpportunity, SavedOpportunity.person_id),
        (CommunityMembership, CommunityMembership.person_id),
        (EventRegistration, EventRegistration.person_id),
        (MentorOffer, MentorOffer.person_id),
        (MenteeRequest, MenteeRequest.person_id),
        (FollowedPathway, FollowedPathway.person_id),
        (Credential, Credential.person_id),
        (LearningCompletion, LearningCompletion.person_id),
        (ProjectSearchOptIn, ProjectSearchOptIn.person_id),
        (Interest, Interest.person_id),
        (HackathonParticipant, HackathonParticipant.person_id),
        (HackathonJudge, HackathonJudge.person_id),
        (PanelMember, PanelMember.person_id),
    ):
        _delete(session, counts, model, column == person_id)
    _delete(
        session,
        counts,
        Mentoring,
        or_(Mentoring.mentor_id == person_id, Mentoring.mentee_id == person_id),
    )
    for application in (Application, OpportunityApplication):
        _delete(
            session,
            counts,
            application,
            application.person_id == person_id,
            application.state.in_(OPEN_APPLICATION_STATES),
        )


def _pseudonymise_applications(session: Session, person_id: int, counts: ErasureCounts) -> None:
    for model, steps in (
        (Application, ApplicationTransition),
        (OpportunityApplication, OpportunityApplicationTransition),
    ):
        ids = select(model.id).where(model.person_id == person_id).scalar_subquery()
        kept = session.execute(
            update(model)
            .where(model.person_id == person_id)
            .values(statement="", reason="", shared_parts="")
            .execution_options(synchronize_session=False)
        )
        counts.pseudonymised[model.__tablename__] = int(kept.rowcount or 0)  # type: ignore[attr-defined]
        session.execute(
            update(steps)
            .where(steps.application_id.in_(ids))
            .values(reason="")
            .execution_options(synchronize_session=False)
        )
        if model is Application:
            session.execute(
                update(PanelScore)
                .where(PanelScore.application_id.in_(ids))
                .values(comment="")
                .execution_options(synchronize_session=False)
            )


def _close_accounts(
    session: Session, person_id: int, pseudonym: str, now: datetime, counts: ErasureCounts
) -> None:
    account_ids = select(Account.id).where(Account.person_id == person_id).scalar_subquery()
    _delete(session, counts, RoleGrant, RoleGrant.account_id.in_(account_ids))
    _delete(session, counts, ApiToken, ApiToken.account_id.in_(account_ids))
    for (account_id,) in session.execute(select(Account.id).where(Account.person_id == person_id)):
        session.execute(
            update(Account)
            .where(Account.id == account_id)
            .values(
                email=None,
                display_name=pseudonym,
                subject=f"{pseudonym}-{account_id}",
                disabled_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        counts.pseudonymised["account"] = counts.pseudonymised.get("account", 0) + 1


def _replace_in(value: Any, needles: list[str], key: str, pseudonym: str) -> Any:
    """A JSON value with every needle inside a string, and any string equal to the person's
    key, replaced with the pseudonym."""
    if isinstance(value, str):
        if value == key:
            return pseudonym
        for needle in needles:
            value = value.replace(needle, pseudonym)
        return value
    if isinstance(value, list):
        return [_replace_in(v, needles, key, pseudonym) for v in value]
    if isinstance(value, dict):
        return {k: _replace_in(v, needles, key, pseudonym) for k, v in value.items()}
    return value


def _like(needle: str) -> str:
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _scrub_json(
    session: Session, table: Table, column: Any, needles: list[str], key: str, pseudonym: str
) -> int:
    primary = list(table.primary_key.columns)
    # JSON is stored with non-ASCII escaped; look for the escaped spelling too.
    spellings = {s for n in needles for s in (n, json.dumps(n)[1:-1])} | {json.dumps(key)}
    as_text = cast(column, Text)
    matches = or_(*(as_text.like(_like(s), escape="\\") for s in spellings))
    changed = 0
    for row in session.execute(select(*primary, column).where(matches)).all():
        *ids, value = row
        replaced = _replace_in(value, needles, key, pseudonym)
        if replaced != value:
            session.execute(
                update(table)
                .where(*(c == i for c, i in zip(primary, ids, strict=True)))
                .values({column.name: replaced})
            )
            changed += 1
    return changed


def _scrub_text(
    session: Session, table: Table, column: Any, needles: list[str], pseudonym: str
) -> int:
    changed = 0
    for needle in needles:
        result = session.execute(
            update(table)
            .where(column.like(_like(needle), escape="\\"))
            .values({column.name: _replaced(column, needle, pseudonym)})
        )
        changed += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return changed


def _replaced(column: Any, needle: str, pseudonym: str) -> Any:
    return func.replace(column, literal(needle), literal(pseudonym))


def scrub_everywhere(
    session: Session, needles: list[str], key: str, pseudonym: str, counts: ErasureCounts
) -> None:
    """Replace the person's name and addresses in every text and JSON column of the store."""
    for table in Base.metadata.sorted_tables:
        if table.name in REFERENCE_TABLES:
            continue
        for column in table.columns:
            if (table.name, column.name) in IDENTITY_COLUMNS or column.primary_key:
                continue
            if isinstance(column.type, JSON):
                n = _scrub_json(session, table, column, needles, key, pseudonym)
            elif isinstance(column.type, String):  # Text is a String
                n = _scrub_text(session, table, column, needles, pseudonym)
            else:
                continue
            if n:
                name = f"{table.name}.{column.name}"
                counts.scrubbed[name] = counts.scrubbed.get(name, 0) + n


def _replace_key(session: Session, key: str, pseudonym: str) -> None:
    """The person's key, where records kept for legal reasons name people by key."""
    session.execute(
        update(AuditEvent)
        .where(AuditEvent.entity_key == key)
        .values(entity_key=pseudonym)
        .execution_options(synchronize_session=False)
    )
    quoted, replacement = json.dumps(key), json.dumps(pseudonym)
    for column in (AllocationRunRecord.problem, AllocationRunRecord.result):
        session.execute(
            update(AllocationRunRecord)
            .where(column.like(_like(quoted), escape="\\"))
            .values({column.name: _replaced(column, quoted, replacement)})
            .execution_options(synchronize_session=False)
        )


def erase_person(session: Session, person: Person, pseudonym: str) -> ErasureCounts:
    """Erase `person` within the caller's transaction (the caller audits and commits)."""
    counts = ErasureCounts()
    now = datetime.now(UTC)
    needles, key = _needles(session, person), person.key
    _delete_the_rest(session, person.id, counts)
    _pseudonymise_applications(session, person.id, counts)
    _close_accounts(session, person.id, pseudonym, now, counts)
    session.execute(
        update(Person)
        .where(Person.id == person.id)
        .values(key=pseudonym, display_name=pseudonym, email=None, manager_id=None)
        .execution_options(synchronize_session=False)
    )
    counts.pseudonymised["person"] = 1
    _replace_key(session, key, pseudonym)
    scrub_everywhere(session, needles, key, pseudonym, counts)
    session.expire_all()
    return counts
