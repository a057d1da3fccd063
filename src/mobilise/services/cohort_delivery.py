"""Running a cohort: its owners record attendance at each session; participants record the
modules of the curriculum they complete (a learning completion, which claims the skills the item
teaches, through services/learning_completions.py)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import Engine, select

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.programmes import ApplicationState, CohortState
from mobilise.services.actors import Actor, command_line_actor
from mobilise.services.application_transitions import now
from mobilise.services.applications import load_application, reader_of
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.learning_completions import CompletionRecorded, record_completion
from mobilise.services.programmes import find_cohort, require_owner
from mobilise.services.providers import may_deliver
from mobilise.store.database import reading, transaction
from mobilise.store.models import Application, Attendance, CohortItem, LearningItem, Person


def record_attendance(
    engine: Engine,
    actor: Actor | None,
    cohort_key: str,
    session_on: date,
    present: Collection[str],
) -> int:
    """Record a session of a running cohort: the participants (application keys) in `present`
    attended, the others did not. Recording a day again replaces it. Returns how many attended."""
    who = actor or command_line_actor()
    source = f"attendance of {cohort_key}"
    with transaction(engine) as session:
        cohort, programme = find_cohort(session, cohort_key)
        if not may_deliver(session, who, cohort, programme):
            raise NotPermitted(f"only the owners and the provider of {cohort_key} may do this")
        problems = []
        if cohort.state != CohortState.RUNNING.value:
            problems.append(Problem(source, None, "cohort", cohort.state, "must be running"))
        if not cohort.starts_on <= session_on <= min(cohort.ends_on, now().date()):
            problems.append(
                Problem(
                    source,
                    None,
                    "session_on",
                    session_on.isoformat(),
                    "must be a day of the cohort, not in the future",
                )
            )
        participants = {
            a.key: a
            for a in session.scalars(
                select(Application).where(
                    Application.cohort_id == cohort.id,
                    Application.state == ApplicationState.ACCEPTED.value,
                )
            )
        }
        for key in sorted(set(present) - set(participants)):
            problems.append(Problem(source, None, "present", key, "is not a participant"))
        if problems:
            raise InvalidInput(problems)
        for key, application in participants.items():
            row = session.get(Attendance, (application.id, session_on))
            if row is None:
                session.add(
                    Attendance(
                        application_id=application.id, session_on=session_on, present=key in present
                    )
                )
            else:
                row.present = key in present
        record_event(
            session,
            actor,
            "cohort.attendance_recorded",
            entity_type="cohort",
            entity_key=cohort.key,
            organisation_id=programme.organisation_id,
            after={
                "session_on": session_on,
                "present": len(set(present)),
                "participants": len(participants),
            },
        )
        return len(set(present))


def participants(engine: Engine, actor: Actor | None, cohort_key: str) -> list[tuple[str, str]]:
    """(application key, name) of the cohort's participants, for its owners' attendance form."""
    who = actor or command_line_actor()
    with reading(engine) as session:
        cohort, programme = find_cohort(session, cohort_key)
        require_owner(who, programme)
        return [
            (key, name)
            for key, name in session.execute(
                select(Application.key, Person.display_name)
                .join(Person, Person.id == Application.person_id)
                .where(
                    Application.cohort_id == cohort.id,
                    Application.state == ApplicationState.ACCEPTED.value,
                )
                .order_by(Person.display_name)
            ).all()
        ]


def complete_module(
    engine: Engine,
    actor: Actor,
    application_key: str,
    item_key: str,
    *,
    completed_on: date | None = None,
) -> CompletionRecorded:
    """A participant records completing a module of their cohort's curriculum."""
    with reading(engine) as session:
        application, cohort, programme = load_application(session, application_key)
        reader = reader_of(session, actor, application, cohort, programme)
        if not reader.applicant:
            raise NotPermitted("participants record their own modules")
        source = f"application {application_key}"
        if (
            application.state != ApplicationState.ACCEPTED.value
            or cohort.state != CohortState.RUNNING.value
        ):
            raise InvalidInput(
                [
                    Problem(
                        source,
                        None,
                        "module",
                        item_key,
                        "can be completed only by a participant while the cohort runs",
                    )
                ]
            )
        in_curriculum = session.scalar(
            select(CohortItem.item_id)
            .join(LearningItem, LearningItem.id == CohortItem.item_id)
            .where(CohortItem.cohort_id == cohort.id, LearningItem.key == item_key)
        )
        if in_curriculum is None:
            raise InvalidInput(
                [Problem(source, None, "module", item_key, "is not in the cohort's curriculum")]
            )
        on = completed_on or now().date()
        if on < cohort.starts_on:
            raise InvalidInput(
                [
                    Problem(
                        source, None, "completed_on", on.isoformat(), "is before the cohort started"
                    )
                ]
            )
        person_key = session.scalar(select(Person.key).where(Person.id == application.person_id))
    assert person_key is not None
    return record_completion(engine, actor, person_key, item_key, completed_on=on)
