"""Community and event pages: communities of practice (join, leave, members for members, their
upcoming events), events (register, cancel, the waiting list, an iCalendar file) and, for an
event's organisers, its registrations, opening and closing registration and marking attendance.

Every form posts to a route that calls the same service as the API; refusals come back as the
problem page, and nothing changed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from mobilise.services.communities import (
    get_community,
    join_community,
    leave_community,
    list_communities,
)
from mobilise.services.events import (
    cancel_registration,
    event_calendar,
    get_event,
    list_events,
    mark_attendance,
    register,
    set_registration_open,
)
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.pages.hackathons import acted
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

COMMUNITIES = {"text": "Communities", "href": "/communities"}
EVENTS = {"text": "Events", "href": "/events"}


@router.get("/communities", response_class=HTMLResponse)
def communities(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    return render(
        request,
        "communities/list.html",
        {"title": "Communities of practice", "communities": list_communities(engine, actor)},
    )


@router.get("/communities/{key}", response_class=HTMLResponse)
def community(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> HTMLResponse:
    view = get_community(engine, actor, key[:200])
    return render(
        request,
        "communities/community.html",
        {
            "title": view.summary.name,
            "community": view,
            "events": list_events(engine, actor, community=view.summary.key),
            "breadcrumbs": [COMMUNITIES],
        },
    )


@router.post("/communities/{key}/join", response_class=HTMLResponse)
def join(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> Response:
    page = f"/communities/{key}"
    return acted(request, lambda: join_community(engine, actor, key[:200]), page, page)


@router.post("/communities/{key}/leave", response_class=HTMLResponse)
def leave(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> Response:
    page = f"/communities/{key}"
    return acted(request, lambda: leave_community(engine, actor, key[:200]), page, page)


@router.get("/events", response_class=HTMLResponse)
def events(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    return render(
        request,
        "communities/events.html",
        {"title": "Events", "events": list_events(engine, actor)},
    )


@router.get("/events/{key}", response_class=HTMLResponse)
def event(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> HTMLResponse:
    view = get_event(engine, actor, key[:200])
    crumbs = [EVENTS]
    summary = view.summary
    if summary.community_key and summary.community_name:
        here = {"text": summary.community_name, "href": f"/communities/{summary.community_key}"}
        crumbs = [COMMUNITIES, here]
    return render(
        request,
        "communities/event.html",
        {"title": view.summary.title, "event": view, "breadcrumbs": crumbs},
    )


@router.get("/events/{key}/calendar.ics")
def calendar(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> Response:
    document = event_calendar(engine, key[:200], str(request.base_url))
    return Response(
        document,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{key[:200]}.ics"'},
    )


@router.post("/events/{key}/register", response_class=HTMLResponse)
def register_submit(
    request: Request, engine: EngineDep, actor: SignedInActor, key: str
) -> Response:
    page = f"/events/{key}"
    return acted(request, lambda: register(engine, actor, key[:200]), page, page)


@router.post("/events/{key}/cancel", response_class=HTMLResponse)
def cancel_submit(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> Response:
    page = f"/events/{key}"
    return acted(request, lambda: cancel_registration(engine, actor, key[:200]), page, page)


@router.post("/events/{key}/registration", response_class=HTMLResponse)
def registration_submit(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    open_it: Annotated[str, Form(alias="open", max_length=3)] = "",
) -> Response:
    page = f"/events/{key}"
    return acted(
        request,
        lambda: set_registration_open(engine, actor, key[:200], open_it == "yes"),
        page,
        page + "#organise",
    )


@router.post("/events/{key}/attendance", response_class=HTMLResponse)
def attendance_submit(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    registration: Annotated[str, Form(max_length=40)] = "",
    attended: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    page = f"/events/{key}"
    return acted(
        request,
        lambda: mark_attendance(engine, actor, key[:200], registration, attended == "yes"),
        page,
        page + "#registrations",
    )
