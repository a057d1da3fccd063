"""Training providers: the organisation a cohort's terms name as its provider delivers it.

Its programme admins (the provider's staff who run cohorts) see the cohorts they deliver and,
for each participant, their name and progress only (attendance, modules done, assessment
scores, state): nothing else of the profile, which stays behind the participant's share grant.
They record attendance (services/cohort_delivery.py accepts them through `may_deliver`) and
assessment scores, audited like the owners' own records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor, Role
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.programmes import find_cohort, owns
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    Application,
    AssessmentScore,
    Attendance,
    Cohort,
    CohortItem,
    CohortTerms,
    LearningCompletion,
    Person,
    Programme,
)

PARTICIPANT_STATES = ("accepted", "completed", "left")
NAME_LENGTH = 200


@dataclass(frozen=True)
class DeliveredCohort:
    key: str
    name: str
    programme_name: str
    state: str
    starts_on: date
    ends_on: date
    funding_source: str | None


@dataclass(frozen=True)
class Score:
    name: str
    score: float
    max_score: float
    assessed_on: date


@dataclass(frozen=True)
class ParticipantProgress:
    application_key: str
    name: str
    state: str
    sessions_attended: int
    sessions_recorded: int
    modules_done: int
    modules: int
    scores: tuple[Score, ...]


def provides(session: Session, actor: Actor, cohort: Cohort) -> bool:
    """Whether the actor is a programme admin of the organisation that delivers the cohort."""
    delivering = actor.organisations_where(Role.PROGRAMME_ADMIN)
    if not delivering:
        return False
    provider_id = session.scalar(
        select(CohortTerms.provider_id).where(CohortTerms.cohort_id == cohort.id)
    )
    return provider_id is not None and provider_id in delivering


def may_deliver(session: Session, actor: Actor, cohort: Cohort, programme: Programme) -> bool:
    """The cohort's owners, or its provider's programme admins."""
    return owns(actor, programme) or provides(session, actor, cohort)


def delivered_cohorts(engine: Engine, actor: Actor) -> list[DeliveredCohort]:
    """The cohorts the actor's organisations deliver as their provider, soonest first."""
    delivering = actor.organisations_where(Role.PROGRAMME_ADMIN)
    if not delivering:
        return []
    with reading(engine) as session:
        rows = session.execute(
            select(Cohort, Programme.name, CohortTerms.funding_source)
            .join(CohortTerms, CohortTerms.cohort_id == Cohort.id)
            .join(Programme, Programme.id == Cohort.programme_id)
            .where(CohortTerms.provider_id.in_(delivering))
            .order_by(Cohort.starts_on, Cohort.key)
        ).all()
        return [
            DeliveredCohort(c.key, c.name, name, c.state, c.starts_on, c.ends_on, funding)
            for c, name, funding in rows
        ]


def _deliverable(session: Session, actor: Actor, cohort_key: str) -> tuple[Cohort, Programme]:
    cohort, programme = find_cohort(session, cohort_key)
    if not may_deliver(session, actor, cohort, programme):
        raise NotPermitted(f"only the owners and the provider of {cohort_key} may do this")
    return cohort, programme


def participants_progress(
    engine: Engine, actor: Actor, cohort_key: str
) -> list[ParticipantProgress]:
    """Each participant's name and progress, by name (owners and the provider only)."""
    with reading(engine) as session:
        cohort, _ = _deliverable(session, actor, cohort_key)
        rows = session.execute(
            select(Application.id, Application.key, Application.state, Person.display_name)
            .join(Person, Person.id == Application.person_id)
            .where(Application.cohort_id == cohort.id, Application.state.in_(PARTICIPANT_STATES))
            .order_by(Person.display_name, Application.key)
        ).all()
        ids = [row[0] for row in rows]
        attended = dict(
            session.execute(
                select(Attendance.application_id, func.count())
                .where(Attendance.application_id.in_(ids), Attendance.present.is_(True))
                .group_by(Attendance.application_id)
            ).all()
        )
        recorded = dict(
            session.execute(
                select(Attendance.application_id, func.count())
                .where(Attendance.application_id.in_(ids))
                .group_by(Attendance.application_id)
            ).all()
        )
        items = session.scalars(
            select(CohortItem.item_id).where(CohortItem.cohort_id == cohort.id)
        ).all()
        done = dict(
            session.execute(
                select(Application.id, func.count(func.distinct(LearningCompletion.item_id)))
                .join(LearningCompletion, LearningCompletion.person_id == Application.person_id)
                .where(Application.id.in_(ids), LearningCompletion.item_id.in_(items))
                .group_by(Application.id)
            ).all()
        )
        scores: dict[int, list[Score]] = {}
        for score in session.scalars(
            select(AssessmentScore)
            .where(AssessmentScore.application_id.in_(ids))
            .order_by(AssessmentScore.assessed_on, AssessmentScore.name)
        ):
            scores.setdefault(score.application_id, []).append(
                Score(score.name, score.score, score.max_score, score.assessed_on)
            )
        return [
            ParticipantProgress(
                application_key=key,
                name=name,
                state=state,
                sessions_attended=int(attended.get(app_id, 0)),
                sessions_recorded=int(recorded.get(app_id, 0)),
                modules_done=int(done.get(app_id, 0)),
                modules=len(items),
                scores=tuple(scores.get(app_id, ())),
            )
            for app_id, key, state, name in rows
        ]


def record_assessment(
    engine: Engine,
    actor: Actor,
    application_key: str,
    name: str,
    score: float,
    max_score: float,
    assessed_on: date,
) -> None:
    """Record (or replace) a participant's score in a named assessment: the cohort's owners or
    its provider. Bad input is named and changes nothing."""
    source = f"assessment of {application_key}"
    text = " ".join(name.split())
    problems: list[Problem] = []
    if not text or len(text) > NAME_LENGTH:
        problems.append(
            Problem(source, None, "name", text[:40], f"needs 1 to {NAME_LENGTH} characters")
        )
    if not max_score > 0:
        problems.append(Problem(source, None, "max_score", str(max_score), "must be above 0"))
    elif not 0 <= score <= max_score:
        problems.append(Problem(source, None, "score", str(score), f"must be 0 to {max_score:g}"))
    if assessed_on > datetime.now(UTC).date():
        problems.append(
            Problem(source, None, "assessed_on", assessed_on.isoformat(), "is in the future")
        )
    with transaction(engine) as session:
        row = session.execute(
            select(Application, Cohort.key)
            .join(Cohort, Cohort.id == Application.cohort_id)
            .where(Application.key == application_key)
        ).first()
        if row is None:
            raise UnknownKey("application", application_key)
        application, cohort_key = row
        _, programme = _deliverable(session, actor, cohort_key)
        if application.state not in PARTICIPANT_STATES:
            problems.append(
                Problem(source, None, "application", application.key, "is not a participant")
            )
        if problems:
            raise InvalidInput(problems)
        kept = session.scalar(
            select(AssessmentScore).where(
                AssessmentScore.application_id == application.id, AssessmentScore.name == text
            )
        )
        if kept is None:
            kept = AssessmentScore(application_id=application.id, name=text)
            session.add(kept)
        kept.score = score
        kept.max_score = max_score
        kept.assessed_on = assessed_on
        kept.recorded_by = actor.display_name[:300]
        kept.recorded_at = datetime.now(UTC)
        record_event(
            session,
            actor,
            "application.assessment_recorded",
            entity_type="application",
            entity_key=application.key,
            organisation_id=programme.organisation_id,
            after={"assessment": text, "score": score, "max_score": max_score},
        )
