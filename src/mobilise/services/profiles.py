"""Profiles as people and their managers see them: derived from claims by the core's precedence
rules (docs/profiles.md), with the evidence of the claim that counts for each skill."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mobilise.core.framework import SkillLevel
from mobilise.core.profiles.precedence import ClaimFact, Profile, derive_profile
from mobilise.services.actors import Actor
from mobilise.services.people import PersonView, get_person
from mobilise.store.models import SkillClaim


@dataclass(frozen=True)
class ProfileSkill:
    skill_key: str
    skill_name: str
    level: SkillLevel
    source: str
    confidence: str
    claimed_on: date
    evidence: str


@dataclass(frozen=True)
class Suggestion:
    claim_id: int
    skill_key: str
    skill_name: str
    level: SkillLevel
    evidence: str
    claimed_on: date


@dataclass(frozen=True)
class ProfileView:
    person_key: str
    display_name: str
    skills: list[ProfileSkill]
    suggestions: list[Suggestion]


def today() -> date:
    return datetime.now(UTC).date()


def claim_facts(session: Session, person_ids: list[int]) -> dict[int, list[ClaimFact]]:
    """Every claim of these people, as the core reads them, by person id."""
    facts: dict[int, list[ClaimFact]] = {pid: [] for pid in person_ids}
    rows = session.execute(
        select(
            SkillClaim.person_id,
            SkillClaim.id,
            SkillClaim.skill_id,
            SkillClaim.level,
            SkillClaim.source,
            SkillClaim.status,
            SkillClaim.claimed_on,
            SkillClaim.expires_on,
            SkillClaim.validated_by_id,
        ).where(SkillClaim.person_id.in_(person_ids))
    )
    for person_id, claim_id, skill, level, source, status, on, expires, validator in rows:
        facts[person_id].append(
            _fact(claim_id, skill, level, source, status, on, expires, validator is not None)
        )
    return facts


def _fact(
    claim_id: int,
    skill_id: int,
    level: int,
    source: str,
    status: str,
    claimed_on: date,
    expires_on: date | None,
    has_validator: bool,
) -> ClaimFact:
    # A validator makes a self claim "validated"; other sources carry their own confidence.
    return ClaimFact(
        skill_id=skill_id,
        level=level,
        source=source,
        status=status,
        claimed_on=claimed_on,
        expires_on=expires_on,
        validated=has_validator and source == "self",
        claim_id=claim_id,
    )


def profile_for(session: Session, person_id: int, on: date | None = None) -> Profile:
    return derive_profile(claim_facts(session, [person_id])[person_id], on or today())


def profile_of(engine: Engine, actor: Actor, key: str) -> ProfileView:
    """A person's profile (one line per skill: the claim that counts) and their suggestions."""
    return profile_from_claims(get_person(engine, actor, key))


def profile_from_claims(view: PersonView, on: date | None = None) -> ProfileView:
    """The profile of a person record already read (`people.get_person`), from its claims, with
    no second trip to the store: the person page reads both."""
    by_id = {claim.id: claim for claim in view.claims}
    profile = derive_profile(
        [
            _fact(
                c.id,
                c.skill_id,
                int(c.level),
                c.source,
                c.status,
                c.claimed_on,
                c.expires_on,
                c.validated_by is not None,
            )
            for c in view.claims
        ],
        on or today(),
    )
    skills = sorted(
        (
            ProfileSkill(
                skill_key=by_id[e.claim_id].skill_key,
                skill_name=by_id[e.claim_id].skill_name,
                level=SkillLevel(e.level),
                source=e.source,
                confidence=e.confidence,
                claimed_on=e.claimed_on,
                evidence=by_id[e.claim_id].evidence,
            )
            for e in profile.entries
            if e.claim_id in by_id
        ),
        key=lambda s: s.skill_name,
    )
    suggestions = [
        Suggestion(
            claim_id=s.claim_id,
            skill_key=by_id[s.claim_id].skill_key,
            skill_name=by_id[s.claim_id].skill_name,
            level=SkillLevel(s.level),
            evidence=by_id[s.claim_id].evidence,
            claimed_on=s.claimed_on,
        )
        for s in profile.suggestions
        if s.claim_id is not None and s.claim_id in by_id
    ]
    return ProfileView(view.summary.key, view.summary.display_name, skills, suggestions)
