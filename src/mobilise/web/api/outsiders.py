"""A cohort's terms (open to outsiders, training provider, funding source) and hiring an
outsider who took a place, through the API."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from mobilise.services.candidates import hire_applicant
from mobilise.services.cohort_terms import TermsView, cohort_terms, set_cohort_terms
from mobilise.web.access import SignedInActor
from mobilise.web.api.programmes import ERRORS
from mobilise.web.dependencies import EngineDep

router = APIRouter(prefix="/api/v1", tags=["programmes"])

Funding = Literal["apprenticeship_levy", "department_budget", "central_funding", "self_funded"]


class TermsIn(BaseModel):
    open_to_outsiders: bool
    provider: str | None = Field(default=None, max_length=200, description="Organisation key.")
    funding_source: Funding | None = None


class TermsOut(BaseModel):
    cohort: str
    open_to_outsiders: bool
    provider: str | None
    provider_name: str | None
    funding_source: str | None


class HiredOut(BaseModel):
    organisation: str = Field(description="The key of the organisation they joined.")


def _out(view: TermsView) -> TermsOut:
    return TermsOut(
        cohort=view.cohort_key,
        open_to_outsiders=view.open_to_outsiders,
        provider=view.provider_key,
        provider_name=view.provider_name,
        funding_source=view.funding_source,
    )


@router.get(
    "/cohorts/{key}/terms",
    response_model=TermsOut,
    summary="Whether outsiders may apply, who delivers the cohort and who pays for it",
    responses=ERRORS,
)
def terms(engine: EngineDep, actor: SignedInActor, key: str) -> TermsOut:
    return _out(cohort_terms(engine, key))


@router.put(
    "/cohorts/{key}/terms",
    response_model=TermsOut,
    summary="Set the cohort's terms (its programme's admins)",
    responses=ERRORS,
)
def put_terms(engine: EngineDep, actor: SignedInActor, key: str, body: TermsIn) -> TermsOut:
    return _out(
        set_cohort_terms(
            engine,
            actor,
            key,
            open_to_outsiders=body.open_to_outsiders,
            provider_key=body.provider,
            funding_source=body.funding_source,
        )
    )


@router.post(
    "/applications/{key}/hire",
    response_model=HiredOut,
    summary="Hire an outsider who accepted or completed a place into the programme's department",
    responses=ERRORS,
)
def hire(engine: EngineDep, actor: SignedInActor, key: str) -> HiredOut:
    return HiredOut(organisation=hire_applicant(engine, actor, key))
