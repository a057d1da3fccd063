"""Your data (`/me/data`): download it, see where each part is corrected, correct your name and
email, withdraw consent for sensitive attributes, ask to be erased; and the erasure requests
waiting for an admin's decision (`/erasure-requests`)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.problems import InvalidInput
from mobilise.services.actors import Actor
from mobilise.services.erasure import (
    REASON_LENGTH,
    approve_erasure,
    cancel_erasure,
    my_erasure_requests,
    refuse_erasure,
    request_erasure,
    requests_to_decide,
)
from mobilise.services.personal_data import download_my_data
from mobilise.services.personal_details import correct_my_details, my_details
from mobilise.services.sensitive_consent import my_consent, withdraw_consent
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.pages.programmes import problem_page
from mobilise.web.rendering import render

# An erasure request's key is a UUID.
KEY = Path(pattern=r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$")
router = APIRouter(include_in_schema=False)
HOME = [{"text": "Home", "href": "/"}]
YOUR_DATA = [*HOME, {"text": "Your data", "href": "/me/data"}]
LABELS = {"display_name": "Your name", "email": "Your email address"}
# Where each kind of record is corrected (or changed) by the person themself.
CORRECTIONS = (
    ("Your name and email address", "/me/data/details"),
    ("Your skill claims and profile", "/me"),
    ("Skills from your CV or a description of your work", "/me/skills/from-text"),
    ("Your applications to programmes (and what you share)", "/applications"),
    ("Your applications to opportunities", "/opportunities/applications"),
    ("Your credentials and the learning pathways you follow", "/credentials"),
    ("Your communities and events", "/communities"),
    ("Your messages", "/me/messages"),
)


def _data_page(
    request: Request, engine: EngineDep, actor: Actor, *, status_code: int = 200
) -> HTMLResponse:
    return render(
        request,
        "me/data.html",
        {
            "title": "Your data",
            "corrections": CORRECTIONS,
            "consent": my_consent(engine, actor),
            "requests": my_erasure_requests(engine, actor),
            "is_person": actor.person_id is not None,
            "reason_length": REASON_LENGTH,
            "breadcrumbs": HOME,
        },
        status_code=status_code,
    )


@router.get("/me/data", response_class=HTMLResponse)
def data(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    return _data_page(request, engine, actor)


@router.get("/me/data.json")
def download(engine: EngineDep, actor: SignedInActor) -> Response:
    document = download_my_data(engine, actor)
    return Response(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="mobilise-my-data.json"'},
    )


@router.get("/me/data/details", response_class=HTMLResponse)
def details_form(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    current = my_details(engine, actor)
    return render(
        request,
        "me/data_details.html",
        {
            "title": "Correct your name and email address",
            "values": {"display_name": current.display_name, "email": current.email or ""},
            "errors": {},
            "breadcrumbs": YOUR_DATA,
        },
    )


@router.post("/me/data/details", response_class=HTMLResponse)
def correct_details(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    display_name: Annotated[str, Form(max_length=1000)] = "",
    email: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    try:
        correct_my_details(engine, actor, display_name, email)
    except InvalidInput as error:
        return render(
            request,
            "me/data_details.html",
            {
                "title": "Correct your name and email address",
                "values": {"display_name": display_name, "email": email},
                "errors": {
                    p.column: f"{LABELS.get(p.column or '', 'It')} {p.rule}" for p in error.problems
                },
                "breadcrumbs": YOUR_DATA,
            },
            status_code=422,
        )
    return RedirectResponse("/me/data?corrected=1", status_code=303)


@router.post("/me/data/consent/withdraw", response_class=HTMLResponse)
def withdraw(engine: EngineDep, actor: SignedInActor) -> Response:
    withdraw_consent(engine, actor)
    return RedirectResponse("/me/data#consent", status_code=303)


@router.post("/me/data/erasure", response_class=HTMLResponse)
def ask(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    reason: Annotated[str, Form(max_length=REASON_LENGTH + 100)] = "",
) -> Response:
    try:
        request_erasure(engine, actor, reason)
    except InvalidInput as error:
        return problem_page(request, error, "/me/data#erasure")
    return RedirectResponse("/me/data#erasure", status_code=303)


@router.post("/me/data/erasure/{key}/cancel", response_class=HTMLResponse)
def cancel(
    request: Request, engine: EngineDep, actor: SignedInActor, key: Annotated[str, KEY]
) -> Response:
    try:
        cancel_erasure(engine, actor, key)
    except InvalidInput as error:
        return problem_page(request, error, "/me/data#erasure")
    return RedirectResponse("/me/data#erasure", status_code=303)


@router.get("/erasure-requests", response_class=HTMLResponse)
def to_decide(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The requests waiting for this admin's decision, oldest first, a page at a time."""
    size = request.app.state.settings.page_size
    waiting, total = requests_to_decide(engine, actor, limit=size, offset=(page - 1) * size)
    context = {
        "title": "Requests to be erased",
        "requests": waiting,
        "total": total,
        "pages": {"number": page, "previous": page > 1, "next": page * size < total},
        "reason_length": REASON_LENGTH,
        "breadcrumbs": HOME,
    }
    return render(request, "me/data_erasure_requests.html", context)


@router.post("/erasure-requests/{key}/approve", response_class=HTMLResponse)
def approve(
    request: Request, engine: EngineDep, actor: SignedInActor, key: Annotated[str, KEY]
) -> Response:
    try:
        approve_erasure(engine, actor, key)
    except InvalidInput as error:
        return problem_page(request, error, "/erasure-requests")
    return RedirectResponse("/erasure-requests?decided=erased", status_code=303)


@router.post("/erasure-requests/{key}/refuse", response_class=HTMLResponse)
def refuse(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: Annotated[str, KEY],
    reason: Annotated[str, Form(max_length=REASON_LENGTH + 100)] = "",
) -> Response:
    try:
        refuse_erasure(engine, actor, key, reason)
    except InvalidInput as error:
        return problem_page(request, error, "/erasure-requests")
    return RedirectResponse("/erasure-requests?decided=refused", status_code=303)
