"""Mentoring: people offer to mentor (the skills they mentor in, how many mentees at a time, when
they are available) and ask for a mentor (the skills they want to grow, their goals, and whether a
mentor in another organisation may see their request: the share grant). Rounds match them
(services/mentoring_rounds.py); either side may end a mentoring, which is audited and tells the
other.

A mentor sees their mentees' names, goals and asked-for skills; a mentee their mentor's name and
the skills they mentor in. Nothing else of either profile is shown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from mobilise.core.communities import MentoringAction, MentoringState, next_mentoring_state
from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.communities import unknown_skill_problems
from mobilise.services.outbox import notify
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    MenteeRequest,
    Mentoring,
    MentorOffer,
    Person,
    SkillRecord,
)

MAX_SKILLS = 10
MAX_MENTEES = 10


class MentoringNotFound(UnknownKey):
    def __init__(self, key: str) -> None:
        super().__init__("mentoring", key)


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class OfferView:
    skills: list[str]  # names
    skill_keys: list[str]
    capacity: int
    availability: str


@dataclass(frozen=True)
class RequestView:
    skills: list[str]  # names
    skill_keys: list[str]
    goals: str
    share_across_organisations: bool
    open: bool


@dataclass(frozen=True)
class MentoringView:
    key: str
    role: str  # "mentor" or "mentee": the reader's side
    other: str  # the other person's name
    state: MentoringState
    fit: float
    explanation: str
    goals: str  # the mentee's goals
    started_at: datetime
    ended_at: datetime | None
    end_reason: str


@dataclass(frozen=True)
class MentoringPage:
    offer: OfferView | None
    request: RequestView | None
    mentorings: list[MentoringView]


def _person(actor: Actor) -> int:
    if actor.person_id is None:
        raise NotPermitted("only people with a profile mentor or ask for a mentor")
    return actor.person_id


def _skills_problems(session: Session, source: str, skills: Sequence[str]) -> list[Problem]:
    if not 1 <= len(skills) <= MAX_SKILLS or len(set(skills)) != len(skills):
        rule = f"name 1-{MAX_SKILLS} different framework skills"
        return [Problem(source, None, "skills", ", ".join(skills), rule)]
    return unknown_skill_problems(session, source, list(skills))


def offer_to_mentor(
    engine: Engine, actor: Actor, skills: Sequence[str], capacity: int, availability: str = ""
) -> None:
    """Offer (or change the offer) to mentor; capacity 0 pauses it."""
    person_id = _person(actor)
    source = "mentor offer"
    with transaction(engine) as session:
        problems = _skills_problems(session, source, skills)
        if not 0 <= capacity <= MAX_MENTEES:
            rule = f"must be 0-{MAX_MENTEES}"
            problems.append(Problem(source, None, "capacity", str(capacity), rule))
        if len(availability) > 500:
            problems.append(Problem(source, None, "availability", availability, "too long"))
        if problems:
            raise InvalidInput(problems)
        offer = session.get(MentorOffer, person_id)
        before = None if offer is None else {"skills": json.loads(offer.skills)}
        if offer is None:
            offer = MentorOffer(person_id=person_id)
            session.add(offer)
        offer.skills = json.dumps(list(skills))
        offer.capacity = capacity
        offer.availability = availability.strip()
        offer.updated_at = now()
        record_event(
            session,
            actor,
            "mentor_offer.saved",
            entity_type="mentor_offer",
            entity_key=actor.person_key or str(person_id),
            organisation_id=actor.organisation_id,
            before=before,
            after={"skills": list(skills), "capacity": capacity},
        )


def ask_for_mentor(
    engine: Engine,
    actor: Actor,
    skills: Sequence[str],
    goals: str,
    *,
    share_across_organisations: bool = False,
) -> None:
    """Ask (or change the request) for a mentor; it is open for the next round."""
    person_id = _person(actor)
    source = "mentor request"
    with transaction(engine) as session:
        problems = _skills_problems(session, source, skills)
        if not goals.strip() or len(goals) > 2000:
            problems.append(Problem(source, None, "goals", goals, "must be 1-2,000 characters"))
        if problems:
            raise InvalidInput(problems)
        request = session.get(MenteeRequest, person_id)
        if request is None:
            request = MenteeRequest(person_id=person_id)
            session.add(request)
        request.skills = json.dumps(list(skills))
        request.goals = goals.strip()
        request.share_across_organisations = share_across_organisations
        request.share_granted_at = now() if share_across_organisations else None
        request.open = True
        request.updated_at = now()
        record_event(
            session,
            actor,
            "mentee_request.saved",
            entity_type="mentee_request",
            entity_key=actor.person_key or str(person_id),
            organisation_id=actor.organisation_id,
            after={
                "skills": list(skills),
                "share_across_organisations": share_across_organisations,
            },
        )


def _names(session: Session, keys: list[str]) -> list[str]:
    named = dict(
        session.execute(
            select(SkillRecord.key, SkillRecord.name).where(SkillRecord.key.in_(keys))
        ).all()
    )
    return [named.get(k, k) for k in keys]


def my_mentoring(engine: Engine, actor: Actor) -> MentoringPage:
    if actor.person_id is None:
        return MentoringPage(None, None, [])
    with reading(engine) as session:
        offer = session.get(MentorOffer, actor.person_id)
        request = session.get(MenteeRequest, actor.person_id)
        rows = session.scalars(
            select(Mentoring)
            .where(
                or_(Mentoring.mentor_id == actor.person_id, Mentoring.mentee_id == actor.person_id)
            )
            .order_by(Mentoring.started_at.desc(), Mentoring.id.desc())
        )
        views = []
        for m in rows:
            mentor = m.mentor_id == actor.person_id
            other = session.get(Person, m.mentee_id if mentor else m.mentor_id)
            theirs = session.get(MenteeRequest, m.mentee_id)
            views.append(
                MentoringView(
                    key=m.key,
                    role="mentor" if mentor else "mentee",
                    other=other.display_name if other else "",
                    state=MentoringState(m.state),
                    fit=m.fit,
                    explanation=m.explanation,
                    goals=theirs.goals if theirs else "",
                    started_at=_utc(m.started_at),
                    ended_at=_utc(m.ended_at) if m.ended_at else None,
                    end_reason=m.end_reason,
                )
            )
        return MentoringPage(
            OfferView(
                _names(session, json.loads(offer.skills)),
                json.loads(offer.skills),
                offer.capacity,
                offer.availability,
            )
            if offer
            else None,
            RequestView(
                _names(session, json.loads(request.skills)),
                json.loads(request.skills),
                request.goals,
                request.share_across_organisations,
                request.open,
            )
            if request
            else None,
            views,
        )


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def end_mentoring(engine: Engine, actor: Actor, key: str, reason: str = "") -> None:
    """Either side ends the mentoring; the other is told, and the mentor's place is free again."""
    if len(reason) > 1000:
        raise InvalidInput([Problem(f"mentoring {key}", None, "reason", reason, "too long")])
    with transaction(engine) as session:
        mentoring = session.scalar(select(Mentoring).where(Mentoring.key == key))
        if mentoring is None:
            raise MentoringNotFound(key)
        sides = (mentoring.mentor_id, mentoring.mentee_id)
        if actor.person_id not in sides and not actor.is_operator:
            raise MentoringNotFound(key)  # as for a key nobody has
        before = MentoringState(mentoring.state)
        after = next_mentoring_state(before, MentoringAction.END, subject=f"mentoring {key}")
        mentoring.state = after.value
        mentoring.ended_at = now()
        mentoring.end_reason = reason.strip()
        record_event(
            session,
            actor,
            "mentoring.ended",
            entity_type="mentoring",
            entity_key=key,
            before={"state": before.value},
            after={"state": after.value, "reason": reason.strip()},
        )
        for side in sides:
            person = session.get(Person, side)
            if person is None or side == actor.person_id:
                continue
            notify(
                session,
                person,
                "mentoring.ended",
                "Your mentoring has ended",
                f"{actor.display_name} ended the mentoring. {reason.strip()}".strip(),
                "/mentoring",
            )
