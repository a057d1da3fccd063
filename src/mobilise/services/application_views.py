"""Applications to cohorts as each kind of reader may see them: the applicant's own list, a
manager's release queue, a team's applications, and one application with its timeline, shared
profile parts, panel sheets and progress (who sees what: applications.py's docstring).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, and_, func, select
from sqlalchemy.orm import Session

from mobilise.core.framework import SkillLevel
from mobilise.core.programmes import (
    ApplicationAction,
    ApplicationState,
    CohortState,
    allowed_actions,
)
from mobilise.services.actors import Actor
from mobilise.services.applications import (
    SHARE_PARTS,
    ModuleProgress,
    blockers_of,
    grant_active,
    load_application,
    may_take,
    modules_of,
    reader_of,
    sessions_attended,
)
from mobilise.services.people import visible_to
from mobilise.store.database import reading
from mobilise.store.models import (
    Application,
    ApplicationTransition,
    Cohort,
    LearningCompletion,
    LearningItem,
    Organisation,
    PanelScore,
    Person,
    Programme,
    RoleLevelRecord,
    SkillClaim,
    SkillRecord,
)

A = ApplicationAction
S = ApplicationState


@dataclass(frozen=True)
class ApplicationSummary:
    key: str
    cohort_key: str
    cohort_name: str
    programme_name: str
    person_key: str
    person_name: str
    state: ApplicationState
    submitted_at: datetime
    score: float | None
    waiting_position: int | None


@dataclass(frozen=True)
class TransitionView:
    occurred_at: datetime
    action: str
    from_state: str | None
    to_state: str
    actor: str
    reason: str


@dataclass(frozen=True)
class SharedProfile:
    """The parts of the applicant's profile this reader may see (None: not shared with them)."""

    role: dict[str, str | None] | None
    skills: list[tuple[str, str, str]] | None  # (skill key, name, level label)
    learning: list[tuple[str, str, date]] | None  # (item key, title, completed on)


@dataclass(frozen=True)
class ApplicationView:
    summary: ApplicationSummary
    statement: str
    reason: str
    shared_parts: list[str]
    grant_active: bool
    profile: SharedProfile
    timeline: list[TransitionView]
    # What this reader is: and may do here.
    is_applicant: bool
    is_releasing_manager: bool
    is_owner: bool
    on_panel: bool
    actions: list[str]  # ApplicationAction values this reader may take now
    may_score: bool
    may_revoke_share: bool
    sheets: list[tuple[str, float, dict[str, int], str]]  # (judge name, total, points, comment)
    own_sheet: dict[str, int] | None
    modules: list[ModuleProgress]
    attended: int
    sessions: int
    completion_blockers: list[str]
    cohort_state: CohortState


def select_summaries(
    *conditions: ColumnElement[bool],
) -> Select[Application, str, str, str, str, str]:
    """Applications with what a list of them shows (read them with `summary_of`)."""
    return (
        select(
            Application, Cohort.key, Cohort.name, Programme.name, Person.key, Person.display_name
        )
        .join(Cohort, Cohort.id == Application.cohort_id)
        .join(Programme, Programme.id == Cohort.programme_id)
        .join(Person, Person.id == Application.person_id)
        .where(*conditions)
    )


def summary_of(row: Any) -> ApplicationSummary:
    application, cohort_key, cohort_name, programme_name, person_key, person_name = row
    assert isinstance(application, Application)
    return ApplicationSummary(
        key=application.key,
        cohort_key=str(cohort_key),
        cohort_name=str(cohort_name),
        programme_name=str(programme_name),
        person_key=str(person_key),
        person_name=str(person_name),
        state=S(application.state),
        submitted_at=application.submitted_at,
        score=application.score,
        waiting_position=application.waiting_position,
    )


def my_applications(engine: Engine, actor: Actor) -> list[ApplicationSummary]:
    if actor.person_id is None:
        return []
    with reading(engine) as session:
        rows = session.execute(
            select_summaries(Application.person_id == actor.person_id).order_by(
                Application.submitted_at.desc()
            )
        ).all()
        return [summary_of(r) for r in rows]


def release_queue(engine: Engine, actor: Actor) -> list[ApplicationSummary]:
    """Applications waiting for the actor, as the applicant's line manager, to release them."""
    if actor.person_id is None:
        return []
    with reading(engine) as session:
        rows = session.execute(
            select_summaries(
                Application.manager_id == actor.person_id,
                Application.state == S.AWAITING_RELEASE.value,
            ).order_by(Application.submitted_at)
        ).all()
        return [summary_of(r) for r in rows]


def team_applications(
    engine: Engine, actor: Actor, *, limit: int = 50, offset: int = 0
) -> tuple[list[ApplicationSummary], int]:
    """Applications of the people the actor may see other than themself (their reporting line,
    or their organisation for its admins), newest first."""
    condition = and_(visible_to(actor), Person.id != (actor.person_id or -1))
    with reading(engine) as session:
        total = (
            session.scalar(
                select(func.count(Application.id))
                .join(Person, Person.id == Application.person_id)
                .where(condition)
            )
            or 0
        )
        rows = session.execute(
            select_summaries(condition)
            .order_by(Application.submitted_at.desc(), Application.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        return [summary_of(r) for r in rows], int(total)


def shared_profile(session: Session, person_id: int, parts: Collection[str]) -> SharedProfile:
    """The named parts of a person's profile (the share grant decides which a reader gets)."""
    person = session.get(Person, person_id)
    assert person is not None
    role = skills = learning = None
    if "role" in parts:
        found = session.execute(
            select(RoleLevelRecord.name, Organisation.name)
            .select_from(Person)
            .outerjoin(RoleLevelRecord, RoleLevelRecord.id == Person.role_level_id)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(Person.id == person.id)
        ).one()
        role = {
            "role_level": found[0],
            "organisation": found[1],
            "grade": person.grade,
            "region": person.region,
        }
    if "skills" in parts:
        skills = [
            (key, name, SkillLevel(int(level)).label)
            for key, name, level in session.execute(
                select(SkillRecord.key, SkillRecord.name, func.max(SkillClaim.level))
                .join(SkillClaim, SkillClaim.skill_id == SkillRecord.id)
                .where(SkillClaim.person_id == person.id, SkillClaim.status == "active")
                .group_by(SkillRecord.key, SkillRecord.name)
                .order_by(func.max(SkillClaim.level).desc(), SkillRecord.name)
                .limit(100)
            ).all()
        ]
    if "learning" in parts:
        learning = [
            (key, title, on)
            for key, title, on in session.execute(
                select(LearningItem.key, LearningItem.title, LearningCompletion.completed_on)
                .join(LearningCompletion, LearningCompletion.item_id == LearningItem.id)
                .where(LearningCompletion.person_id == person.id)
                .order_by(LearningCompletion.completed_on.desc())
                .limit(100)
            ).all()
        ]
    return SharedProfile(role, skills, learning)


def get_application(engine: Engine, actor: Actor, key: str) -> ApplicationView:
    with reading(engine) as session:
        application, cohort, programme = load_application(session, key)
        reader = reader_of(session, actor, application, cohort, programme)
        shared = [p for p in application.shared_parts.split(",") if p]
        grant = grant_active(application) and bool(shared)
        if reader.applicant or reader.sees_person:
            parts: Collection[str] = SHARE_PARTS
        elif grant and (reader.owner or reader.panel):
            parts = shared
        else:
            parts = ()
        person = session.get(Person, application.person_id)
        assert person is not None
        row = (
            application,
            cohort.key,
            cohort.name,
            programme.name,
            person.key,
            person.display_name,
        )
        state = S(application.state)
        cohort_state = CohortState(cohort.state)
        actions = [
            a.value
            for a in allowed_actions(state)
            if may_take(reader, actor, a)
            and (a is not A.COMPLETE or cohort_state is CohortState.RUNNING)
        ]
        sheets_rows = session.execute(
            select(Person.display_name, PanelScore)
            .join(PanelScore, PanelScore.judge_id == Person.id)
            .where(PanelScore.application_id == application.id)
            .order_by(Person.display_name)
        ).all()
        sheets = [
            (name, sheet.total, json.loads(sheet.points), sheet.comment)
            for name, sheet in sheets_rows
        ]
        own = session.get(PanelScore, (application.id, actor.person_id or -1))
        sessions, attended = sessions_attended(session, application)
        timeline = [
            TransitionView(
                t.occurred_at, t.action, t.from_state, t.to_state, t.actor_label, t.reason
            )
            for t in session.scalars(
                select(ApplicationTransition)
                .where(ApplicationTransition.application_id == application.id)
                .order_by(ApplicationTransition.id)
            )
        ]
        return ApplicationView(
            summary=summary_of(row),
            statement=application.statement,
            reason=application.reason,
            shared_parts=shared,
            grant_active=grant,
            profile=shared_profile(session, application.person_id, parts),
            timeline=timeline,
            is_applicant=reader.applicant,
            is_releasing_manager=reader.releasing_manager,
            is_owner=reader.owner,
            on_panel=reader.panel,
            actions=actions,
            may_score=reader.panel
            and state is S.RELEASED
            and cohort_state in (CohortState.OPEN, CohortState.CLOSED),
            may_revoke_share=reader.applicant and grant,
            # Panel members see their own sheet; owners see every sheet.
            sheets=sheets if reader.owner else [],
            own_sheet=None if own is None else json.loads(own.points),
            modules=modules_of(session, application, cohort),
            attended=attended,
            sessions=sessions,
            completion_blockers=blockers_of(session, application, cohort, programme)
            if state is S.ACCEPTED
            else [],
            cohort_state=cohort_state,
        )
