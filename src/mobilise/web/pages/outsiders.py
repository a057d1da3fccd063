"""A cohort's terms (/cohorts/{key}/terms: open to outsiders, provider, funding source) and
hiring an outsider who took a place (/applications/{key}/hire), for the programme's admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.problems import InvalidInput
from mobilise.services.candidates import hire_applicant
from mobilise.services.cohort_terms import FUNDING_LABELS, cohort_terms, set_cohort_terms
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

MESSAGES = {
    "provider": "Enter the key of an organisation, or leave it empty",
    "funding_source": "Choose a funding source from the list",
}


def _terms_page(
    request: Request,
    engine: EngineDep,
    key: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, object] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    terms = cohort_terms(engine, key)
    return render(
        request,
        "candidates/terms.html",
        {
            "title": f"Terms of cohort {key}",
            "cohort_key": key,
            "values": values
            or {
                "open_to_outsiders": terms.open_to_outsiders,
                "provider": terms.provider_key or "",
                "funding_source": terms.funding_source or "",
            },
            "funding_labels": FUNDING_LABELS,
            "errors": errors or {},
            "has_errors": bool(errors),
        },
        status_code=status_code,
    )


@router.get("/cohorts/{key}/terms", response_class=HTMLResponse)
def terms_form(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> Response:
    return _terms_page(request, engine, key[:200])


@router.post("/cohorts/{key}/terms", response_class=HTMLResponse)
def set_terms(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    open_to_outsiders: Annotated[str, Form(max_length=10)] = "",
    provider: Annotated[str, Form(max_length=200)] = "",
    funding_source: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    try:
        set_cohort_terms(
            engine,
            actor,
            key[:200],
            open_to_outsiders=open_to_outsiders == "yes",
            provider_key=provider,
            funding_source=funding_source,
        )
    except InvalidInput as error:
        return _terms_page(
            request,
            engine,
            key[:200],
            errors={
                str(p.column): MESSAGES[str(p.column)]
                for p in error.problems
                if p.column in MESSAGES
            },
            values={
                "open_to_outsiders": open_to_outsiders == "yes",
                "provider": provider,
                "funding_source": funding_source,
            },
            status_code=422,
        )
    return RedirectResponse(f"/cohorts/{key[:200]}", status_code=303)


@router.get("/applications/{key}/hire", response_class=HTMLResponse)
def hire_form(request: Request, actor: SignedInActor, key: str) -> HTMLResponse:
    return render(
        request,
        "candidates/hire.html",
        {"title": "Hire this applicant", "application_key": key[:40], "problem": None},
    )


@router.post("/applications/{key}/hire", response_class=HTMLResponse)
def hire(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> Response:
    try:
        hire_applicant(engine, actor, key[:40])
    except InvalidInput as error:
        return render(
            request,
            "candidates/hire.html",
            {
                "title": "Hire this applicant",
                "application_key": key[:40],
                "problem": error.problems[0].rule,
            },
            status_code=422,
        )
    return RedirectResponse(f"/applications/{key[:40]}", status_code=303)
