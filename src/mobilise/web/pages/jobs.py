"""Background jobs in the browser: your jobs and their progress, and (for service admins) an
upload that queues an import for a worker."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from mobilise.core.problems import InvalidInput
from mobilise.services.jobs import FINISHED_STATES, Job
from mobilise.services.jobs.visibility import (
    UploadTooLarge,
    job_for,
    jobs_for,
    queue_upload,
)
from mobilise.web.access import OperatorActor, SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False, prefix="/jobs")

JOB_ID = r"^[A-Za-z0-9_-]{1,64}$"
TABLES = ("organisations", "people", "claims", "learning_items")
CRUMBS = [{"text": "Home", "href": "/"}, {"text": "Jobs", "href": "/jobs"}]


@router.get("", response_class=HTMLResponse)
def jobs_page(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    size = request.app.state.settings.page_size
    found = jobs_for(engine, actor, limit=size, offset=(page - 1) * size)
    return render(
        request,
        "jobs/list.html",
        {
            "title": "Jobs",
            "found": found,
            "page_number": page,
            "breadcrumbs": [{"text": "Home", "href": "/"}],
        },
    )


def _import_form(
    request: Request, *, errors: dict[str, str] | None = None, table: str = "", status: int = 200
) -> HTMLResponse:
    return render(
        request,
        "jobs/import.html",
        {
            "title": "Import a file",
            "tables": TABLES,
            "table": table,
            "errors": errors or {},
            "has_errors": bool(errors),
            "limit_mb": request.app.state.settings.upload_limit_bytes // (1024 * 1024),
            "breadcrumbs": CRUMBS,
        },
        status_code=status,
    )


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request, actor: OperatorActor) -> HTMLResponse:
    return _import_form(request)


@router.post("/import", response_class=HTMLResponse)
async def import_upload(
    request: Request,
    engine: EngineDep,
    actor: OperatorActor,
    table: Annotated[str, Form(max_length=20)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    settings = request.app.state.settings
    errors: dict[str, str] = {}
    if table not in TABLES:
        errors["table"] = "Select what the file holds"
    if file is None or not file.filename:
        errors["file"] = "Choose a CSV or JSON file to import"
    if errors or file is None:
        return _import_form(request, errors=errors, table=table, status=422)
    try:
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
    except InvalidInput as error:
        return _import_form(
            request,
            errors={"file": "The file " + error.problems[0].rule},
            table=table,
            status=413 if isinstance(error, UploadTooLarge) else 422,
        )
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/{job_id}", response_class=HTMLResponse)
def job_page(
    request: Request, engine: EngineDep, actor: SignedInActor, job_id: str
) -> HTMLResponse:
    job: Job = job_for(engine, actor, job_id)
    return render(
        request,
        "jobs/job.html",
        {
            "title": f"Job {job.id}",
            "job": job,
            "finished": job.state in FINISHED_STATES,
            "breadcrumbs": CRUMBS,
        },
    )
