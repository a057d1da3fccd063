"""Allocation runs in the browser: programme admins (for their organisation) and service admins
list runs, create one from an uploaded PROBLEM.json or a stored run's problem, and read its
results; a person placed (or not) by a run reads only their own outcome and its explanation.

The same services as the API (`/api/v1/allocation-runs`) and `mobilise allocate --record`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from mobilise.core.allocation.run import METHODS
from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor
from mobilise.services.allocation_run_access import (
    BACKGROUND_EDGES,
    BASES,
    OBJECTIVES,
    RunRequest,
    create_run,
    frozen_problem,
    may_create_runs,
    may_read_whole,
    organisations_for_runs,
    own_outcomes,
    problem_from_upload,
    run_for,
    runs_for,
)
from mobilise.services.allocation_runs import UnknownRun, canonical, get_run
from mobilise.services.audit import NotPermitted
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False, prefix="/allocation-runs")

RUN_KEY = r"^[A-Za-z0-9_-]{1,40}$"
OUTCOMES_PER_PAGE = 50
# At most this many of a refused problem's errors are listed; the count says how many more.
ERRORS_SHOWN = 20
CRUMBS = [{"text": "Home", "href": "/"}, {"text": "Allocation runs", "href": "/allocation-runs"}]
METHOD_HINTS = {
    "stable": "Nobody would rather be with another opportunity that would rather have them.",
    "welfare": "Places the most people, then gives them the places they ranked highest.",
    "fair": "Like welfare (or stable), but meets the problem's quotas.",
}


def _not_found(key: str) -> HTTPException:
    return HTTPException(404, f"No allocation run has the key '{key}'.")


@router.get("", response_class=HTMLResponse)
def runs_page(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    size = request.app.state.settings.page_size
    runs, total = runs_for(engine, actor, limit=size, offset=(page - 1) * size)
    return render(
        request,
        "allocation/list.html",
        {
            "title": "Allocation runs",
            "runs": runs,
            "total": total,
            "page_number": page,
            "has_more": page * size < total,
            "breadcrumbs": [{"text": "Home", "href": "/"}],
        },
    )


def _form(
    request: Request,
    engine: Engine,
    actor: Actor,
    *,
    values: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> HTMLResponse:
    errors = _errors(problems or [])
    return render(
        request,
        "allocation/new.html",
        {
            "title": "Create an allocation run",
            "values": {"method": "stable", "seed": "0", "objective": "rank", "base": "welfare"}
            | (values or {}),
            "methods": [(m, METHOD_HINTS[m]) for m in METHODS],
            "objectives": OBJECTIVES,
            "bases": BASES,
            "organisations": organisations_for_runs(engine, actor),
            "operator": actor.is_operator,
            "errors": errors,
            "field_errors": {e["field"]: e["text"] for e in reversed(errors)},
            "limit_mb": request.app.state.settings.upload_limit_bytes // (1024 * 1024),
            "background_edges": BACKGROUND_EDGES,
            "breadcrumbs": CRUMBS,
        },
        status_code=status,
    )


def _errors(problems: list[Problem]) -> list[dict[str, str]]:
    """The error summary's items: each names the item at fault; the problem's own errors point
    at the file field (they are about its content)."""
    known = {"method", "seed", "objective", "base", "organisation", "source"}
    items = []
    for problem in problems[:ERRORS_SHOWN]:
        field = problem.column if problem.column in known else "file"
        where = "" if field != "file" else _where(problem)
        value = f"'{problem.value}' " if problem.value else ""
        items.append({"field": field, "text": f"{where}{value}{problem.rule}".strip()})
    if len(problems) > ERRORS_SHOWN:
        items.append({"field": "file", "text": f"and {len(problems) - ERRORS_SHOWN} more problems"})
    return items


def _where(problem: Problem) -> str:
    parts = [problem.source]
    if problem.row is not None:
        parts.append(f"line {problem.row}")
    if problem.column:
        parts.append(problem.column)
    return ", ".join(parts) + ": "


@router.get("/new", response_class=HTMLResponse)
def new_run_form(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    source: Annotated[str, Query(max_length=40, pattern=RUN_KEY)] = "",
) -> HTMLResponse:
    if not may_create_runs(actor):
        raise NotPermitted("only programme admins and service admins create allocation runs")
    return _form(request, engine, actor, values={"source": source} if source else None)


@router.post("", response_class=HTMLResponse)
async def create_run_page(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    method: Annotated[str, Form(max_length=20)] = "",
    seed: Annotated[str, Form(max_length=12)] = "0",
    objective: Annotated[str, Form(max_length=10)] = "rank",
    base: Annotated[str, Form(max_length=10)] = "welfare",
    organisation: Annotated[str, Form(max_length=12)] = "",
    source: Annotated[str, Form(max_length=40)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    if not may_create_runs(actor):
        raise NotPermitted("only programme admins and service admins create allocation runs")
    settings = request.app.state.settings
    values = {
        "method": method,
        "seed": seed,
        "objective": objective,
        "base": base,
        "organisation": organisation,
        "source": source,
    }
    problems: list[Problem] = []
    seed_number = int(seed) if seed.strip().isdigit() else None
    if seed_number is None:
        problems.append(Problem("run", None, "seed", seed[:12], "must be a whole number from 0"))
    organisation_id = int(organisation) if organisation.isdigit() else None
    if organisation and organisation_id is None:
        problems.append(Problem("run", None, "organisation", organisation, "is not one of yours"))
    if organisation_id is None and not actor.is_operator:
        problems.append(
            Problem("run", None, "organisation", None, "select the organisation the run is for")
        )
    has_file = file is not None and bool(file.filename)
    if has_file == bool(source.strip()):
        problems.append(
            Problem(
                "run", None, "file", None, "choose a PROBLEM.json file, or a stored run to re-solve"
            )
        )
    if problems:
        return _form(request, engine, actor, values=values, problems=problems, status=422)
    try:
        if has_file and file is not None:
            name = file.filename or "problem.json"
            raw = await file.read(settings.upload_limit_bytes + 1)
            if len(raw) > settings.upload_limit_bytes:
                rule = f"is larger than the upload limit of {settings.upload_limit_bytes:,} bytes"
                raise InvalidInput([Problem(name, None, None, None, rule)])
            document = problem_from_upload(raw, name)
        else:
            try:
                document = await run_in_threadpool(frozen_problem, engine, actor, source.strip())
            except UnknownRun:
                raise InvalidInput(
                    [Problem("run", None, "source", source, "is not a run you may read")]
                ) from None
        created = await run_in_threadpool(
            create_run,
            engine,
            actor,
            document,
            RunRequest(method, seed_number or 0, objective, base, organisation_id),
            upload_directory=settings.upload_directory,
            min_group_count=settings.disclosure_threshold,
        )
    except InvalidInput as error:
        return _form(
            request, engine, actor, values=values, problems=list(error.problems), status=422
        )
    if created.job is not None:
        return RedirectResponse(f"/jobs/{created.job.id}", status_code=303)
    assert created.run is not None
    return RedirectResponse(f"/allocation-runs/{created.run.key}", status_code=303)


@router.get("/{key}", response_class=HTMLResponse)
def run_page(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    try:
        summary, result = get_run(engine, key)
        if not may_read_whole(engine, actor, summary):
            _, mine = own_outcomes(engine, actor, key)
            return render(
                request,
                "allocation/mine.html",
                {"title": "Your allocation outcome", "summary": summary, "outcomes": mine},
            )
    except UnknownRun:
        raise _not_found(key) from None
    outcomes = [
        {"applicant": m["applicant"], "opportunity": m["opportunity"], "text": m["explanation"]}
        for m in result["matches"]
    ] + [
        {"applicant": u["applicant"], "opportunity": None, "text": u["explanation"]}
        for u in result["unmatched"]
    ]
    start = (page - 1) * OUTCOMES_PER_PAGE
    return render(
        request,
        "allocation/run.html",
        {
            "title": f"Allocation run {summary.key}",
            "summary": summary,
            "result": result,
            "metrics": result["metrics"],
            "fair": result.get("fair"),
            "outcomes": outcomes[start : start + OUTCOMES_PER_PAGE],
            "outcome_count": len(outcomes),
            "page_number": page,
            "has_more": start + OUTCOMES_PER_PAGE < len(outcomes),
            "breadcrumbs": CRUMBS,
        },
    )


@router.get("/{key}/result.json")
def result_download(engine: EngineDep, actor: SignedInActor, key: str) -> Response:
    try:
        summary, result = run_for(engine, actor, key)
    except UnknownRun:
        raise _not_found(key) from None
    return Response(
        canonical(result),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="RESULT-{summary.key}.json"'},
    )
