"""Applications to cohorts: apply (with a statement and a share grant), act on an application
(release, withdraw, accept, decline, complete, leave), revoke the grant, and read applications as
each kind of reader may see them.

Who sees an application (DESIGN.md, "Who sees a profile"): the applicant; whoever may see the
applicant anyway (their manager chain, their organisation's admins); the manager asked to release
them; and the cohort's owners (its programme's admins) and panel members. Owners and panel see the
named parts of the applicant's profile only while the share grant stands: it ends when the
applicant revokes it or the application ends. Anyone else gets ApplicationNotFound (a 404, the same
answer as for a key no one has).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, and_, func, select
from sqlalchemy.orm import Session

from mobilise.core.framework import SkillLevel
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.programmes import (
    ACTIONS_NEEDING_A_REASON,
    ApplicantFacts,
    ApplicationAction,
    ApplicationState,
    CohortState,
    allowed_actions,
    completion_blockers,
    initial_state,
    unmet,
)
from mobilise.services.actors import Actor, command_line_actor
from mobilise.services.application_transitions import (
    announce_application,
    cohort_subject,
    fill_freed_places,
    move,
    now,
)
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.people import may_see, visible_to
from mobilise.services.programmes import (
    eligibility_of,
    find_cohort,
    on_panel,
    owns,
)
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    Application,
    ApplicationTransition,
    Attendance,
    Cohort,
    CohortItem,
    JobFamilyRecord,
    LearningCompletion,
    LearningItem,
    Organisation,
    PanelScore,
    Person,
    Programme,
    RoleLevelRecord,
    RoleRecord,
    SkillClaim,
    SkillRecord,
)

A = ApplicationAction
S = ApplicationState
SHARE_PARTS = ("role", "skills", "learning")
SHARE_PART_LABELS = {
    "role": "Your current role, grade, organisation and region",
    "skills": "Your skills profile (your active skill claims)",
    "learning": "The learning you have completed",
}
STATEMENT_LENGTH = 5000
REASON_LENGTH = 1000
# Who may take each action on an application (selection's own actions are not offered here).
APPLICANT_ACTIONS = frozenset({A.WITHDRAW, A.ACCEPT, A.DECLINE})
MANAGER_ACTIONS = frozenset({A.RELEASE, A.REFUSE_RELEASE})
OWNER_ACTIONS = frozenset({A.COMPLETE, A.LEAVE})


class ApplicationNotFound(UnknownKey):
    def __init__(self, key: str) -> None:
        super().__init__("application", key)


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
class ModuleProgress:
    item_key: str
    title: str
    mandatory: bool
    completed_on: date | None


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


def _today() -> date:
    return now().date()


def applicant_facts(session: Session, person: Person) -> ApplicantFacts:
    """What eligibility reads about a person, from the store."""
    family = role = None
    order = None
    if person.role_level_id is not None:
        found = session.execute(
            select(JobFamilyRecord.key, RoleRecord.key, RoleLevelRecord.level_order)
            .join(RoleRecord, RoleRecord.id == RoleLevelRecord.role_id)
            .join(JobFamilyRecord, JobFamilyRecord.id == RoleRecord.job_family_id)
            .where(RoleLevelRecord.id == person.role_level_id)
        ).first()
        if found is not None:
            family, role, order = found
    kind = None
    if person.organisation_id is not None:
        kind = session.scalar(
            select(Organisation.kind).where(Organisation.id == person.organisation_id)
        )
    skills = {
        key: int(level)
        for key, level in session.execute(
            select(SkillRecord.key, func.max(SkillClaim.level))
            .join(SkillClaim, SkillClaim.skill_id == SkillRecord.id)
            .where(SkillClaim.person_id == person.id, SkillClaim.status == "active")
            .group_by(SkillRecord.key)
        ).all()
    }
    return ApplicantFacts(family, role, order, kind, person.grade, skills)


def eligibility_for(engine: Engine, actor: Actor, cohort_key: str) -> list[str] | None:
    """Why the actor may not apply to the cohort (empty: they may); None if not a person."""
    if actor.person_id is None:
        return None
    with reading(engine) as session:
        cohort, _ = find_cohort(session, cohort_key)
        person = session.get(Person, actor.person_id)
        if person is None:
            return None
        return unmet(eligibility_of(cohort), applicant_facts(session, person))


def _grant_active(application: Application) -> bool:
    return application.share_revoked_at is None and not S(application.state).is_final


def check_statement_and_share(
    source: str, statement: str, shared_parts: Collection[str], consent: bool
) -> tuple[str, list[str], list[Problem]]:
    """The statement and the parts to share as an application keeps them, with what is wrong:
    a statement is needed and bounded; sharing names known parts and needs consent."""
    problems: list[Problem] = []
    text = statement.strip()
    if not text:
        problems.append(Problem(source, None, "statement", None, "is needed"))
    elif len(text) > STATEMENT_LENGTH:
        problems.append(
            Problem(
                source,
                None,
                "statement",
                text[:40],
                f"must be at most {STATEMENT_LENGTH:,} characters",
            )
        )
    parts = sorted(set(shared_parts))
    for part in parts:
        if part not in SHARE_PARTS:
            problems.append(
                Problem(source, None, "share", part, "is not one of " + ", ".join(SHARE_PARTS))
            )
    if parts and not consent:
        problems.append(
            Problem(source, None, "consent", None, "is needed to share parts of your profile")
        )
    return text, parts, problems


def apply(
    engine: Engine,
    actor: Actor,
    cohort_key: str,
    statement: str,
    shared_parts: Collection[str],
    *,
    consent: bool,
) -> str:
    """The actor applies to an open cohort; returns the application's key.

    Sharing named parts of the profile needs consent; the grant lasts for the life of the
    application. Bad input, an ineligible person or a second application is InvalidInput.
    """
    if actor.person_id is None:
        raise NotPermitted("only a person may apply (service accounts cannot)")
    source = f"application to {cohort_key}"
    text, parts, problems = check_statement_and_share(source, statement, shared_parts, consent)
    with transaction(engine) as session:
        cohort, programme = find_cohort(session, cohort_key)
        person = session.get(Person, actor.person_id)
        if person is None:
            raise NotPermitted("the account's person no longer exists")
        closes = cohort.applications_close_on
        if cohort.state != CohortState.OPEN.value or (closes is not None and closes < _today()):
            problems.append(
                Problem(source, None, "cohort", cohort.key, "is not taking applications")
            )
        for reason in unmet(eligibility_of(cohort), applicant_facts(session, person)):
            problems.append(Problem(source, None, "eligibility", None, f"not met: {reason}"))
        applied = session.scalar(
            select(Application.key).where(
                Application.cohort_id == cohort.id, Application.person_id == person.id
            )
        )
        if applied is not None:
            problems.append(
                Problem(
                    source, None, "cohort", cohort.key, f"has your application {applied} already"
                )
            )
        if problems:
            raise InvalidInput(problems)
        state = initial_state(person.manager_id is not None)
        moment = now()
        application = Application(
            key=uuid.uuid4().hex[:12],
            cohort_id=cohort.id,
            person_id=person.id,
            statement=text,
            state=state.value,
            manager_id=person.manager_id,
            shared_parts=",".join(parts),
            share_granted_at=moment if parts else None,
            reason=""
            if person.manager_id
            else "You have no line manager, so no release is needed.",
            submitted_at=moment,
            updated_at=moment,
        )
        session.add(application)
        session.flush()
        announce_application(
            session,
            actor,
            application,
            cohort_subject(application, cohort, programme),
            parts,
            shared_with=f"owners and panel of {cohort.key}",
            dates=(cohort.starts_on, cohort.ends_on),
        )
        return application.key


def load_application(session: Session, key: str) -> tuple[Application, Cohort, Programme]:
    row = session.execute(
        select(Application, Cohort, Programme)
        .join(Cohort, Cohort.id == Application.cohort_id)
        .join(Programme, Programme.id == Cohort.programme_id)
        .where(Application.key == key)
    ).first()
    if row is None:
        raise ApplicationNotFound(key)
    return row[0], row[1], row[2]


@dataclass(frozen=True)
class Reader:
    applicant: bool
    releasing_manager: bool
    owner: bool
    panel: bool
    sees_person: bool


def reader_of(
    session: Session, actor: Actor, application: Application, cohort: Cohort, programme: Programme
) -> Reader:
    """How the actor relates to the application; ApplicationNotFound if they may not see it."""
    person = session.get(Person, application.person_id)
    reader = Reader(
        applicant=actor.person_id is not None and actor.person_id == application.person_id,
        releasing_manager=actor.person_id is not None and actor.person_id == application.manager_id,
        owner=owns(actor, programme),
        panel=on_panel(session, actor, cohort),
        sees_person=person is not None and may_see(session, actor, person),
    )
    if not any(
        (reader.applicant, reader.releasing_manager, reader.owner, reader.panel, reader.sees_person)
    ):
        raise ApplicationNotFound(application.key)
    return reader


def _may_take(reader: Reader, actor: Actor, action: ApplicationAction) -> bool:
    if actor.account_id is None:  # the command line: an operator on the server
        return action in APPLICANT_ACTIONS | MANAGER_ACTIONS | OWNER_ACTIONS
    return (
        (action in APPLICANT_ACTIONS and reader.applicant)
        or (action in MANAGER_ACTIONS and reader.releasing_manager)
        or (action in OWNER_ACTIONS and reader.owner)
    )


def _sessions_attended(session: Session, application: Application) -> tuple[int, int]:
    sessions = (
        session.scalar(
            select(func.count(func.distinct(Attendance.session_on)))
            .join(Application, Application.id == Attendance.application_id)
            .where(Application.cohort_id == application.cohort_id)
        )
        or 0
    )
    attended = (
        session.scalar(
            select(func.count())
            .select_from(Attendance)
            .where(Attendance.application_id == application.id, Attendance.present.is_(True))
        )
        or 0
    )
    return int(sessions), int(attended)


def _modules(session: Session, application: Application, cohort: Cohort) -> list[ModuleProgress]:
    done = (
        select(LearningCompletion.item_id, func.min(LearningCompletion.completed_on).label("on"))
        .where(
            LearningCompletion.person_id == application.person_id,
            LearningCompletion.completed_on >= cohort.starts_on,
        )
        .group_by(LearningCompletion.item_id)
        .subquery()
    )
    return [
        ModuleProgress(key, title, mandatory, on)
        for key, title, mandatory, on in session.execute(
            select(LearningItem.key, LearningItem.title, CohortItem.mandatory, done.c.on)
            .join(CohortItem, CohortItem.item_id == LearningItem.id)
            .outerjoin(done, done.c.item_id == LearningItem.id)
            .where(CohortItem.cohort_id == cohort.id)
            .order_by(CohortItem.position)
        ).all()
    ]


def blockers_of(
    session: Session, application: Application, cohort: Cohort, programme: Programme
) -> list[str]:
    modules = _modules(session, application, cohort)
    sessions, attended = _sessions_attended(session, application)
    return completion_blockers(
        {m.item_key for m in modules if m.mandatory},
        {m.item_key for m in modules if m.completed_on is not None},
        sessions=sessions,
        attended=attended,
        min_attendance=programme.min_attendance,
    )


def checked_action(key: str, action: str, reason: str) -> tuple[ApplicationAction, str]:
    """The action named and its reason, or InvalidInput: an unknown action, a reason too long,
    or none where the action needs one (the applicant is told it)."""
    try:
        chosen = ApplicationAction(action)
    except ValueError:
        raise InvalidInput(
            [Problem(f"application {key}", None, "action", action, "is not an action")]
        ) from None
    text = reason.strip()
    if len(text) > REASON_LENGTH:
        rule = f"must be at most {REASON_LENGTH} characters"
        raise InvalidInput([Problem(f"application {key}", None, "reason", text[:40], rule)])
    if chosen in ACTIONS_NEEDING_A_REASON and not text:
        rule = f"is needed to {chosen.value.replace('_', ' ')}"
        raise InvalidInput([Problem(f"application {key}", None, "reason", None, rule)])
    return chosen, text


def act(
    engine: Engine, actor: Actor | None, key: str, action: str, *, reason: str = ""
) -> ApplicationState:
    """Take an action on an application as the actor may: the applicant withdraws, accepts or
    declines; the manager asked releases or declines to (with a reason, which withdraws it); the
    cohort's owners mark a participant complete (once every mandatory module is done and enough
    sessions attended) or as having left (with a reason). A declined offer, or a place otherwise
    freed, goes to the waiting list at once."""
    who = actor or command_line_actor()
    chosen, text = checked_action(key, action, reason)
    with transaction(engine) as session:
        application, cohort, programme = load_application(session, key)
        reader = reader_of(session, who, application, cohort, programme)
        if not _may_take(reader, who, chosen):
            raise NotPermitted(f"you may not {chosen.value.replace('_', ' ')} this application")
        if chosen is A.COMPLETE:
            if cohort.state != CohortState.RUNNING.value:
                raise InvalidInput(
                    [
                        Problem(
                            f"application {key}",
                            None,
                            "action",
                            chosen.value,
                            "needs the cohort to be running",
                        )
                    ]
                )
            blockers = blockers_of(session, application, cohort, programme)
            if blockers:
                raise InvalidInput(
                    [
                        Problem(
                            f"application {key}",
                            None,
                            "action",
                            chosen.value,
                            f"cannot be done yet: {b}",
                        )
                        for b in blockers
                    ]
                )
        if chosen is A.RELEASE and not text:
            text = "Your line manager endorsed and released you."
        state = move(session, actor, application, chosen, cohort, programme, reason=text)
        fill_freed_places(session, actor, cohort, programme)
        return state


def revoke_share(engine: Engine, actor: Actor, key: str) -> None:
    """The applicant withdraws their consent: owners and panel no longer see their profile."""
    with transaction(engine) as session:
        application, cohort, programme = load_application(session, key)
        reader = reader_of(session, actor, application, cohort, programme)
        if not reader.applicant:
            raise NotPermitted("only the applicant may revoke their share grant")
        if application.share_revoked_at is not None or not application.shared_parts:
            return
        application.share_revoked_at = now()
        record_event(
            session,
            actor,
            "application.share_revoked",
            entity_type="application",
            entity_key=application.key,
            organisation_id=programme.organisation_id,
            before={"parts": application.shared_parts.split(",")},
            after={"parts": []},
        )


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
        grant = _grant_active(application) and bool(shared)
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
            if _may_take(reader, actor, a)
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
        sessions, attended = _sessions_attended(session, application)
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
            modules=_modules(session, application, cohort),
            attended=attended,
            sessions=sessions,
            completion_blockers=blockers_of(session, application, cohort, programme)
            if state is S.ACCEPTED
            else [],
            cohort_state=cohort_state,
        )
