"""`/api/v1/jobs`: background jobs the caller may see, and (service admins) file imports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from mobilise.services.jobs import Job
from mobilise.services.jobs.visibility import job_for, jobs_for, queue_upload
from mobilise.web.access import JobReader, JobStarter
from mobilise.web.api.pagination import Cursor, Limit, Page, decode_cursor, next_link
from mobilise.web.api.people import SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem as ProblemOut

router = APIRouter(prefix="/api/v1", tags=["jobs"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ProblemOut, "description": "No such job that you may see."}
}
UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ProblemOut, "description": "The file is over the upload limit."},
    422: {"model": ProblemOut, "description": "Invalid parameters (listed in invalid-params)."},
}


class ProgressOut(BaseModel):
    done: int
    total: int = Field(description="0 while the total is not known.")
    message: str


class JobErrorOut(BaseModel):
    name: str
    message: str
    problems: list[str]


class JobOut(BaseModel):
    id: str
    kind: str
    state: Literal["queued", "running", "succeeded", "failed", "cancelled"]
    parameters: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    progress: ProgressOut | None
    result: dict[str, Any] | None
    error: JobErrorOut | None
    worker: str | None


def _job_out(job: Job) -> JobOut:
    return JobOut(
        id=job.id,
        kind=job.kind,
        state=job.state.value,
        parameters=dict(job.parameters),
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        progress=None
        if job.progress is None
        else ProgressOut(
            done=job.progress.done, total=job.progress.total, message=job.progress.message
        ),
        result=None if job.result is None else dict(job.result),
        error=None
        if job.error is None
        else JobErrorOut(
            name=job.error.name, message=job.error.message, problems=list(job.error.problems)
        ),
        worker=job.worker,
    )


@router.get("/jobs", response_model=Page[JobOut], summary="Jobs, newest first", responses=SIGN_IN)
def list_jobs(
    request: Request, engine: EngineDep, actor: JobReader, limit: Limit = 50, cursor: Cursor = None
) -> dict[str, Any]:
    offset = 0 if cursor is None else int(decode_cursor(cursor, (int,))[0])
    found = jobs_for(engine, actor, limit=limit, offset=offset)
    return {
        "items": [_job_out(job) for job in found.jobs],
        "total": found.total,
        "limit": limit,
        "next": next_link(request, [offset + limit] if found.has_more else None),
    }


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    summary="One job, with its progress, result or error",
    responses={**SIGN_IN, **NOT_FOUND},
)
def get_job(
    engine: EngineDep,
    actor: JobReader,
    job_id: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")],
) -> JobOut:
    return _job_out(job_for(engine, actor, job_id))


@router.post(
    "/jobs/imports",
    response_model=JobOut,
    status_code=202,
    summary="Upload a file and queue its import",
    responses={**SIGN_IN, **UPLOAD_ERRORS},
)
async def import_file(
    request: Request,
    engine: EngineDep,
    actor: JobStarter,
    table: Annotated[Literal["organisations", "people", "claims", "learning_items"], Form()],
    file: Annotated[UploadFile, File(description="A .csv or .json file.")],
) -> JobOut:
    settings = request.app.state.settings
    job = await run_in_threadpool(
        lambda: queue_upload(
            engine,
            actor,
            table,
            file.filename or "",
            file.file,
            directory=settings.upload_directory,
            max_bytes=settings.upload_limit_bytes,
        )
    )
    return _job_out(job)
