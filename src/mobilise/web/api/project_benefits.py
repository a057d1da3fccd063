"""`/api/v1/register/{key}/benefits` and `/api/v1/benefits`: benefits and savings claimed by AI
projects in the register, with their evidence, and their sums per organisation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from mobilise.services.actors import Actor, Scope
from mobilise.services.project_benefits import (
    BenefitClaim,
    OrganisationBenefits,
    RecordedBenefit,
    benefits_by_organisation,
    project_benefits,
    record_benefit,
)
from mobilise.web.access import Requirement, SignedInActor
from mobilise.web.api.people import SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["register"])

Reader = Annotated[Actor, Depends(Requirement(scope=Scope.REGISTER_READ))]
Writer = Annotated[Actor, Depends(Requirement(scope=Scope.REGISTER_WRITE))]
Key = Annotated[str, Path(min_length=1, max_length=200)]
ERRORS: dict[int | str, dict[str, Any]] = {
    **SIGN_IN,
    404: {"model": Problem, "description": "No such project that you may see or change."},
    422: {"model": Problem, "description": "Invalid input, each problem naming its field."},
}


class BenefitIn(BaseModel):
    kind: str = Field(
        max_length=20,
        description="cash_saving, time_saving (valued in pence), cost_avoidance, income or other",
    )
    amount_pence: int = Field(description="The amount claimed, in pence.")
    period_start: date
    period_end: date
    evidence: str = Field(default="", max_length=5000, description="How the amount is known.")
    evidence_url: str | None = Field(default=None, max_length=1000)


class BenefitOut(BenefitIn):
    id: int
    recorded_by: str
    recorded_at: datetime


class RecordedOut(BaseModel):
    id: int


class OrganisationBenefitsOut(BaseModel):
    organisation: str
    name: str
    projects: int
    claims: int
    total_pence: int
    by_kind: dict[str, int]


def _benefit_out(benefit: RecordedBenefit) -> BenefitOut:
    claim = benefit.claim
    return BenefitOut(
        id=benefit.id,
        kind=claim.kind,
        amount_pence=claim.amount_pence,
        period_start=claim.period_start,
        period_end=claim.period_end,
        evidence=claim.evidence,
        evidence_url=claim.evidence_url,
        recorded_by=benefit.recorded_by,
        recorded_at=benefit.recorded_at,
    )


@router.get(
    "/register/{key}/benefits",
    response_model=list[BenefitOut],
    summary="A project's claimed benefits and savings, with their evidence",
    responses=ERRORS,
)
def benefits(engine: EngineDep, actor: Reader, key: Key) -> list[BenefitOut]:
    return list(map(_benefit_out, project_benefits(engine, actor, key)))


@router.post(
    "/register/{key}/benefits",
    response_model=RecordedOut,
    status_code=201,
    summary="Record a benefit or saving your organisation's project claims, with evidence",
    responses=ERRORS,
)
def record(engine: EngineDep, actor: Writer, key: Key, body: BenefitIn) -> RecordedOut:
    claim = BenefitClaim(
        body.kind,
        body.amount_pence,
        body.period_start,
        body.period_end,
        body.evidence,
        body.evidence_url,
    )
    return RecordedOut(id=record_benefit(engine, actor, key, claim))


def _organisation_out(totals: OrganisationBenefits) -> OrganisationBenefitsOut:
    return OrganisationBenefitsOut(
        organisation=totals.organisation_key,
        name=totals.organisation_name,
        projects=totals.projects,
        claims=totals.claims,
        total_pence=totals.total_pence,
        by_kind=totals.by_kind,
    )


@router.get(
    "/benefits",
    response_model=list[OrganisationBenefitsOut],
    summary="Claimed benefits of published register projects, summed per organisation",
    responses=SIGN_IN,
)
def by_organisation(engine: EngineDep, actor: SignedInActor) -> list[OrganisationBenefitsOut]:
    return list(map(_organisation_out, benefits_by_organisation(engine)))
