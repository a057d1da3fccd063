"""Register projects and challenges offered to a programme's cohort as projects to work on
(issue 9: "challenges from the register can be offered as ... AI Accelerator projects").

The programme admins who run the cohort's programme (services/programmes.owns) offer a published
project to it and may withdraw the offer; each change is audited. Everyone signed in sees the
projects on offer to a cohort (as they see cohorts), and which cohorts a project is offered to.
Only published projects can be offered: a cohort's participants come from many organisations,
and a draft is its own organisation's only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.programmes import CohortState
from mobilise.services.actors import Actor, Role
from mobilise.services.audit import record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.people_search import may_search_people
from mobilise.services.programmes import find_cohort, require_owner
from mobilise.store.database import reading, transaction
from mobilise.store.models import AIProject, Cohort, CohortProject, Organisation, Programme


@dataclass(frozen=True, slots=True)
class OfferedProject:
    key: str
    title: str
    summary: str
    organisation_name: str | None
    offered_at: datetime


@dataclass(frozen=True, slots=True)
class OfferedCohort:
    key: str
    name: str
    programme_name: str
    state: CohortState


def _published_project(session: Session, key: str) -> AIProject:
    project = session.scalar(select(AIProject).where(AIProject.key == key))
    if project is None:
        raise UnknownKey("AI project", key)
    if project.status != "published":
        raise InvalidInput(
            [
                Problem(
                    "cohort project",
                    None,
                    "project",
                    key,
                    "must be published before it can be offered to a cohort",
                )
            ]
        )
    return project


def offer_project(engine: Engine, actor: Actor, cohort_key: str, project_key: str) -> None:
    """Offer a published register project to the cohort's participants (once: offering it again
    changes nothing)."""
    with transaction(engine) as session:
        cohort, programme = find_cohort(session, cohort_key)
        require_owner(actor, programme)
        if cohort.state == CohortState.FINISHED.value:
            raise InvalidInput(
                [Problem("cohort project", None, "cohort", cohort_key, "has finished")]
            )
        project = _published_project(session, project_key)
        if session.get(CohortProject, (cohort.id, project.id)) is not None:
            return
        session.add(
            CohortProject(
                cohort_id=cohort.id,
                project_id=project.id,
                offered_at=datetime.now(UTC),
                offered_by=actor.display_name[:300],
            )
        )
        record_event(
            session,
            actor,
            "cohort.project_offered",
            entity_type="cohort",
            entity_key=cohort.key,
            organisation_id=programme.organisation_id,
            after={"project": project.key},
        )


def withdraw_project_offer(engine: Engine, actor: Actor, cohort_key: str, project_key: str) -> None:
    """Take a project off the cohort's offer (nothing changes if it was not on offer)."""
    with transaction(engine) as session:
        cohort, programme = find_cohort(session, cohort_key)
        require_owner(actor, programme)
        project = session.scalar(select(AIProject).where(AIProject.key == project_key))
        if project is None:
            raise UnknownKey("AI project", project_key)
        offer = session.get(CohortProject, (cohort.id, project.id))
        if offer is None:
            return
        session.delete(offer)
        record_event(
            session,
            actor,
            "cohort.project_withdrawn",
            entity_type="cohort",
            entity_key=cohort.key,
            organisation_id=programme.organisation_id,
            before={"project": project.key},
        )


def projects_offered_to(engine: Engine, cohort_key: str) -> list[OfferedProject]:
    """The published projects on offer to the cohort, by title."""
    with reading(engine) as session:
        cohort, _ = find_cohort(session, cohort_key)
        rows = session.execute(
            select(
                AIProject.key,
                AIProject.title,
                AIProject.summary,
                Organisation.name,
                CohortProject.offered_at,
            )
            .join(CohortProject, CohortProject.project_id == AIProject.id)
            .outerjoin(Organisation, Organisation.id == AIProject.organisation_id)
            .where(CohortProject.cohort_id == cohort.id, AIProject.status == "published")
            .order_by(AIProject.title, AIProject.key)
        ).all()
    return [OfferedProject(*row) for row in rows]


def cohorts_offered(engine: Engine, project_key: str) -> list[OfferedCohort]:
    """The cohorts a published project is offered to, soonest first."""
    with reading(engine) as session:
        project = _published_or_unknown(session, project_key)
        rows = session.execute(
            select(Cohort.key, Cohort.name, Programme.name, Cohort.state)
            .join(CohortProject, CohortProject.cohort_id == Cohort.id)
            .join(Programme, Programme.id == Cohort.programme_id)
            .where(CohortProject.project_id == project.id)
            .order_by(Cohort.starts_on, Cohort.key)
        ).all()
    return [
        OfferedCohort(key, name, programme, CohortState(state))
        for key, name, programme, state in rows
    ]


def _published_or_unknown(session: Session, key: str) -> AIProject:
    project = session.scalar(
        select(AIProject).where(AIProject.key == key, AIProject.status == "published")
    )
    if project is None:
        raise UnknownKey("published AI project", key)
    return project


def cohorts_to_offer_to(engine: Engine, actor: Actor) -> list[OfferedCohort]:
    """The cohorts not yet finished of the programmes the actor runs (to offer a project to)."""
    condition = (
        Programme.id.is_not(None)
        if actor.is_operator
        else Programme.organisation_id.in_(actor.organisations_where(Role.PROGRAMME_ADMIN))
    )
    with reading(engine) as session:
        rows = session.execute(
            select(Cohort.key, Cohort.name, Programme.name, Cohort.state)
            .join(Programme, Programme.id == Cohort.programme_id)
            .where(condition, Cohort.state != CohortState.FINISHED.value)
            .order_by(Programme.name, Cohort.starts_on, Cohort.key)
        ).all()
    return [
        OfferedCohort(key, name, programme, CohortState(state))
        for key, name, programme, state in rows
    ]


@dataclass(frozen=True, slots=True)
class AroundProject:
    """What a register record's page shows a signed-in reader of the project's cohorts and
    people: the cohorts it is offered to, and the ways on the reader may take."""

    cohorts: list[OfferedCohort]
    may_offer: bool  # the reader runs a cohort it could be offered to
    may_find_people: bool  # the reader may look for people to work on it


def around_project(engine: Engine, actor: Actor | None, key: str) -> AroundProject | None:
    """None for a reader not signed in (cohorts are for those signed in) or an unknown key."""
    if actor is None:
        return None
    with reading(engine) as session:
        project = session.scalar(select(AIProject).where(AIProject.key == key))
        if project is None:
            return None
        published = project.status == "published"
        finds = may_search_people(actor, project)
    cohorts = cohorts_offered(engine, key) if published else []
    offered = {c.key for c in cohorts}
    open_ones = [c for c in cohorts_to_offer_to(engine, actor) if c.key not in offered]
    return AroundProject(cohorts, published and bool(open_ones), finds)
