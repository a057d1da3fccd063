"""Rounds of the marketplace: open one (a programme's intake, with quotas), list and show them,
close it to applications, start it (the moves are recorded) and finish it (the returns are
recorded). Allocation is in services/round_allocation.py.

A move is a dated Position (the person's history, store/models/workforce.py): when the round
starts, each accepted person's open position ends the day before the opportunity starts and a
position in the hosting organisation begins; when it finishes, that position ends on the
opportunity's last day and one back in their own organisation begins the day after. The person's
organisation (their employer) does not change. Mentoring moves nobody, nor does an opportunity of
the person's own organisation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from mobilise.core.allocation.quotas import parse_constraints
from mobilise.core.marketplace import OpportunityKind
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.programmes import (
    ApplicationAction,
    ApplicationState,
    CohortAction,
    CohortState,
    next_cohort_state,
)
from mobilise.services.actors import Actor, command_line_actor
from mobilise.services.application_transitions import change_state
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.marketplace_applications import opportunity_subject
from mobilise.services.marketplace_waiting_list import end_waiting_lists
from mobilise.services.opportunities import (
    OpportunitySummary,
    RoundNotFound,
    acting_organisation,
    find_round,
    key_problems,
    now,
    owns_organisation,
    summaries_of,
)
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    MarketplaceRound,
    Opportunity,
    OpportunityApplication,
    Organisation,
    Person,
    Position,
    Programme,
)

A = ApplicationAction
S = ApplicationState


@dataclass(frozen=True)
class RoundSpec:
    key: str
    name: str
    organisation: str  # key of the organisation that runs it
    applications_close_on: date | None = None
    programme: str | None = None  # the programme whose intake it is (e.g. techtrack)
    quotas: Sequence[Mapping[str, Any]] = ()  # the engine's quotas: allocated by `fair`


def round_problems(spec: RoundSpec) -> list[Problem]:
    """What is wrong with the spec's own fields (the store's checks aside)."""
    source = f"round {spec.key}"
    problems = key_problems(source, spec.key)
    if not spec.name.strip():
        problems.append(Problem(source, None, "name", spec.name, "must not be empty"))
    # A round's quotas apply to all its opportunities (posted later), so they name none.
    quota_problems: list[Problem] = []
    parse_constraints({"quotas": list(spec.quotas)}, {}, quota_problems)
    problems.extend(replace(p, source=source) for p in quota_problems)
    return problems


def open_round(engine: Engine, actor: Actor | None, spec: RoundSpec) -> str:
    """Open a round of opportunities run by the actor's organisation."""
    who = actor or command_line_actor()
    source = f"round {spec.key}"
    problems = round_problems(spec)
    with transaction(engine) as session:
        organisation = acting_organisation(session, who, spec.organisation, source, problems)
        if session.scalar(select(MarketplaceRound.id).where(MarketplaceRound.key == spec.key)):
            problems.append(Problem(source, None, "key", spec.key, "is taken"))
        programme = None
        if spec.programme is not None:
            programme = session.scalar(select(Programme).where(Programme.key == spec.programme))
            if programme is None:
                rule = "names no programme"
                problems.append(Problem(source, None, "programme", spec.programme, rule))
            elif organisation is not None and programme.organisation_id != organisation.id:
                rule = "is run by another organisation than the round"
                problems.append(Problem(source, None, "programme", spec.programme, rule))
        if problems or organisation is None:
            raise InvalidInput(problems)
        found = MarketplaceRound(
            key=spec.key,
            name=spec.name.strip(),
            organisation_id=organisation.id,
            programme_id=None if programme is None else programme.id,
            quotas=json.dumps(list(spec.quotas)),
            applications_close_on=spec.applications_close_on,
            state=CohortState.OPEN.value,
            created_at=now(),
        )
        session.add(found)
        session.flush()
        record_event(
            session,
            actor,
            "marketplace_round.opened",
            entity_type="marketplace_round",
            entity_key=found.key,
            organisation_id=organisation.id,
            after={
                "name": found.name,
                "applications_close_on": found.applications_close_on,
                "programme": spec.programme,
                "quotas": list(spec.quotas),
            },
        )
        return found.key


@dataclass(frozen=True)
class RoundSummary:
    key: str
    name: str
    organisation_key: str
    organisation_name: str
    state: CohortState
    applications_close_on: date | None
    opportunities: int
    places: int
    applications: dict[str, int]  # by state
    allocation_run_key: str | None
    owns: bool
    programme_key: str | None = None
    quotas: tuple[Mapping[str, Any], ...] = ()


def list_rounds(engine: Engine, actor: Actor) -> list[RoundSummary]:
    """Every round, newest first, with its counts."""
    with reading(engine) as session:
        rows = session.execute(
            select(MarketplaceRound, Organisation, Programme.key)
            .join(Organisation, Organisation.id == MarketplaceRound.organisation_id)
            .outerjoin(Programme, Programme.id == MarketplaceRound.programme_id)
            .order_by(MarketplaceRound.created_at.desc(), MarketplaceRound.id.desc())
        ).all()
        sizes = {
            r: (int(n), int(p or 0))
            for r, n, p in session.execute(
                select(
                    Opportunity.round_id, func.count(Opportunity.id), func.sum(Opportunity.capacity)
                ).group_by(Opportunity.round_id)
            ).all()
        }
        counts: dict[int, dict[str, int]] = {}
        for round_id, state, count in session.execute(
            select(Opportunity.round_id, OpportunityApplication.state, func.count())
            .join(Opportunity, Opportunity.id == OpportunityApplication.opportunity_id)
            .group_by(Opportunity.round_id, OpportunityApplication.state)
        ).all():
            counts.setdefault(round_id, {})[state] = int(count)
        return [
            RoundSummary(
                key=found.key,
                name=found.name,
                organisation_key=organisation.key,
                organisation_name=organisation.name,
                state=CohortState(found.state),
                applications_close_on=found.applications_close_on,
                opportunities=sizes.get(found.id, (0, 0))[0],
                places=sizes.get(found.id, (0, 0))[1],
                applications=counts.get(found.id, {}),
                allocation_run_key=found.allocation_run_key,
                owns=owns_organisation(actor, found.organisation_id),
                programme_key=programme_key,
                quotas=tuple(json.loads(found.quotas)),
            )
            for found, organisation, programme_key in rows
        ]


def get_round(
    engine: Engine, actor: Actor, key: str
) -> tuple[RoundSummary, list[OpportunitySummary]]:
    """A round and its opportunities (best fit to the reader first)."""
    for found in list_rounds(engine, actor):
        if found.key == key:
            with reading(engine) as session:
                rows = [
                    (o, r, g)
                    for o, r, g in session.execute(
                        select(Opportunity, MarketplaceRound, Organisation)
                        .join(MarketplaceRound, MarketplaceRound.id == Opportunity.round_id)
                        .join(Organisation, Organisation.id == Opportunity.organisation_id)
                        .where(MarketplaceRound.key == key)
                        .order_by(Opportunity.starts_on, Opportunity.key)
                    ).all()
                ]
                return found, summaries_of(session, actor, rows)
    raise RoundNotFound(key)


def owned_round(session: Session, who: Actor, key: str) -> MarketplaceRound:
    # Locks the round's row on PostgreSQL: two changes at once run one after the other.
    session.scalar(select(MarketplaceRound.id).where(MarketplaceRound.key == key).with_for_update())
    found = find_round(session, key)
    if not owns_organisation(who, found.organisation_id):
        raise NotPermitted(f"only programme admins of the organisation that runs {key} may do this")
    return found


def applications_in(
    session: Session, found: MarketplaceRound, *states: ApplicationState
) -> list[tuple[OpportunityApplication, Opportunity]]:
    return [
        (application, opportunity)
        for application, opportunity in session.execute(
            select(OpportunityApplication, Opportunity)
            .join(Opportunity, Opportunity.id == OpportunityApplication.opportunity_id)
            .where(
                Opportunity.round_id == found.id,
                OpportunityApplication.state.in_([s.value for s in states]),
            )
            .order_by(OpportunityApplication.submitted_at, OpportunityApplication.id)
        ).all()
    ]


def _moves(opportunity: Opportunity, person: Person) -> bool:
    return (
        opportunity.kind != OpportunityKind.MENTORING.value
        and opportunity.organisation_id != person.organisation_id
    )


def _start_moves(session: Session, actor: Actor | None, found: MarketplaceRound) -> None:
    for application, opportunity in applications_in(session, found, S.OFFERED):
        change_state(
            session,
            actor,
            application,
            A.DECLINE,
            opportunity_subject(application, opportunity),
            reason="The round started before you accepted the offer.",
        )
    for application, opportunity in applications_in(session, found, S.ACCEPTED):
        person = session.get(Person, application.person_id)
        assert person is not None
        if not _moves(opportunity, person):
            continue
        for open_position in session.scalars(
            select(Position).where(Position.person_id == person.id, Position.ended_on.is_(None))
        ):
            open_position.ended_on = max(
                open_position.started_on, opportunity.starts_on - timedelta(days=1)
            )
        moved = Position(
            person_id=person.id,
            organisation_id=opportunity.organisation_id,
            role_level_id=person.role_level_id,
            grade=person.grade,
            region=opportunity.region,
            started_on=opportunity.starts_on,
        )
        session.add(moved)
        session.flush()
        application.position_id = moved.id
        record_event(
            session,
            actor,
            "person.moved",
            entity_type="person",
            entity_key=person.key,
            organisation_id=opportunity.organisation_id,
            after={"opportunity": opportunity.key, "from": opportunity.starts_on},
        )


def _finish_moves(session: Session, actor: Actor | None, found: MarketplaceRound) -> None:
    for application, opportunity in applications_in(session, found, S.ACCEPTED):
        person = session.get(Person, application.person_id)
        assert person is not None
        moved = session.get(Position, application.position_id) if application.position_id else None
        if moved is not None and moved.ended_on is None:
            moved.ended_on = opportunity.ends_on
            session.add(
                Position(
                    person_id=person.id,
                    organisation_id=person.organisation_id,
                    role_level_id=person.role_level_id,
                    grade=person.grade,
                    region=person.region,
                    started_on=opportunity.ends_on + timedelta(days=1),
                )
            )
        change_state(
            session,
            actor,
            application,
            A.COMPLETE,
            opportunity_subject(application, opportunity),
            reason="The opportunity has ended.",
        )


def change_round(
    engine: Engine, actor: Actor | None, key: str, action: CohortAction
) -> CohortState:
    """Close a round, start it (the moves are recorded) or finish it (the returns are)."""
    who = actor or command_line_actor()
    if action is CohortAction.SELECT:
        raise InvalidInput(
            [Problem(f"round {key}", None, "action", action.value, "is done by allocating it")]
        )
    with transaction(engine) as session:
        found = owned_round(session, who, key)
        before = CohortState(found.state)
        after = next_cohort_state(before, action, subject=f"round {key}")
        if action is CohortAction.START:
            end_waiting_lists(session, actor, found, opportunity_subject)
            _start_moves(session, actor, found)
        elif action is CohortAction.FINISH:
            _finish_moves(session, actor, found)
        found.state = after.value
        record_event(
            session,
            actor,
            f"marketplace_round.{action.value}",
            entity_type="marketplace_round",
            entity_key=found.key,
            organisation_id=found.organisation_id,
            before={"state": before.value},
            after={"state": after.value},
        )
        return after


@dataclass(frozen=True)
class MoveView:
    person_key: str
    person_name: str
    organisation_name: str
    started_on: date
    ended_on: date | None


def moves_of(engine: Engine, actor: Actor, key: str) -> list[MoveView]:
    """The moves a round recorded, for its owners."""
    with reading(engine) as session:
        found = find_round(session, key)
        if not owns_organisation(actor, found.organisation_id):
            raise NotPermitted("only the round's owners see its moves")
        rows = session.execute(
            select(
                Person.key,
                Person.display_name,
                Organisation.name,
                Position.started_on,
                Position.ended_on,
            )
            .join(OpportunityApplication, OpportunityApplication.position_id == Position.id)
            .join(Opportunity, Opportunity.id == OpportunityApplication.opportunity_id)
            .join(Person, Person.id == Position.person_id)
            .join(Organisation, Organisation.id == Position.organisation_id)
            .where(Opportunity.round_id == found.id)
            .order_by(Person.display_name)
        ).all()
        return [MoveView(*row) for row in rows]
