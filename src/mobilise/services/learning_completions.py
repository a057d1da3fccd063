"""Completions of learning items: recording that a person completed one (which claims each skill
it teaches, source "learning", audited) and reading them back.

Recording acts on a person, so it takes the actor and follows the rule for seeing the person
(`mobilise.services.people.visible_to`). Nothing is overwritten: a day's learning claim is only
ever raised, with a line of evidence per item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mobilise.core.framework import SkillLevel
from mobilise.core.records.layouts import EVIDENCE_LENGTH
from mobilise.services.actors import Actor, command_line_actor
from mobilise.services.audit import record_event
from mobilise.services.credential_awards import award_completed_pathways
from mobilise.services.learning import (
    LEARNING_SOURCE,
    LearningItemNotFound,
    refusal,
)
from mobilise.services.people import PersonNotFound, visible_to
from mobilise.services.profiles import today as current_day
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    LearningCompletion,
    LearningItem,
    LearningItemSkill,
    Person,
    SkillClaim,
    SkillRecord,
)


@dataclass(frozen=True)
class ClaimRecorded:
    """What a completion did to the claim of one skill it teaches."""

    claim_id: int
    skill_key: str
    level: SkillLevel
    # "created": a new claim; "raised": that day's learning claim now at a higher level;
    # "kept": that day's learning claim was at this level or above already (evidence added).
    outcome: str


@dataclass(frozen=True)
class CompletionRecorded:
    completion_id: int
    person_key: str
    item_key: str
    completed_on: date
    claims: list[ClaimRecorded]


@dataclass(frozen=True)
class CompletionView:
    item_key: str
    title: str
    provider: str
    format: str
    hours: Decimal
    completed_on: date


def record_completion(
    engine: Engine,
    actor: Actor | None,
    person_key: str,
    item_key: str,
    *,
    completed_on: date | None = None,
) -> CompletionRecorded:
    """Record that a person completed an item (today unless `completed_on`), and claim each skill
    it teaches at the level it teaches, source "learning", dated the day of completion.

    If that day already has a learning claim of the skill (another item completed the same day),
    it is raised to this item's level if lower and its evidence gains a line; never lowered.
    The same item twice on one day, or a day in the future, is InvalidInput; a person the actor
    may not see is PersonNotFound, as for a key no one has.
    """
    who = actor or command_line_actor()
    today = current_day()
    on = completed_on or today
    if on > today:
        raise refusal("completed_on", on.isoformat(), "must not be in the future")
    with transaction(engine) as session:
        person = session.scalar(select(Person).where(Person.key == person_key, visible_to(who)))
        if person is None:
            raise PersonNotFound(person_key)
        item = session.scalar(select(LearningItem).where(LearningItem.key == item_key))
        if item is None:
            raise LearningItemNotFound(item_key)
        done_before = session.scalar(
            select(LearningCompletion.id).where(
                LearningCompletion.person_id == person.id,
                LearningCompletion.item_id == item.id,
                LearningCompletion.completed_on == on,
            )
        )
        if done_before is not None:
            raise refusal(
                "item",
                item_key,
                f"is already recorded as completed by {person_key} on {on.isoformat()}",
            )
        completion = LearningCompletion(
            person_id=person.id, item_id=item.id, completed_on=on, recorded_at=datetime.now(UTC)
        )
        session.add(completion)
        session.flush()
        evidence = (
            f"Completed “{item.title}” ({item.provider}, learning item {item.key}) "
            f"on {on.isoformat()}."
        )
        claims = [
            _claim_learning(session, actor, person, skill, SkillLevel(level), on, evidence)
            for skill, level in session.execute(
                select(SkillRecord, LearningItemSkill.level)
                .join(LearningItemSkill, LearningItemSkill.skill_id == SkillRecord.id)
                .where(LearningItemSkill.item_id == item.id)
                .order_by(SkillRecord.key)
            ).all()
        ]
        record_event(
            session,
            actor,
            "learning.completed",
            entity_type="learning_completion",
            entity_key=str(completion.id),
            organisation_id=person.organisation_id,
            after={
                "person": person.key,
                "item": item.key,
                "completed_on": on,
                "claims": [
                    {"claim": c.claim_id, "skill": c.skill_key, "level": int(c.level)}
                    for c in claims
                ],
            },
        )
        award_completed_pathways(session, actor, person)
        return CompletionRecorded(completion.id, person.key, item.key, on, claims)


def _claim_learning(
    session: Session,
    actor: Actor | None,
    person: Person,
    skill: SkillRecord,
    level: SkillLevel,
    on: date,
    evidence: str,
) -> ClaimRecorded:
    claim = session.scalar(
        select(SkillClaim).where(
            SkillClaim.person_id == person.id,
            SkillClaim.skill_id == skill.id,
            SkillClaim.source == LEARNING_SOURCE,
            SkillClaim.claimed_on == on,
        )
    )
    before: dict[str, Any] | None = None
    if claim is None:
        claim = SkillClaim(
            person_id=person.id,
            skill_id=skill.id,
            level=int(level),
            source=LEARNING_SOURCE,
            status="active",
            evidence=evidence,
            claimed_on=on,
        )
        session.add(claim)
        outcome = "created"
    else:
        before = {"level": claim.level, "evidence": claim.evidence}
        outcome = "raised" if level > claim.level else "kept"
        claim.level = max(claim.level, int(level))
        if len(claim.evidence) + 1 + len(evidence) <= EVIDENCE_LENGTH:
            claim.evidence = f"{claim.evidence}\n{evidence}" if claim.evidence else evidence
    session.flush()
    record_event(
        session,
        actor,
        "claim.learning_recorded",
        entity_type="skill_claim",
        entity_key=str(claim.id),
        organisation_id=person.organisation_id,
        before=before,
        after={
            "skill": skill.id,
            "skill_key": skill.key,
            "level": claim.level,
            "source": LEARNING_SOURCE,
            "status": claim.status,
            "claimed_on": on,
            "evidence": claim.evidence,
        },
    )
    return ClaimRecorded(claim.id, skill.key, SkillLevel(claim.level), outcome)


def list_completions(engine: Engine, actor: Actor | None, person_key: str) -> list[CompletionView]:
    """What a person has completed, latest first, if the actor may see them."""
    who = actor or command_line_actor()
    with reading(engine) as session:
        person_id = session.scalar(
            select(Person.id).where(Person.key == person_key, visible_to(who))
        )
        if person_id is None:
            raise PersonNotFound(person_key)
        rows = session.execute(
            select(
                LearningItem.key,
                LearningItem.title,
                LearningItem.provider,
                LearningItem.format,
                LearningItem.hours,
                LearningCompletion.completed_on,
            )
            .join(LearningCompletion, LearningCompletion.item_id == LearningItem.id)
            .where(LearningCompletion.person_id == person_id)
            .order_by(LearningCompletion.completed_on.desc(), LearningItem.title)
        ).all()
    return [
        CompletionView(key, title, provider, item_format, Decimal(hours), on)
        for key, title, provider, item_format, hours, on in rows
    ]


def completed_item_ids(engine: Engine, person_id: int) -> frozenset[int]:
    """Ids of the items a person has completed: prerequisites a pathway need not include.

    For services that have already decided the actor may see this person."""
    with reading(engine) as session:
        return frozenset(
            session.scalars(
                select(LearningCompletion.item_id)
                .where(LearningCompletion.person_id == person_id)
                .distinct()
            )
        )
