"""A programme's intakes, read for statistics: its cohorts, and the marketplace rounds that are
its intakes (a round whose `programme_id` names it — TechTrack's places come from departments'
bids in such rounds), with each applicant's furthest stage in each intake.

An applicant counts once per intake: a person who applies to several placements of a round has
one stage there, the furthest any of their applications reached. So a place filled is counted
once whether it came through a cohort or a round, and a person's several applications never
count as several participants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from mobilise.store.models import (
    Application,
    ApplicationTransition,
    Cohort,
    MarketplaceRound,
    Opportunity,
    OpportunityApplication,
    OpportunityApplicationTransition,
    Position,
    Programme,
)

# States an application reaches only through an offer: the applicant was selected.
SELECTED_STATES = frozenset({"offered", "accepted", "declined", "completed", "left"})
PARTICIPANT_STATES = ("accepted", "completed", "left")
STAGES = ("applied", "selected", "accepted", "completed", "moved")
PARTICIPANT_STAGE = 2


@dataclass(frozen=True)
class Intake:
    key: str  # "<cohort id>" or "round-<round id>"
    programme_key: str
    programme: str
    name: str
    starts_on: date


@dataclass(frozen=True)
class Applicant:
    intake: str
    person_id: int
    # 0 not selected, 1 selected only, 2 participant, 3 completed, 4 completed and moved role
    stage: int


def _stage(state: str, offered: bool, moved: bool) -> int:
    stage = 0
    if state in SELECTED_STATES or offered:
        stage = 1
    if state in PARTICIPANT_STATES:
        stage = 2
    if state == "completed":
        stage = 4 if moved else 3
    return stage


def _cohorts(session: Any) -> tuple[list[Intake], list[Applicant]]:
    intakes = [
        Intake(str(row.id), row.key, row.programme, row.name, row.starts_on)
        for row in session.execute(
            select(
                Cohort.id,
                Programme.key,
                Programme.name.label("programme"),
                Cohort.name,
                Cohort.starts_on,
            ).join(Programme, Programme.id == Cohort.programme_id)
        )
    ]
    offered = set(
        session.scalars(
            select(ApplicationTransition.application_id).where(
                ApplicationTransition.to_state == "offered"
            )
        )
    )
    # A person moved role if a new position of theirs started after their cohort ended.
    moved = {
        (person, cohort)
        for person, cohort in session.execute(
            select(Application.person_id, Application.cohort_id)
            .join(Cohort, Cohort.id == Application.cohort_id)
            .join(Position, Position.person_id == Application.person_id)
            .where(Application.state == "completed", Position.started_on > Cohort.ends_on)
            .distinct()
        )
    }
    applicants = [
        Applicant(
            str(cohort_id),
            person_id,
            _stage(state, app_id in offered, (person_id, cohort_id) in moved),
        )
        for app_id, cohort_id, person_id, state in session.execute(
            select(Application.id, Application.cohort_id, Application.person_id, Application.state)
        )
    ]
    return intakes, applicants


def _rounds(session: Any) -> tuple[list[Intake], list[Applicant]]:
    """Rounds that are a programme's intake; a round starts when its first placement does."""
    intakes = [
        Intake(f"round-{row.id}", row.key, row.programme, row.name, row.starts_on)
        for row in session.execute(
            select(
                MarketplaceRound.id,
                Programme.key,
                Programme.name.label("programme"),
                MarketplaceRound.name,
                func.min(Opportunity.starts_on).label("starts_on"),
            )
            .join(Programme, Programme.id == MarketplaceRound.programme_id)
            .join(Opportunity, Opportunity.round_id == MarketplaceRound.id)
            .group_by(MarketplaceRound.id, Programme.key, Programme.name, MarketplaceRound.name)
        )
    ]
    offered = set(
        session.scalars(
            select(OpportunityApplicationTransition.application_id).where(
                OpportunityApplicationTransition.to_state == "offered"
            )
        )
    )
    moved = set(
        session.scalars(
            select(OpportunityApplication.id)
            .join(Opportunity, Opportunity.id == OpportunityApplication.opportunity_id)
            .join(Position, Position.person_id == OpportunityApplication.person_id)
            .where(
                OpportunityApplication.state == "completed",
                Position.started_on > Opportunity.ends_on,
            )
        )
    )
    furthest: dict[tuple[str, int], int] = {}
    for app_id, round_id, person_id, state in session.execute(
        select(
            OpportunityApplication.id,
            Opportunity.round_id,
            OpportunityApplication.person_id,
            OpportunityApplication.state,
        )
        .join(Opportunity, Opportunity.id == OpportunityApplication.opportunity_id)
        .join(MarketplaceRound, MarketplaceRound.id == Opportunity.round_id)
        .where(MarketplaceRound.programme_id.is_not(None))
    ):
        key = (f"round-{round_id}", person_id)
        stage = _stage(state, app_id in offered, app_id in moved)
        furthest[key] = max(furthest.get(key, 0), stage)
    applicants = [Applicant(intake, person, stage) for (intake, person), stage in furthest.items()]
    return intakes, applicants


def programme_intakes(session: Any) -> tuple[list[Intake], list[Applicant]]:
    """Every programme's intakes (by programme, start and name) and their applicants."""
    cohorts, cohort_applicants = _cohorts(session)
    rounds, round_applicants = _rounds(session)
    intakes = sorted(
        [*cohorts, *rounds], key=lambda i: (i.programme.lower(), i.starts_on, i.name, i.key)
    )
    return intakes, [*cohort_applicants, *round_applicants]
