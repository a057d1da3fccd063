"""`/api/v1/programmes/{key}/impact`: a programme's impact, every figure disclosure-controlled
(null where suppressed); the same figures as the page and its CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel

from mobilise.core.impact import Effect
from mobilise.services.impact import CohortImpact, ProgrammeImpact, SkillFollowUp, programme_impact
from mobilise.web.access import SignedInActor
from mobilise.web.api.people import SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["programmes"])

Key = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_-]+$")]
ERRORS: dict[int | str, dict[str, Any]] = {
    **SIGN_IN,
    404: {"model": Problem, "description": "No such programme that you may see."},
}


class EffectOut(BaseModel):
    method: str = "matched difference in differences"
    estimate: float | None
    low: float | None
    high: float | None
    confidence: float
    participants_change: float | None
    controls_change: float | None


class FollowUpOut(BaseModel):
    months_after_end: int
    due_on: date
    people: int | None
    mean_level_at_entry: float | None
    mean_level_after: float | None
    matched_pairs: int | None
    unmatched: int | None
    effect: EffectOut | None


class CohortImpactOut(BaseModel):
    key: str
    name: str
    starts_on: date
    ends_on: date
    participants: int | None
    after_12_months: dict[str, int | None]
    register_projects_offered: int
    skills: list[FollowUpOut]


class WaitingOut(BaseModel):
    key: str
    name: str
    follow_up_due_on: date


class ProgrammeImpactOut(BaseModel):
    key: str
    name: str
    disclosure_threshold: int
    target_skills: int
    participants: int | None
    after_12_months: dict[str, int | None]
    cohorts: list[CohortImpactOut]
    not_yet_followed_up: list[WaitingOut]
    notes: list[str]


def _effect(effect: Effect | None) -> EffectOut | None:
    if effect is None:
        return None
    return EffectOut(
        estimate=effect.estimate,
        low=effect.low,
        high=effect.high,
        confidence=effect.confidence,
        participants_change=effect.participants_change,
        controls_change=effect.controls_change,
    )


def _follow_up(f: SkillFollowUp) -> FollowUpOut:
    return FollowUpOut(
        months_after_end=f.months,
        due_on=f.due_on,
        people=f.people,
        mean_level_at_entry=f.level_before,
        mean_level_after=f.level_after,
        matched_pairs=f.pairs,
        unmatched=f.unmatched,
        effect=_effect(f.effect),
    )


def _cohort(c: CohortImpact) -> CohortImpactOut:
    return CohortImpactOut(
        key=c.key,
        name=c.name,
        starts_on=c.starts_on,
        ends_on=c.ends_on,
        participants=c.participants,
        after_12_months=c.outcomes,
        register_projects_offered=c.projects_offered,
        skills=[_follow_up(f) for f in c.follow_ups],
    )


def impact_out(impact: ProgrammeImpact) -> ProgrammeImpactOut:
    return ProgrammeImpactOut(
        key=impact.key,
        name=impact.name,
        disclosure_threshold=impact.threshold,
        target_skills=impact.target_skills,
        participants=impact.participants,
        after_12_months=impact.outcomes,
        cohorts=[_cohort(c) for c in impact.cohorts],
        not_yet_followed_up=[
            WaitingOut(key=k, name=n, follow_up_due_on=d) for k, n, d in impact.waiting
        ],
        notes=list(impact.notes),
    )


@router.get(
    "/programmes/{key}/impact",
    response_model=ProgrammeImpactOut,
    responses=ERRORS,
    summary="A programme's impact: skills before and after, moves, retention, matched effect",
)
def impact_api(engine: EngineDep, actor: SignedInActor, key: Key) -> ProgrammeImpactOut:
    return impact_out(programme_impact(engine, actor, key))
