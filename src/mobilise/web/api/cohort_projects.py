"""`/api/v1/cohorts/{key}/projects`: register projects offered to a cohort (its programme admins
offer and withdraw them), and `/api/v1/register/{key}/cohorts`: the cohorts a project is offered
to."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response
from pydantic import BaseModel

from mobilise.services.cohort_projects import (
    cohorts_offered,
    offer_project,
    projects_offered_to,
    withdraw_project_offer,
)
from mobilise.web.access import SignedInActor
from mobilise.web.api.models import Timestamp
from mobilise.web.api.people import SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["programmes"])

Key = Annotated[str, Path(min_length=1, max_length=200)]
ERRORS: dict[int | str, dict[str, Any]] = {
    **SIGN_IN,
    404: {"model": Problem, "description": "No such cohort or project."},
    422: {"model": Problem, "description": "A draft project, or a finished cohort."},
}


class OfferedProjectOut(BaseModel):
    key: str
    title: str
    summary: str
    organisation_name: str | None
    offered_at: Timestamp


class OfferedCohortOut(BaseModel):
    key: str
    name: str
    programme_name: str
    state: str


@router.get(
    "/cohorts/{key}/projects",
    response_model=list[OfferedProjectOut],
    summary="The register projects on offer to a cohort's participants",
    responses=ERRORS,
)
def projects(engine: EngineDep, actor: SignedInActor, key: Key) -> list[OfferedProjectOut]:
    return [
        OfferedProjectOut(
            key=p.key,
            title=p.title,
            summary=p.summary,
            organisation_name=p.organisation_name,
            offered_at=p.offered_at,
        )
        for p in projects_offered_to(engine, key)
    ]


@router.put(
    "/cohorts/{key}/projects/{project}",
    status_code=204,
    summary="Offer a published register project to a cohort (its programme admins)",
    responses=ERRORS,
)
def offer(engine: EngineDep, actor: SignedInActor, key: Key, project: Key) -> Response:
    offer_project(engine, actor, key, project)
    return Response(status_code=204)


@router.delete(
    "/cohorts/{key}/projects/{project}",
    status_code=204,
    summary="Withdraw a project from a cohort's offer (its programme admins)",
    responses=ERRORS,
)
def withdraw(engine: EngineDep, actor: SignedInActor, key: Key, project: Key) -> Response:
    withdraw_project_offer(engine, actor, key, project)
    return Response(status_code=204)


@router.get(
    "/register/{key}/cohorts",
    response_model=list[OfferedCohortOut],
    summary="The cohorts a published project is offered to",
    responses=ERRORS,
)
def cohorts(engine: EngineDep, actor: SignedInActor, key: Key) -> list[OfferedCohortOut]:
    return [
        OfferedCohortOut(
            key=c.key, name=c.name, programme_name=c.programme_name, state=c.state.value
        )
        for c in cohorts_offered(engine, key)
    ]
