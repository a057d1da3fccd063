"""Training providers through the API: the cohorts an organisation delivers, their participants'
names and progress, and recording an assessment score."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from mobilise.services.bid_providers import bids_provided, name_bid_provider
from mobilise.services.providers import (
    DeliveredCohort,
    ParticipantProgress,
    delivered_cohorts,
    participants_progress,
    record_assessment,
)
from mobilise.web.access import SignedInActor
from mobilise.web.api.people import SIGN_IN
from mobilise.web.api.programmes import ERRORS
from mobilise.web.dependencies import EngineDep

router = APIRouter(prefix="/api/v1", tags=["programmes"])


class DeliveredOut(BaseModel):
    key: str
    name: str
    programme: str
    funding_source: str | None
    starts_on: date
    ends_on: date
    state: str


class ScoreOut(BaseModel):
    name: str
    score: float
    max_score: float
    assessed_on: date


class ParticipantOut(BaseModel):
    application: str
    name: str
    state: str
    sessions_attended: int
    sessions_recorded: int
    modules_done: int
    modules: int
    scores: list[ScoreOut]


class AssessmentIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    score: float = Field(ge=0)
    max_score: float = Field(gt=0)
    assessed_on: date


class BidOut(BaseModel):
    key: str
    title: str
    role: str | None
    owner: str = Field(description="The name of the organisation that made the bid.")
    places: int


class ProviderIn(BaseModel):
    provider: str | None = Field(max_length=200, description="Organisation key; null: none.")


def _delivered(view: DeliveredCohort) -> DeliveredOut:
    return DeliveredOut(
        key=view.key,
        name=view.name,
        programme=view.programme_name,
        state=view.state,
        starts_on=view.starts_on,
        ends_on=view.ends_on,
        funding_source=view.funding_source,
    )


def _participant(view: ParticipantProgress) -> ParticipantOut:
    return ParticipantOut(
        application=view.application_key,
        name=view.name,
        state=view.state,
        sessions_attended=view.sessions_attended,
        sessions_recorded=view.sessions_recorded,
        modules_done=view.modules_done,
        modules=view.modules,
        scores=[
            ScoreOut(name=s.name, score=s.score, max_score=s.max_score, assessed_on=s.assessed_on)
            for s in view.scores
        ],
    )


@router.get(
    "/provider/cohorts",
    response_model=list[DeliveredOut],
    summary="The cohorts your organisation delivers as their training provider",
    responses=SIGN_IN,
)
def cohorts(engine: EngineDep, actor: SignedInActor) -> list[DeliveredOut]:
    return [_delivered(view) for view in delivered_cohorts(engine, actor)]


@router.get(
    "/provider/cohorts/{key}/participants",
    response_model=list[ParticipantOut],
    summary="Participants' names and progress only (the cohort's owners and provider)",
    responses=ERRORS,
)
def participants(engine: EngineDep, actor: SignedInActor, key: str) -> list[ParticipantOut]:
    return [_participant(view) for view in participants_progress(engine, actor, key)]


@router.put(
    "/applications/{key}/assessments",
    status_code=204,
    summary="Record or replace a participant's score in a named assessment",
    responses=ERRORS,
)
def assessment(engine: EngineDep, actor: SignedInActor, key: str, body: AssessmentIn) -> Response:
    record_assessment(engine, actor, key, body.name, body.score, body.max_score, body.assessed_on)
    return Response(status_code=204)


@router.get(
    "/provider/bids",
    response_model=list[BidOut],
    summary="The bids (apprenticeships, one per role) naming your organisation as their provider",
    responses=SIGN_IN,
)
def bids(engine: EngineDep, actor: SignedInActor) -> list[BidOut]:
    return [
        BidOut(key=b.key, title=b.title, role=b.role, owner=b.owner_name, places=b.capacity)
        for b in bids_provided(engine, actor)
    ]


@router.put(
    "/opportunities/{key}/provider",
    status_code=204,
    summary="Name the training provider of a bid (its owners)",
    responses=ERRORS,
)
def name_provider(engine: EngineDep, actor: SignedInActor, key: str, body: ProviderIn) -> Response:
    name_bid_provider(engine, actor, key, body.provider)
    return Response(status_code=204)
