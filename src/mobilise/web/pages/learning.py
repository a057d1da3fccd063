"""`/learning`: the learning catalogue (public), an item, and recording that you completed it."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.problems import InvalidInput
from mobilise.core.records.learning_items import LEARNING_FORMATS
from mobilise.services.learning import get_item, list_items
from mobilise.services.learning_completions import record_completion
from mobilise.services.skill_tags import item_tags, may_review_tags
from mobilise.web.access import PUBLIC, SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False, prefix="/learning")

CRUMBS = [{"text": "Home", "href": "/"}, {"text": "Learning", "href": "/learning"}]


@router.get("", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
def catalogue(
    request: Request,
    engine: EngineDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    format: Annotated[str | None, Query(max_length=30)] = None,
    skill: Annotated[str | None, Query(max_length=200)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    sort: Annotated[str, Query(pattern="^-?(title|hours|cost)$")] = "title",
) -> HTMLResponse:
    chosen_format = format if format in LEARNING_FORMATS else None
    found = list_items(
        engine,
        query=q or None,
        format=chosen_format,
        skill=skill or None,
        page=page,
        page_size=request.app.state.settings.page_size,
        sort=sort,
    )
    return render(
        request,
        "learning/catalogue.html",
        {
            "title": "Learning",
            "found": found,
            "query": q or "",
            "format": chosen_format or "",
            "skill": skill or "",
            "formats": LEARNING_FORMATS,
            "sort": sort,
            "breadcrumbs": [{"text": "Home", "href": "/"}],
        },
    )


@router.get("/{key}", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
def item(request: Request, engine: EngineDep, key: str) -> HTMLResponse:
    view = get_item(engine, key)
    actor = getattr(request.state, "actor", None)
    return render(
        request,
        "learning/item.html",
        {
            "title": view.summary.title,
            "item": view,
            "errors": {},
            "breadcrumbs": CRUMBS,
            "tags": item_tags(engine, key),
            "may_review_tags": actor is not None and may_review_tags(actor),
        },
    )


@router.post("/{key}/completed", response_class=HTMLResponse)
def completed(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    completed_on: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    view = get_item(engine, key)
    errors: dict[str, str] = {}
    on: date | None = None
    if completed_on:
        try:
            on = date.fromisoformat(completed_on)
        except ValueError:
            errors["completed-on"] = "Enter the date as YYYY-MM-DD, for example 2026-11-02"
    if actor.person_key is None:
        errors["completed-on"] = "Only people in an organisation's records have a profile"
    if not errors:
        try:
            record_completion(engine, actor, actor.person_key or "", key, completed_on=on)
        except InvalidInput as error:
            errors["completed-on"] = error.problems[0].rule.capitalize()
        else:
            return RedirectResponse(f"/people/{actor.person_key}#skills", status_code=303)
    return render(
        request,
        "learning/item.html",
        {
            "title": view.summary.title,
            "item": view,
            "errors": errors,
            "has_errors": True,
            "completed_on": completed_on,
            "breadcrumbs": CRUMBS,
        },
        status_code=422,
    )
