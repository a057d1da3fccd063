"""One way to change an application's state, to a cohort or to an opportunity: the core's state
machine decides, the change is kept as a transition row and an audit event, and the applicant is
notified, all in the caller's transaction. A cohort's waiting list moves here too, so every path
that frees a place fills it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mobilise.core.programmes import (
    ApplicationAction,
    ApplicationState,
    CohortState,
    next_on_waiting_list,
    next_state,
)
from mobilise.services.actors import Actor, command_line_actor
from mobilise.services.audit import record_event
from mobilise.services.credential_awards import award_cohort_completion
from mobilise.services.outbox import notify
from mobilise.store.models import (
    Application,
    ApplicationTransition,
    Cohort,
    OpportunityApplication,
    OpportunityApplicationTransition,
    Person,
    Programme,
)

S = ApplicationState
TAKING_A_PLACE = (S.OFFERED.value, S.ACCEPTED.value)

# What the applicant is told when their application reaches a state.
MESSAGES: dict[ApplicationState, tuple[str, str]] = {
    S.AWAITING_RELEASE: (
        "Your application to {cohort} is with your line manager",
        "Your line manager has been asked to endorse and release you for {cohort}.",
    ),
    S.RELEASED: (
        "Your application to {cohort} is with the selection panel",
        "You are released for {cohort}. The selection panel will score your application.",
    ),
    S.WITHDRAWN: ("Your application to {cohort} is withdrawn", "It is withdrawn. {reason}"),
    S.NOT_SELECTED: (
        "You were not selected for {cohort}",
        "You were not selected for {cohort} this time. {reason}",
    ),
    S.OFFERED: (
        "You are offered a place on {cohort}",
        "You are offered a place on {cohort}. Accept or decline it on your application page.",
    ),
    S.WAITING_LIST: (
        "You are on the waiting list for {cohort}",
        "You are number {position} on the waiting list for {cohort}. If a place comes free it "
        "is offered to the first person waiting.",
    ),
    S.ACCEPTED: ("You have a place on {cohort}", "You accepted your place on {cohort}."),
    S.DECLINED: ("You declined your place on {cohort}", "You declined your place on {cohort}."),
    S.COMPLETED: ("You completed {cohort}", "Congratulations: you completed {cohort}."),
    S.LEFT: ("You have left {cohort}", "You left {cohort}. {reason}"),
}


def now() -> datetime:
    return datetime.now(UTC)


def application_link(application: Application) -> str:
    return f"/applications/{application.key}"


@dataclass(frozen=True)
class Subject:
    """What an application is to (a cohort, an opportunity), as its transitions need it: the
    name its messages use, the owners' organisation (for the audit log), the application's
    page, the table that keeps its timeline and its name in the audit log."""

    name: str
    organisation_id: int
    link: str
    timeline: type[ApplicationTransition] | type[OpportunityApplicationTransition]
    entity_type: str


AnyApplication = Application | OpportunityApplication


def cohort_subject(application: Application, cohort: Cohort, programme: Programme) -> Subject:
    return Subject(
        cohort.name,
        programme.organisation_id,
        application_link(application),
        ApplicationTransition,
        "application",
    )


def tell(session: Session, application: AnyApplication, subject: Subject) -> None:
    person = session.get(Person, application.person_id)
    if person is None:
        return
    title, body = MESSAGES[S(application.state)]
    values = {
        "cohort": subject.name,
        "reason": application.reason,
        "position": getattr(application, "waiting_position", None) or "",
    }
    notify(
        session,
        person,
        f"{subject.entity_type}.{application.state}",
        title.format(**values),
        body.format(**values).strip(),
        subject.link,
    )


def tell_applicant(session: Session, application: Application, cohort: Cohort) -> None:
    programme = session.get(Programme, cohort.programme_id)
    assert programme is not None
    tell(session, application, cohort_subject(application, cohort, programme))


def record_step(
    session: Session,
    actor: Actor | None,
    application: AnyApplication,
    action: str,
    before: ApplicationState | None,
    subject: Subject,
) -> None:
    """Keep the change on the application's timeline and in the audit log."""
    who = actor or command_line_actor()
    session.add(
        subject.timeline(
            application_id=application.id,
            occurred_at=now(),
            action=action,
            from_state=None if before is None else before.value,
            to_state=application.state,
            actor_label=who.display_name[:300],
            reason=application.reason,
        )
    )
    record_event(
        session,
        actor,
        f"{subject.entity_type}.{action}",
        entity_type=subject.entity_type,
        entity_key=application.key,
        organisation_id=subject.organisation_id,
        before=None if before is None else {"state": before.value},
        after={"state": application.state, "reason": application.reason},
    )


def record_transition(
    session: Session,
    actor: Actor | None,
    application: Application,
    action: str,
    before: ApplicationState | None,
    programme: Programme,
) -> None:
    cohort = session.get(Cohort, application.cohort_id)
    assert cohort is not None
    record_step(
        session, actor, application, action, before, cohort_subject(application, cohort, programme)
    )


def announce_application(
    session: Session,
    actor: Actor | None,
    application: AnyApplication,
    subject: Subject,
    parts: list[str],
    *,
    shared_with: str,
    dates: tuple[date, date],
) -> None:
    """A new application: its first step and share grant kept, the applicant told, and the
    manager asked to release them (when they have one)."""
    record_step(session, actor, application, "apply", None, subject)
    record_event(
        session,
        actor,
        f"{subject.entity_type}.share_granted",
        entity_type=subject.entity_type,
        entity_key=application.key,
        organisation_id=subject.organisation_id,
        after={"parts": parts, "with": shared_with},
    )
    tell(session, application, subject)
    person = session.get(Person, application.person_id)
    manager = session.get(Person, application.manager_id) if application.manager_id else None
    if person is None or manager is None:
        return
    starts, ends = dates
    notify(
        session,
        manager,
        f"{subject.entity_type}.release_requested",
        f"{person.display_name} asks you to release them for {subject.name}",
        f"{person.display_name} has applied to {subject.name}, {starts:%-d %B %Y} to "
        f"{ends:%-d %B %Y}. Endorse and release them, or decline with a reason.",
        subject.link,
    )


def change_state(
    session: Session,
    actor: Actor | None,
    application: AnyApplication,
    action: ApplicationAction,
    subject: Subject,
    *,
    reason: str = "",
) -> ApplicationState:
    """Apply `action` (InvalidInput if the state machine does not allow it), record and notify."""
    before = S(application.state)
    after = next_state(before, action, subject=f"application {application.key}")
    application.state = after.value
    application.reason = reason
    application.updated_at = now()
    if before is S.WAITING_LIST and isinstance(application, Application):
        application.waiting_position = None
    session.flush()
    record_step(session, actor, application, action.value, before, subject)
    tell(session, application, subject)
    return after


def move(
    session: Session,
    actor: Actor | None,
    application: Application,
    action: ApplicationAction,
    cohort: Cohort,
    programme: Programme,
    *,
    reason: str = "",
) -> ApplicationState:
    """`change_state` for an application to a cohort; completing it issues a credential."""
    state = change_state(
        session,
        actor,
        application,
        action,
        cohort_subject(application, cohort, programme),
        reason=reason,
    )
    if state is S.COMPLETED:
        award_cohort_completion(session, actor, application, cohort, programme)
    return state


def fill_freed_places(
    session: Session, actor: Actor | None, cohort: Cohort, programme: Programme
) -> list[str]:
    """Offer each free place to the first application still waiting, in the stored order of
    the cohort's selection run (nothing is re-run once offers are published)."""
    if cohort.state != CohortState.OFFERS_PUBLISHED.value:
        return []
    offered: list[str] = []
    taken = (
        session.scalar(
            select(func.count(Application.id)).where(
                Application.cohort_id == cohort.id, Application.state.in_(TAKING_A_PLACE)
            )
        )
        or 0
    )
    while taken < cohort.capacity:
        waiting = {
            a.key: a
            for a in session.scalars(
                select(Application).where(
                    Application.cohort_id == cohort.id,
                    Application.state == S.WAITING_LIST.value,
                )
            )
        }
        chosen = next_on_waiting_list({k: a.waiting_position or 0 for k, a in waiting.items()})
        if chosen is None:
            break
        move(
            session,
            actor,
            waiting[chosen],
            ApplicationAction.OFFER,
            cohort,
            programme,
            reason="A place came free and you were first on the waiting list.",
        )
        offered.append(chosen)
        taken += 1
    return offered


def end_waiting_list(
    session: Session, actor: Actor | None, cohort: Cohort, programme: Programme
) -> None:
    """The cohort has started: nobody still waiting will get a place."""
    for application in session.scalars(
        select(Application)
        .where(Application.cohort_id == cohort.id, Application.state == S.WAITING_LIST.value)
        .order_by(Application.waiting_position)
    ):
        move(
            session,
            actor,
            application,
            ApplicationAction.REJECT,
            cohort,
            programme,
            reason="The cohort started before a place came free.",
        )
