"""`/guidance`: the guidance hub (public), an item with its replacement chain, and service
admins adding, changing and superseding items."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.register.vocabulary import KINDS, PHASES, REGISTRATION_PHASES
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted
from mobilise.services.guidance import (
    GuidanceSpec,
    GuidanceView,
    create_guidance,
    get_guidance,
    guidance_licence,
    guidance_topics,
    list_guidance,
    update_guidance,
)
from mobilise.web.access import PublicActor, SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.pages.form_values import day, errors_for
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False, prefix="/guidance")

HOME = {"text": "Home", "href": "/"}
CRUMBS = [HOME, {"text": "Guidance", "href": "/guidance"}]
KEY = Annotated[str, Path(min_length=1, max_length=100)]
# Finder phases as a team reads them (the registration labels; "idea" is stored as pre-deployment).
PHASE_LABELS = {phase: label for value, phase, label in REGISTRATION_PHASES if value != "idea"}
KIND_LABELS = {"project": "Projects", "challenge": "Challenges"}
TEXT_FIELDS = (
    "key",
    "title",
    "publisher",
    "url",
    "summary",
    "topics",
    "published_on",
    "supersedes",
)
FIELD_IDS = {name: name for name in (*TEXT_FIELDS, "phases", "kinds")}


def _admin(actor: Actor) -> None:
    if not actor.is_operator:
        raise NotPermitted("only service admins publish guidance")


@router.get("", response_class=HTMLResponse)
def hub(
    request: Request,
    engine: EngineDep,
    actor: PublicActor,
    topic: Annotated[str | None, Query(max_length=60)] = None,
    phase: Annotated[str | None, Query(max_length=30)] = None,
    kind: Annotated[str | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    topics = guidance_topics(engine)
    # A value no form offers (an old link) is left out rather than refused: a reader's filter.
    chosen = {
        "topic": topic if topic in topics else None,
        "phase": phase if phase in PHASES else None,
        "kind": kind if kind in KINDS else None,
    }
    return render(
        request,
        "guidance/hub.html",
        {
            "title": "Guidance",
            "items": list_guidance(
                engine, topic=chosen["topic"], phase=chosen["phase"], kind=chosen["kind"]
            ),
            "chosen": chosen,
            "topics": topics,
            "phase_labels": PHASE_LABELS,
            "kind_labels": KIND_LABELS,
            "licence": guidance_licence(),
            "may_publish": actor is not None and actor.is_operator,
            "breadcrumbs": [HOME],
        },
    )


def _form(
    request: Request,
    values: dict[str, str],
    chosen: dict[str, list[str]],
    errors: dict[str, str],
    *,
    editing: str | None,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "guidance/form.html",
        {
            "title": f"Change {values['title']}" if editing else "Add guidance",
            "values": values,
            "chosen": chosen,
            "errors": errors,
            "editing": editing,
            "phase_labels": PHASE_LABELS,
            "kind_labels": KIND_LABELS,
            "breadcrumbs": CRUMBS,
        },
        status_code=status,
    )


def _values(item: GuidanceView) -> tuple[dict[str, str], dict[str, list[str]]]:
    values = {
        "key": item.key,
        "title": item.title,
        "publisher": item.publisher,
        "url": item.url,
        "summary": item.summary,
        "topics": ", ".join(item.topics),
        "published_on": item.published_on.isoformat(),
        "supersedes": "",
    }
    return values, {"phases": list(item.phases), "kinds": list(item.kinds)}


async def _submitted(
    request: Request, editing: str | None
) -> tuple[dict[str, str], dict[str, list[str]], GuidanceSpec | None, list[Problem]]:
    form = await request.form()
    values = {name: str(form.get(name, ""))[:2000].strip() for name in TEXT_FIELDS}
    if editing is not None:
        values["key"] = editing
    chosen = {name: [str(v) for v in form.getlist(name)][:20] for name in ("phases", "kinds")}
    problems: list[Problem] = []
    published_on = day(values["published_on"], "published_on", "guidance item", problems)
    if published_on is None:
        return values, chosen, None, problems
    spec = GuidanceSpec(
        key=values["key"],
        title=values["title"],
        publisher=values["publisher"],
        url=values["url"],
        summary=values["summary"],
        published_on=published_on,
        topics=tuple(t.strip() for t in values["topics"].split(",") if t.strip()),
        phases=tuple(chosen["phases"]),
        kinds=tuple(chosen["kinds"]),
        supersedes=values["supersedes"] or None,
    )
    return values, chosen, spec, problems


@router.get("/new", response_class=HTMLResponse)
def new_item(request: Request, actor: SignedInActor) -> HTMLResponse:
    _admin(actor)
    values = dict.fromkeys(TEXT_FIELDS, "")
    return _form(request, values, {"phases": [], "kinds": []}, {}, editing=None)


async def _publish(request: Request, engine: Engine, actor: Actor, editing: str | None) -> Response:
    """Add (`editing` None) or change an item from the submitted form; the form again with
    every problem, or the item's page."""
    _admin(actor)
    values, chosen, spec, problems = await _submitted(request, editing)
    try:
        if spec is None:
            raise InvalidInput(problems)
        if editing is None:
            create_guidance(engine, actor, spec)
        else:
            update_guidance(engine, actor, spec)
    except InvalidInput as error:
        errors = errors_for(error.problems, FIELD_IDS, "title" if editing else "key")
        return _form(request, values, chosen, errors, editing=editing, status=422)
    return RedirectResponse(f"/guidance/{spec.key}", status_code=303)


@router.post("/new", response_class=HTMLResponse)
async def add_item(request: Request, engine: EngineDep, actor: SignedInActor) -> Response:
    return await _publish(request, engine, actor, None)


@router.get("/{key}", response_class=HTMLResponse)
def item(request: Request, engine: EngineDep, actor: PublicActor, key: KEY) -> HTMLResponse:
    found = get_guidance(engine, key)
    return render(
        request,
        "guidance/item.html",
        {
            "title": found.title,
            "item": found,
            "phase_labels": PHASE_LABELS,
            "kind_labels": KIND_LABELS,
            "licence": guidance_licence(),
            "may_publish": actor is not None and actor.is_operator,
            "breadcrumbs": CRUMBS,
        },
    )


@router.get("/{key}/edit", response_class=HTMLResponse)
def edit_item(request: Request, engine: EngineDep, actor: SignedInActor, key: KEY) -> HTMLResponse:
    _admin(actor)
    values, chosen = _values(get_guidance(engine, key))
    return _form(request, values, chosen, {}, editing=key)


@router.post("/{key}/edit", response_class=HTMLResponse)
async def change_item(
    request: Request, engine: EngineDep, actor: SignedInActor, key: KEY
) -> Response:
    _admin(actor)
    get_guidance(engine, key)  # a 404 before reading the form
    return await _publish(request, engine, actor, key)
