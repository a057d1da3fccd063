"""Programmes and cohorts as a signed-in person sees them: the list with places filled, one
programme, one cohort with its curriculum, eligibility, panel and what the reader may do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from mobilise.core.programmes import (
    CohortState,
    describe,
    rubric_document,
    rule_document,
)
from mobilise.services.actors import Actor
from mobilise.services.programmes import (
    PLACED_STATES,
    ProgrammeNotFound,
    eligibility_of,
    find_cohort,
    on_panel,
    owns,
    rubric_of,
)
from mobilise.store.database import reading
from mobilise.store.models import (
    Application,
    Cohort,
    CohortItem,
    LearningItem,
    MarketplaceRound,
    Opportunity,
    OpportunityApplication,
    Organisation,
    PanelMember,
    Person,
    Programme,
)


@dataclass(frozen=True)
class CohortSummary:
    key: str
    name: str
    programme_key: str
    programme_name: str
    state: CohortState
    starts_on: date
    ends_on: date
    applications_close_on: date | None
    capacity: int


@dataclass(frozen=True)
class ProgrammeSummary:
    key: str
    name: str
    kind: str
    summary: str
    organisation_key: str
    organisation_name: str
    cohorts: list[CohortSummary]
    placed: int  # people accepted or completed across its cohorts
    completed: int
    target_people: int | None
    target_year: int | None
    may_run: bool  # the actor owns it

    def needed_per_year(self, today: date) -> int | None:
        """People to place each year, this one included, to reach the target by the end of
        its year (None without a target, 0 once reached)."""
        if self.target_people is None or self.target_year is None:
            return None
        left = max(0, self.target_people - self.placed)
        return -(-left // max(1, self.target_year - today.year + 1))


@dataclass(frozen=True)
class CurriculumItem:
    key: str
    title: str
    hours: float
    mandatory: bool


@dataclass(frozen=True)
class CohortView:
    summary: CohortSummary
    eligibility: dict[str, Any]
    eligibility_lines: list[str]
    curriculum: list[CurriculumItem]
    stages: list[dict[str, Any]]
    rubric: list[dict[str, Any]]
    quotas: list[dict[str, Any]]
    counts: dict[str, int]  # applications by state
    panel: list[tuple[str, str]]  # (person key, name)
    selection_run_key: str | None
    may_run: bool
    on_panel: bool


def _cohort_summary(cohort: Cohort, programme: Programme) -> CohortSummary:
    return CohortSummary(
        key=cohort.key,
        name=cohort.name,
        programme_key=programme.key,
        programme_name=programme.name,
        state=CohortState(cohort.state),
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        applications_close_on=cohort.applications_close_on,
        capacity=cohort.capacity,
    )


def _placed_counts(session: Session, programme_ids: list[int]) -> dict[int, tuple[int, int]]:
    rows: list[Any] = []
    rows += session.execute(
        select(Cohort.programme_id, Application.state, func.count(Application.id))
        .join(Application, Application.cohort_id == Cohort.id)
        .where(Cohort.programme_id.in_(programme_ids), Application.state.in_(PLACED_STATES))
        .group_by(Cohort.programme_id, Application.state)
    ).all()
    # A programme's intake rounds (TechTrack's placements) count as its cohorts do.
    rows += session.execute(
        select(MarketplaceRound.programme_id, OpportunityApplication.state, func.count())
        .join(Opportunity, Opportunity.round_id == MarketplaceRound.id)
        .join(OpportunityApplication, OpportunityApplication.opportunity_id == Opportunity.id)
        .where(
            MarketplaceRound.programme_id.in_(programme_ids),
            OpportunityApplication.state.in_(PLACED_STATES),
        )
        .group_by(MarketplaceRound.programme_id, OpportunityApplication.state)
    ).all()
    counts: dict[int, tuple[int, int]] = {}
    for programme_id, state, count in rows:
        placed, completed = counts.get(programme_id, (0, 0))
        counts[programme_id] = (placed + count, completed + (count if state == "completed" else 0))
    return counts


def list_programmes(engine: Engine, actor: Actor) -> list[ProgrammeSummary]:
    """Every programme with its cohorts (newest start first) and progress towards its target."""
    with reading(engine) as session:
        rows = session.execute(
            select(Programme, Organisation)
            .join(Organisation, Organisation.id == Programme.organisation_id)
            .order_by(Programme.name)
        ).all()
        ids = [programme.id for programme, _ in rows]
        cohorts: dict[int, list[CohortSummary]] = {i: [] for i in ids}
        for cohort, programme in session.execute(
            select(Cohort, Programme)
            .join(Programme, Programme.id == Cohort.programme_id)
            .order_by(Cohort.starts_on.desc(), Cohort.key)
        ).all():
            cohorts[programme.id].append(_cohort_summary(cohort, programme))
        counts = _placed_counts(session, ids)
        return [
            ProgrammeSummary(
                key=programme.key,
                name=programme.name,
                kind=programme.kind,
                summary=programme.summary,
                organisation_key=organisation.key,
                organisation_name=organisation.name,
                cohorts=cohorts[programme.id],
                placed=counts.get(programme.id, (0, 0))[0],
                completed=counts.get(programme.id, (0, 0))[1],
                target_people=programme.target_people,
                target_year=programme.target_year,
                may_run=owns(actor, programme),
            )
            for programme, organisation in rows
        ]


def get_programme(engine: Engine, actor: Actor, key: str) -> ProgrammeSummary:
    for programme in list_programmes(engine, actor):
        if programme.key == key:
            return programme
    raise ProgrammeNotFound(key)


def get_cohort(engine: Engine, actor: Actor, key: str) -> CohortView:
    with reading(engine) as session:
        cohort, programme = find_cohort(session, key)
        rule = eligibility_of(cohort)
        curriculum = [
            CurriculumItem(item.key, item.title, float(item.hours), entry.mandatory)
            for entry, item in session.execute(
                select(CohortItem, LearningItem)
                .join(LearningItem, LearningItem.id == CohortItem.item_id)
                .where(CohortItem.cohort_id == cohort.id)
                .order_by(CohortItem.position)
            ).all()
        ]
        counts = {
            state: int(count)
            for state, count in session.execute(
                select(Application.state, func.count(Application.id))
                .where(Application.cohort_id == cohort.id)
                .group_by(Application.state)
            ).all()
        }
        panel = [
            (person_key, name)
            for person_key, name in session.execute(
                select(Person.key, Person.display_name)
                .join(PanelMember, PanelMember.person_id == Person.id)
                .where(PanelMember.cohort_id == cohort.id)
                .order_by(Person.display_name)
            ).all()
        ]
        return CohortView(
            summary=_cohort_summary(cohort, programme),
            eligibility=rule_document(rule),
            eligibility_lines=describe(rule),
            curriculum=curriculum,
            stages=json.loads(cohort.stages),
            rubric=rubric_document(rubric_of(programme)),
            quotas=json.loads(programme.quotas),
            counts=counts,
            panel=panel,
            selection_run_key=cohort.selection_run_key,
            may_run=owns(actor, programme),
            on_panel=on_panel(session, actor, cohort),
        )
