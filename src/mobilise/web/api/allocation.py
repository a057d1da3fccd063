"""`/api/v1/allocation-runs`: what the allocation pages do, as JSON.

Programme admins (their organisation's runs) and service admins (every run) list, create and read
runs and download RESULT.json; a person reads only their own outcome in a run. Tokens need the
scope allocations:read to read and allocations:write to create.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from mobilise.core.problems import Problem
from mobilise.services.actors import Actor, Role, Scope
from mobilise.services.allocation_run_access import (
    RunRequest,
    create_run,
    own_outcomes,
    run_for,
    runs_for,
)
from mobilise.services.allocation_runs import RunSummary, UnknownRun
from mobilise.services.jobs.visibility import UploadTooLarge
from mobilise.web.access import Requirement
from mobilise.web.api.pagination import Cursor, Limit, Page, decode_cursor, next_link
from mobilise.web.api.people import SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem as ProblemOut

router = APIRouter(prefix="/api/v1", tags=["allocation"])

RunReader = Annotated[Actor, Depends(Requirement(scope=Scope.ALLOCATIONS_READ))]
RunCreator = Annotated[
    Actor,
    Depends(Requirement(Role.PROGRAMME_ADMIN, Role.SERVICE_ADMIN, scope=Scope.ALLOCATIONS_WRITE)),
]
RunKey = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ProblemOut, "description": "No such run that you may see."}
}
INVALID: dict[int | str, dict[str, Any]] = {
    413: {"model": ProblemOut, "description": "The request is over the upload limit."},
    422: {"model": ProblemOut, "description": "Invalid problem or parameters, each named."},
}


class RunOut(BaseModel):
    key: str
    created_at: datetime
    method: str
    seed: int
    parameters: dict[str, Any]
    problem_sha256: str
    applicants: int
    matched: int
    solve_seconds: float
    organisation_id: int | None


class RunDetailOut(RunOut):
    metrics: dict[str, Any] = Field(description="RESULT.json's metrics (docs/allocation.md).")
    fair: dict[str, Any] | None = Field(description="The fair method's quotas and their cost.")


class RunIn(BaseModel):
    problem: dict[str, Any] = Field(description="PROBLEM.json (docs/allocation.md).")
    method: Literal["stable", "welfare", "fair"]
    seed: Annotated[int, Field(ge=0, lt=2**31)] = 0
    objective: Literal["rank", "fit"] = "rank"
    base: Literal["welfare", "stable"] = "welfare"
    organisation_id: int | None = Field(
        default=None, description="Whose programme admins may read it (theirs, for them)."
    )


class CreatedOut(BaseModel):
    run: RunOut | None = Field(description="The stored run, when it was solved at once (201).")
    job_id: str | None = Field(description="The job solving a large problem (202): /jobs/{id}.")


class OutcomeOut(BaseModel):
    applicant: str
    opportunity: str | None = Field(description="Null when not placed.")
    explanation: str


class MyOutcomeOut(BaseModel):
    run: str
    method: str
    outcomes: list[OutcomeOut]


def _run_out(summary: RunSummary) -> RunOut:
    return RunOut(
        key=summary.key,
        created_at=summary.created_at,
        method=summary.method,
        seed=summary.seed,
        parameters=summary.parameters,
        problem_sha256=summary.problem_sha256,
        applicants=summary.applicants,
        matched=summary.matched,
        solve_seconds=summary.solve_seconds,
        organisation_id=summary.organisation_id,
    )


def _within_upload_limit(request: Request) -> None:
    """Refuse a body over the upload limit (413) by its declared length, before reading it."""
    limit = request.app.state.settings.upload_limit_bytes
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        rule = f"is larger than the upload limit of {limit:,} bytes; use `mobilise allocate`"
        raise UploadTooLarge([Problem("request", None, "body", None, rule)])


def _not_found(key: str) -> HTTPException:
    return HTTPException(404, f"No allocation run has the key '{key}'.")


@router.get(
    "/allocation-runs",
    response_model=Page[RunOut],
    summary="Allocation runs you may read, newest first",
    responses=SIGN_IN,
)
def list_allocation_runs(
    request: Request, engine: EngineDep, actor: RunReader, limit: Limit = 50, cursor: Cursor = None
) -> dict[str, Any]:
    offset = 0 if cursor is None else int(decode_cursor(cursor, (int,))[0])
    runs, total = runs_for(engine, actor, limit=limit, offset=offset)
    return {
        "items": [_run_out(run) for run in runs],
        "total": total,
        "limit": limit,
        "next": next_link(request, [offset + limit] if offset + limit < total else None),
    }


@router.post(
    "/allocation-runs",
    response_model=CreatedOut,
    status_code=201,
    summary="Solve a PROBLEM.json and store the run (a job for a large one)",
    responses={**SIGN_IN, **INVALID, 202: {"model": CreatedOut, "description": "Queued."}},
    dependencies=[Depends(_within_upload_limit)],
)
async def create_allocation_run(
    request: Request, response: Response, engine: EngineDep, actor: RunCreator, body: RunIn
) -> CreatedOut:
    settings = request.app.state.settings
    created = await run_in_threadpool(
        create_run,
        engine,
        actor,
        body.problem,
        RunRequest(body.method, body.seed, body.objective, body.base, body.organisation_id),
        upload_directory=settings.upload_directory,
        min_group_count=settings.disclosure_threshold,
    )
    if created.job is not None:
        response.status_code = 202
        return CreatedOut(run=None, job_id=created.job.id)
    assert created.run is not None
    return CreatedOut(run=_run_out(created.run), job_id=None)


@router.get(
    "/allocation-runs/{key}",
    response_model=RunDetailOut,
    summary="One run: its parameters, metrics and quotas",
    responses={**SIGN_IN, **NOT_FOUND},
)
def get_allocation_run(engine: EngineDep, actor: RunReader, key: RunKey) -> RunDetailOut:
    try:
        summary, result = run_for(engine, actor, key)
    except UnknownRun:
        raise _not_found(key) from None
    return RunDetailOut(
        **_run_out(summary).model_dump(), metrics=result["metrics"], fair=result.get("fair")
    )


@router.get(
    "/allocation-runs/{key}/result",
    summary="RESULT.json: every match and explanation, and the metrics",
    responses={**SIGN_IN, **NOT_FOUND},
)
def get_allocation_result(engine: EngineDep, actor: RunReader, key: RunKey) -> dict[str, Any]:
    try:
        _, result = run_for(engine, actor, key)
    except UnknownRun:
        raise _not_found(key) from None
    return result


@router.get(
    "/allocation-runs/{key}/my-outcome",
    response_model=MyOutcomeOut,
    summary="Your own outcome in a run and its explanation (nobody else's)",
    responses={**SIGN_IN, **NOT_FOUND},
)
def get_my_outcome(engine: EngineDep, actor: RunReader, key: RunKey) -> MyOutcomeOut:
    try:
        summary, outcomes = own_outcomes(engine, actor, key)
    except UnknownRun:
        raise _not_found(key) from None
    return MyOutcomeOut(
        run=summary.key,
        method=summary.method,
        outcomes=[OutcomeOut(**outcome) for outcome in outcomes],
    )
