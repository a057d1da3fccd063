"""`/register/{key}/benefits`: a project's claimed benefits and savings, with the form its team
records them on; `/benefits`: the claims of published projects summed per organisation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.problems import InvalidInput
from mobilise.services.project_benefits import (
    KIND_LABELS,
    BenefitClaim,
    benefits_by_organisation,
    benefits_project,
    project_benefits,
    record_benefit,
)
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

Key = Annotated[str, Path(min_length=1, max_length=200)]
Field = Annotated[str, Form(max_length=5000)]
# The service's columns, as the form's field ids.
FIELD_OF = {"amount_pence": "amount"}


def _page(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    title, may_record = benefits_project(engine, actor, key)
    return render(
        request,
        "impact/benefits.html",
        {
            "title": f"Benefits and savings: {title}",
            "key": key,
            "claims": project_benefits(engine, actor, key),
            "kinds": KIND_LABELS,
            "may_record": may_record,
            "values": values or {},
            "errors": errors or {},
            "breadcrumbs": [
                {"text": "AI register", "href": "/register"},
                {"text": title, "href": f"/register/{key}"},
            ],
        },
        status_code=status,
    )


@router.get("/register/{key}/benefits", response_class=HTMLResponse)
def benefits_page(request: Request, engine: EngineDep, actor: SignedInActor, key: Key) -> Response:
    return _page(request, engine, actor, key)


def _parsed(values: dict[str, str]) -> tuple[BenefitClaim | None, dict[str, str]]:
    errors: dict[str, str] = {}
    try:
        pence = int(Decimal(values["amount"].replace(",", "").replace("£", "").strip()) * 100)
    except (InvalidOperation, ValueError):
        errors["amount"] = "Enter the amount in pounds, like 125000 or 125000.50"
    days: dict[str, date] = {}
    for field in ("period_start", "period_end"):
        try:
            days[field] = date.fromisoformat(values[field].strip())
        except ValueError:
            errors[field] = "Enter a date, like 2025-04-01"
    if errors:
        return None, errors
    claim = BenefitClaim(
        values["kind"],
        pence,
        days["period_start"],
        days["period_end"],
        values["evidence"],
        values["evidence_url"] or None,
    )
    return claim, {}


@router.post("/register/{key}/benefits", response_class=HTMLResponse)
def record_page(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: Key,
    kind: Annotated[str, Form(max_length=20)] = "",
    amount: Annotated[str, Form(max_length=40)] = "",
    period_start: Annotated[str, Form(max_length=20)] = "",
    period_end: Annotated[str, Form(max_length=20)] = "",
    evidence: Field = "",
    evidence_url: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    values = {
        "kind": kind,
        "amount": amount,
        "period_start": period_start,
        "period_end": period_end,
        "evidence": evidence,
        "evidence_url": evidence_url,
    }
    claim, errors = _parsed(values)
    if claim is not None:
        try:
            record_benefit(engine, actor, key, claim)
        except InvalidInput as error:
            errors = {
                FIELD_OF.get(p.column or "", p.column or "kind"): f"{p.rule} (you gave “{p.value}”)"
                for p in error.problems
            }
        else:
            return RedirectResponse(f"/register/{key}/benefits#claims", status_code=303)
    return _page(request, engine, actor, key, values, errors, 422)


@router.get("/benefits", response_class=HTMLResponse)
def organisations_page(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    context: dict[str, Any] = {
        "title": "Benefits and savings claimed by AI projects",
        "organisations": benefits_by_organisation(engine),
        "kinds": KIND_LABELS,
        "breadcrumbs": [{"text": "AI register", "href": "/register"}],
    }
    return render(request, "impact/organisations.html", context)
