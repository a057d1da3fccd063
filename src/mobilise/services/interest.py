"""Register interest: "tell me when applications open" for a programme, a job family or a course.

A person registers interest in a target by its key; when a cohort opens (services/programmes.py
`open_cohort` calls `announce_opening` in its own transaction) everyone whose standing interest
matches it gets one outbox message for that cohort, however many of their interests match. A
cohort matches a programme interest by its programme, a job family interest when its eligibility
names the family (a cohort open to every family would otherwise message everyone), and a course
interest when the course is in its curriculum.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.outbox import notify
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    Cohort,
    CohortItem,
    Interest,
    JobFamilyRecord,
    LearningItem,
    Person,
    Programme,
)
from mobilise.store.models.people_beyond import INTEREST_KINDS

KIND_LABELS = {"programme": "Programme", "role_family": "Job family", "course": "Course"}


class InterestNotFound(UnknownKey):
    def __init__(self, key: str) -> None:
        super().__init__("interest", key)


@dataclass(frozen=True)
class InterestView:
    id: int
    kind: str
    target_key: str
    target_name: str
    registered_at: datetime
    notified_at: datetime | None


def _now() -> datetime:
    return datetime.now(UTC)


def _target_names(session: Session, kind: str, keys: set[str]) -> dict[str, str]:
    """The names of the targets of one kind that exist, by key."""
    if not keys:
        return {}
    if kind == "programme":
        query = select(Programme.key, Programme.name).where(Programme.key.in_(keys))
    elif kind == "role_family":
        query = select(JobFamilyRecord.key, JobFamilyRecord.name).where(
            JobFamilyRecord.key.in_(keys)
        )
    else:
        query = select(LearningItem.key, LearningItem.title).where(LearningItem.key.in_(keys))
    return {row[0]: row[1] for row in session.execute(query).all()}


def _person_of(actor: Actor) -> int:
    if actor.person_id is None:
        raise NotPermitted("only a person may register interest")
    return actor.person_id


def register_interest(engine: Engine, actor: Actor, kind: str, target_key: str) -> int:
    """The actor asks to be told when `target_key` (of `kind`) opens; returns the interest's id.
    Registering again what was withdrawn renews it; what stands already is returned as it is."""
    person_id = _person_of(actor)
    key = target_key.strip()
    source = "interest"
    if kind not in INTEREST_KINDS:
        raise InvalidInput(
            [Problem(source, None, "kind", kind, "is not one of " + ", ".join(INTEREST_KINDS))]
        )
    with transaction(engine) as session:
        if key not in _target_names(session, kind, {key}):
            raise InvalidInput(
                [Problem(source, None, "target", key, f"is not the key of any {kind}")]
            )
        interest = session.scalar(
            select(Interest).where(
                Interest.person_id == person_id,
                Interest.kind == kind,
                Interest.target_key == key,
            )
        )
        if interest is not None and interest.withdrawn_at is None:
            return interest.id
        if interest is None:
            interest = Interest(person_id=person_id, kind=kind, target_key=key)
            session.add(interest)
        interest.registered_at = _now()
        interest.withdrawn_at = None
        session.flush()
        record_event(
            session,
            actor,
            "interest.registered",
            entity_type="interest",
            entity_key=str(interest.id),
            organisation_id=actor.organisation_id,
            after={"kind": kind, "target": key},
        )
        return interest.id


def withdraw_interest(engine: Engine, actor: Actor, interest_id: int) -> None:
    """Stop being told; only one's own interest (anyone else's is InterestNotFound)."""
    person_id = _person_of(actor)
    with transaction(engine) as session:
        interest = session.get(Interest, interest_id)
        if interest is None or interest.person_id != person_id or interest.withdrawn_at:
            raise InterestNotFound(str(interest_id))
        interest.withdrawn_at = _now()
        record_event(
            session,
            actor,
            "interest.withdrawn",
            entity_type="interest",
            entity_key=str(interest.id),
            organisation_id=actor.organisation_id,
            before={"kind": interest.kind, "target": interest.target_key},
        )


def my_interests(engine: Engine, actor: Actor) -> list[InterestView]:
    """The actor's standing interests, newest first."""
    person_id = _person_of(actor)
    with reading(engine) as session:
        rows = session.scalars(
            select(Interest)
            .where(Interest.person_id == person_id, Interest.withdrawn_at.is_(None))
            .order_by(Interest.registered_at.desc(), Interest.id.desc())
        ).all()
        names: dict[tuple[str, str], str] = {}
        for kind in INTEREST_KINDS:
            keys = {row.target_key for row in rows if row.kind == kind}
            for key, name in _target_names(session, kind, keys).items():
                names[(kind, key)] = name
        return [
            InterestView(
                id=row.id,
                kind=row.kind,
                target_key=row.target_key,
                target_name=names.get((row.kind, row.target_key), row.target_key),
                registered_at=row.registered_at,
                notified_at=row.notified_at,
            )
            for row in rows
        ]


def interest_choices(engine: Engine) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The programmes and job families one may register interest in: (key, name), by name."""
    with reading(engine) as session:
        programmes = session.execute(
            select(Programme.key, Programme.name).order_by(Programme.name)
        ).all()
        families = session.execute(
            select(JobFamilyRecord.key, func.min(JobFamilyRecord.name))
            .group_by(JobFamilyRecord.key)
            .order_by(func.min(JobFamilyRecord.name))
        ).all()
    return [(k, n) for k, n in programmes], [(k, n) for k, n in families]


def announce_opening(session: Session, cohort: Cohort, programme: Programme) -> int:
    """Tell everyone whose interest the newly opened cohort matches, in the opening's own
    transaction; returns how many people were told."""
    families = json.loads(cohort.eligibility).get("families") or []
    courses = session.scalars(
        select(LearningItem.key)
        .join(CohortItem, CohortItem.item_id == LearningItem.id)
        .where(CohortItem.cohort_id == cohort.id)
    ).all()
    matches = [(Interest.kind == "programme") & (Interest.target_key == programme.key)]
    if families:
        matches.append((Interest.kind == "role_family") & Interest.target_key.in_(families))
    if courses:
        matches.append((Interest.kind == "course") & Interest.target_key.in_(courses))
    interests = session.scalars(
        select(Interest).where(Interest.withdrawn_at.is_(None), or_(*matches))
    ).all()
    moment = _now()
    people: set[int] = set()
    for interest in interests:
        interest.notified_at = moment
        people.add(interest.person_id)
    closes = cohort.applications_close_on
    for person in session.scalars(select(Person).where(Person.id.in_(people))).all():
        notify(
            session,
            person,
            "interest.cohort_opened",
            f"Applications are open: {cohort.name}",
            f"{programme.name} has opened {cohort.name} (from {cohort.starts_on:%-d %B %Y})."
            + (f" Apply by {closes:%-d %B %Y}." if closes else "")
            + " You asked to be told. You can stop these messages on your interests page.",
            link=f"/cohorts/{cohort.key}",
        )
    return len(people)
