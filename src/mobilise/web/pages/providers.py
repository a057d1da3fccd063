"""Training providers' pages: the cohorts an organisation delivers (/provider) and one cohort's
participants with their progress and a form to record an assessment score."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.problems import InvalidInput
from mobilise.services.bid_providers import bids_provided
from mobilise.services.cohort_terms import FUNDING_LABELS
from mobilise.services.providers import (
    delivered_cohorts,
    participants_progress,
    record_assessment,
)
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

MESSAGES = {
    "application": "Choose a participant",
    "name": "Enter the assessment's name, up to 200 characters",
    "score": "Enter a score from 0 to the most points",
    "max_score": "Enter the most points, above 0",
    "assessed_on": "Enter a date that is not in the future",
}


@router.get("/provider", response_class=HTMLResponse)
def provider_home(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    return render(
        request,
        "candidates/provider.html",
        {
            "title": "Cohorts you deliver",
            "cohorts": delivered_cohorts(engine, actor),
            "bids": bids_provided(engine, actor),
            "funding_labels": FUNDING_LABELS,
        },
    )


def _cohort_page(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "candidates/provider_cohort.html",
        {
            "title": f"Participants of {key}",
            "cohort_key": key,
            "participants": participants_progress(engine, actor, key),
            "errors": errors or {},
            "has_errors": bool(errors),
            "today": date.today().isoformat(),
        },
        status_code=status_code,
    )


@router.get("/provider/cohorts/{key}", response_class=HTMLResponse)
def provider_cohort(
    request: Request, engine: EngineDep, actor: SignedInActor, key: str
) -> HTMLResponse:
    return _cohort_page(request, engine, actor, key[:200])


@router.post("/provider/cohorts/{key}/assessments", response_class=HTMLResponse)
def add_assessment(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    application: Annotated[str, Form(max_length=40)] = "",
    name: Annotated[str, Form(max_length=1000)] = "",
    score: Annotated[str, Form(max_length=20)] = "",
    max_score: Annotated[str, Form(max_length=20)] = "",
    assessed_on: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    errors: dict[str, str] = {}
    numbers: dict[str, float] = {}
    for field, text in (("score", score), ("max_score", max_score)):
        try:
            numbers[field] = float(text)
        except ValueError:
            errors[field] = MESSAGES[field]
    try:
        day = date.fromisoformat(assessed_on)
    except ValueError:
        errors["assessed_on"] = MESSAGES["assessed_on"]
    if not application:
        errors["application"] = MESSAGES["application"]
    if not errors:
        try:
            record_assessment(
                engine, actor, application, name, numbers["score"], numbers["max_score"], day
            )
        except InvalidInput as error:
            errors = {
                str(p.column): MESSAGES[str(p.column)]
                for p in error.problems
                if p.column in MESSAGES
            }
    if errors:
        return _cohort_page(request, engine, actor, key[:200], errors=errors, status_code=422)
    return RedirectResponse(f"/provider/cohorts/{key[:200]}", status_code=303)
