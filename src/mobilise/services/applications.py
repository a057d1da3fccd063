"""Applications to cohorts: apply (with a statement and a share grant), act on an application
(release, withdraw, accept, decline, complete, leave), revoke the grant; and who may read an
application (its reading side is application_views.py).

Who sees an application (DESIGN.md, "Who sees a profile"): the applicant; whoever may see the
applicant anyway (their manager chain, their organisation's admins); the manager asked to release
them; and the cohort's owners (its programme's admins) and panel members. Owners and panel see the
named parts of the applicant's profile only while the share grant stands: it ends when the
applicant revokes it or the application ends. Anyone else gets ApplicationNotFound (a 404, the same
answer as for a key no one has).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.programmes import (
    ACTIONS_NEEDING_A_REASON,
    ApplicantFacts,
    ApplicationAction,
    ApplicationState,
    CohortState,
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
from mobilise.services.cohort_terms import outsider_reasons
from mobilise.services.people import may_see
from mobilise.services.programmes import (
    eligibility_of,
    find_cohort,
    on_panel,
    owns,
)
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    Application,
    Attendance,
    Cohort,
    CohortItem,
    JobFamilyRecord,
    LearningCompletion,
    LearningItem,
    Organisation,
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
class ModuleProgress:
    item_key: str
    title: str
    mandatory: bool
    completed_on: date | None


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
        facts = applicant_facts(session, person)
        return unmet(eligibility_of(cohort), facts) + outsider_reasons(session, cohort, person)


def grant_active(application: Application) -> bool:
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
    parts = checked_share(source, shared_parts, consent, problems)
    return text, parts, problems


def checked_share(
    source: str, shared_parts: Collection[str], consent: bool, problems: list[Problem]
) -> list[str]:
    """The parts of a profile to share (a share grant), adding to `problems` what is wrong:
    only known parts, and consent to share any."""
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
    return parts


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
        facts = applicant_facts(session, person)
        for reason in unmet(eligibility_of(cohort), facts) + outsider_reasons(
            session, cohort, person
        ):
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


def may_take(reader: Reader, actor: Actor, action: ApplicationAction) -> bool:
    if actor.account_id is None:  # the command line: an operator on the server
        return action in APPLICANT_ACTIONS | MANAGER_ACTIONS | OWNER_ACTIONS
    return (
        (action in APPLICANT_ACTIONS and reader.applicant)
        or (action in MANAGER_ACTIONS and reader.releasing_manager)
        or (action in OWNER_ACTIONS and reader.owner)
    )


def sessions_attended(session: Session, application: Application) -> tuple[int, int]:
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


def modules_of(session: Session, application: Application, cohort: Cohort) -> list[ModuleProgress]:
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
    modules = modules_of(session, application, cohort)
    sessions, attended = sessions_attended(session, application)
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
        if not may_take(reader, who, chosen):
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
