"""Changing skill claims: a person's self-assessment and answers to suggestions, and a manager's
validation (approve, adjust the level, or reject with a reason).

Nothing is overwritten: a new assessment is a new claim (dated), a manager's judgement is a claim of
source "manager" beside the person's own, and every change is in the audit log with what it was
before. Only the person may assess themselves or answer suggestions; only a manager above them in
the reporting line may validate their claims (DESIGN.md, "Who sees a profile").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import Session, aliased

from mobilise.core.framework import SkillLevel
from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor, Role
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.people import framework_version_of, reports_of, visible_person
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    Person,
    SkillClaim,
    SkillRecord,
)

MAX_EVIDENCE = 5000
MAX_LINK = 2000
MAX_REASON = 1000
DECISION_EVENTS = {
    "approve": "claim.approved",
    "adjust": "claim.adjusted",
    "reject": "claim.rejected",
}


class ClaimNotFound(LookupError):
    """No claim with this id that the actor may act on."""


@dataclass(frozen=True)
class QueuedClaim:
    claim_id: int
    person_key: str
    person_name: str
    skill_key: str
    skill_name: str
    level: SkillLevel
    evidence: str
    claimed_on: date


def _today() -> date:
    return datetime.now(UTC).date()


def _level(value: int | str, column: str = "level") -> SkillLevel:
    try:
        return SkillLevel(int(value))
    except (TypeError, ValueError):
        raise InvalidInput(
            [Problem("claim", None, column, str(value), "must be a level from 1 (awareness) to 4")]
        ) from None


def _evidence(text: str, link: str | None) -> str:
    problems = []
    text = text.strip()
    if len(text) > MAX_EVIDENCE:
        problems.append(
            Problem(
                "claim", None, "evidence", text[:40] + "…", f"is over {MAX_EVIDENCE} characters"
            )
        )
    link = (link or "").strip()
    if link and (
        not link.startswith("https://") or len(link) > MAX_LINK or any(c.isspace() for c in link)
    ):
        problems.append(Problem("claim", None, "link", link[:80], "must be one https:// address"))
    if problems:
        raise InvalidInput(problems)
    # The link is kept on its own last line, where pages show it as a link.
    return text + ("\n" + link if link else "")


def _skill_for(session: Session, person: Person, skill_key: str) -> SkillRecord:
    """The skill of that key in the person's framework version (their role level's, else the
    default version)."""
    version_id = framework_version_of(session, person)
    skill = session.scalar(
        select(SkillRecord).where(
            SkillRecord.framework_version_id == version_id, SkillRecord.key == skill_key
        )
    )
    if skill is None:
        raise InvalidInput(
            [Problem("claim", None, "skill", skill_key, "is not a skill of the person's framework")]
        )
    return skill


def _claim_of_the_day(
    session: Session, person_id: int, skill_id: int, source: str, on: date
) -> SkillClaim | None:
    """The claim of this source that day: claims are unique per person, skill, source and day."""
    return session.scalar(
        select(SkillClaim).where(
            SkillClaim.person_id == person_id,
            SkillClaim.skill_id == skill_id,
            SkillClaim.source == source,
            SkillClaim.claimed_on == on,
        )
    )


def _claim_facts(claim: SkillClaim) -> dict[str, object]:
    return {
        "skill": claim.skill_id,
        "level": claim.level,
        "source": claim.source,
        "status": claim.status,
        "claimed_on": claim.claimed_on,
    }


def assess_own_skill(
    engine: Engine,
    actor: Actor,
    skill_key: str,
    level: int | str,
    evidence: str = "",
    link: str | None = None,
) -> int:
    """The actor's own claim of a skill at a level, dated today; returns the claim's id.

    A second assessment of the same skill on the same day replaces that day's (the earlier is kept
    in the audit log); assessments on other days stay as they were.
    """
    if actor.person_key is None:
        raise NotPermitted("only people in an organisation's records have a skill profile")
    chosen = _level(level)
    text = _evidence(evidence, link)
    today = _today()
    with transaction(engine) as session:
        person = visible_person(session, actor, actor.person_key)
        skill = _skill_for(session, person, skill_key.strip())
        claim = _claim_of_the_day(session, person.id, skill.id, "self", today)
        before = None if claim is None else {**_claim_facts(claim), "evidence": claim.evidence}
        if claim is None:
            claim = SkillClaim(
                person_id=person.id,
                skill_id=skill.id,
                source="self",
                claimed_on=today,
                level=int(chosen),
                status="active",
                evidence=text,
            )
            session.add(claim)
        else:
            claim.level, claim.evidence, claim.status = int(chosen), text, "active"
            claim.validated_by_id = None  # a changed claim needs validating again
        session.flush()
        record_event(
            session,
            actor,
            "claim.self_assessed",
            entity_type="skill_claim",
            entity_key=str(claim.id),
            organisation_id=person.organisation_id,
            before=before,
            after={**_claim_facts(claim), "skill_key": skill.key, "evidence": text},
        )
        return claim.id


def answer_suggestion(engine: Engine, actor: Actor, claim_id: int, accept: bool) -> None:
    """The person confirms (it counts from now on) or rejects a skill suggested for them."""
    with transaction(engine) as session:
        claim = session.get(SkillClaim, claim_id)
        if claim is None or actor.person_id is None or claim.person_id != actor.person_id:
            raise ClaimNotFound(claim_id)
        if claim.status != "suggested":
            raise InvalidInput(
                [
                    Problem(
                        "claim", None, "status", claim.status, "only a suggestion can be answered"
                    )
                ]
            )
        before = _claim_facts(claim)
        claim.status = "active" if accept else "rejected"
        person = session.get(Person, claim.person_id)
        record_event(
            session,
            actor,
            "claim.suggestion_confirmed" if accept else "claim.suggestion_rejected",
            entity_type="skill_claim",
            entity_key=str(claim.id),
            organisation_id=None if person is None else person.organisation_id,
            before=before,
            after=_claim_facts(claim),
        )


def _queue_query(actor: Actor) -> Select[*tuple[Any, ...]]:
    if actor.person_id is None or not actor.has(Role.LINE_MANAGER):
        raise NotPermitted("the validation queue is for line managers")
    line = reports_of(actor.person_id)
    owner = aliased(Person)
    return (
        select(
            SkillClaim.id,
            owner.key,
            owner.display_name,
            SkillRecord.key,
            SkillRecord.name,
            SkillClaim.level,
            SkillClaim.evidence,
            SkillClaim.claimed_on,
        )
        .join(owner, owner.id == SkillClaim.person_id)
        .join(SkillRecord, SkillRecord.id == SkillClaim.skill_id)
        .where(
            SkillClaim.person_id.in_(select(line.c.id)),
            SkillClaim.source == "self",
            SkillClaim.status == "active",
            SkillClaim.validated_by_id.is_(None),
        )
    )


def validation_queue(
    engine: Engine, actor: Actor, *, limit: int = 50, offset: int = 0
) -> tuple[list[QueuedClaim], int]:
    """Self-assessed claims of the manager's reporting line awaiting validation, oldest first."""
    query = _queue_query(actor)
    with reading(engine) as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.execute(
            query.order_by(SkillClaim.claimed_on, SkillClaim.id).limit(limit).offset(offset)
        ).all()
    return [
        QueuedClaim(row[0], row[1], row[2], row[3], row[4], SkillLevel(row[5]), row[6], row[7])
        for row in rows
    ], total


def validate_claim(
    engine: Engine,
    actor: Actor,
    claim_id: int,
    decision: str,
    *,
    level: int | str | None = None,
    reason: str = "",
) -> None:
    """A manager's judgement on a self-assessed claim of someone in their reporting line.

    `approve` and `adjust` add a claim of source "manager" (at the claimed or the adjusted level)
    and mark the self-assessment validated; `reject` marks it rejected, with the reason (required)
    in the audit log.
    """
    if decision not in DECISION_EVENTS:
        raise InvalidInput(
            [Problem("validation", None, "decision", decision, "must be approve, adjust or reject")]
        )
    reason = reason.strip()
    if decision == "reject" and not reason:
        raise InvalidInput(
            [Problem("validation", None, "reason", "", "a rejection needs a reason")]
        )
    if len(reason) > MAX_REASON:
        raise InvalidInput(
            [
                Problem(
                    "validation",
                    None,
                    "reason",
                    reason[:40] + "…",
                    f"is over {MAX_REASON} characters",
                )
            ]
        )
    if decision == "adjust" and level is None:
        raise InvalidInput([Problem("validation", None, "level", "", "adjust needs a level")])
    adjusted = _level(level) if decision == "adjust" and level is not None else None
    query = _queue_query(actor)
    with transaction(engine) as session:
        queued = session.execute(query.where(SkillClaim.id == claim_id)).first()
        if queued is None:
            raise ClaimNotFound(claim_id)
        claim = session.get(SkillClaim, claim_id)
        assert claim is not None
        person = session.get(Person, claim.person_id)
        assert person is not None
        before = _claim_facts(claim)
        after: dict[str, object]
        if decision == "reject":
            claim.status = "rejected"
            claim.validated_by_id = actor.person_id
            after = {**_claim_facts(claim), "reason": reason}
        else:
            chosen = adjusted or SkillLevel(claim.level)
            claim.validated_by_id = actor.person_id
            today = _today()
            judgement = _claim_of_the_day(
                session, claim.person_id, claim.skill_id, "manager", today
            )
            if judgement is None:
                judgement = SkillClaim(
                    person_id=claim.person_id,
                    skill_id=claim.skill_id,
                    source="manager",
                    claimed_on=today,
                    level=int(chosen),
                    status="active",
                    evidence=reason or "Validated by their line manager.",
                    validated_by_id=actor.person_id,
                )
                session.add(judgement)
            else:
                judgement.level, judgement.status = int(chosen), "active"
            session.flush()
            after = {"manager_claim": judgement.id, "level": int(chosen), "reason": reason}
        record_event(
            session,
            actor,
            DECISION_EVENTS[decision],
            entity_type="skill_claim",
            entity_key=str(claim_id),
            organisation_id=person.organisation_id,
            before=before,
            after=after,
        )
