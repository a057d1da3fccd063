"""Community and event pages: communities of practice (join, leave, members for members, their
upcoming events), events (register, cancel, the waiting list, an iCalendar file) and, for an
event's organisers, its registrations, opening and closing registration and marking attendance.

Every form posts to a route that calls the same service as the API; refusals come back as the
problem page, and nothing changed.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services import communities as community_service
from mobilise.services import events as event_service
from mobilise.services.audit import NotPermitted
from mobilise.services.programmes import organisations_run_by
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.pages.form_values import day, errors_for, whole_number
from mobilise.web.pages.hackathons import acted
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

COMMUNITIES = {"text": "Communities", "href": "/communities"}
EVENTS = {"text": "Events", "href": "/events"}
EVENT_FIELDS = {
    name: name
    for name in (
        "key",
        "title",
        "organisation",
        "community",
        "kind",
        "summary",
        "date",
        "time",
        "hours",
        "place",
        "online",
        "capacity",
    )
}
EVENT_FIELDS.update({"starts_at": "date", "ends_at": "hours"})


@router.get("/communities", response_class=HTMLResponse)
def communities(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    return render(
        request,
        "communities/list.html",
        {
            "title": "Communities of practice",
            "communities": community_service.list_communities(engine, actor),
        },
    )


@router.get("/communities/{key}", response_class=HTMLResponse)
def community(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> HTMLResponse:
    view = community_service.get_community(engine, actor, key[:200])
    return render(
        request,
        "communities/community.html",
        {
            "title": view.summary.name,
            "community": view,
            "events": event_service.list_events(engine, actor, community=view.summary.key),
            "breadcrumbs": [COMMUNITIES],
        },
    )


@router.post("/communities/{key}/join", response_class=HTMLResponse)
def join(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> Response:
    page = f"/communities/{key}"
    return acted(
        request, lambda: community_service.join_community(engine, actor, key[:200]), page, page
    )


@router.post("/communities/{key}/leave", response_class=HTMLResponse)
def leave(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> Response:
    page = f"/communities/{key}"
    return acted(
        request, lambda: community_service.leave_community(engine, actor, key[:200]), page, page
    )


@router.get("/events", response_class=HTMLResponse)
def events(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    return render(
        request,
        "communities/events.html",
        {
            "title": "Events",
            "events": event_service.list_events(engine, actor),
            "may_set_up": bool(organisations_run_by(engine, actor)),
        },
    )


def _new_event_form(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    organisations = organisations_run_by(engine, actor)
    if not organisations:
        raise NotPermitted("only programme admins set up events")
    communities = [("", "None (a stand-alone event)")] + [
        (c.key, c.name) for c in community_service.list_communities(engine, actor)
    ]
    return render(
        request,
        "communities/new_event.html",
        {
            "title": "Set up an event",
            "organisations": organisations,
            "communities": communities,
            "kinds": [
                (k, k.replace("-", " ").replace("ai ", "AI ").capitalize())
                for k in event_service.EVENT_KINDS
            ],
            "values": values,
            "errors": errors,
            "breadcrumbs": [EVENTS],
        },
        status_code=status,
    )


@router.get("/events/new", response_class=HTMLResponse)
def new_event(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    values = {"kind": "meet-up", "time": "17:00", "hours": "2", "capacity": "40", "online": "no"}
    return _new_event_form(request, engine, actor, values, {})


def _clock(text: str, source: str, problems: list[Problem]) -> time | None:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        problems.append(Problem(source, None, "time", text, "must be a time such as 14:30"))
        return None


@router.post("/events/new", response_class=HTMLResponse)
async def new_event_submit(request: Request, engine: EngineDep, actor: SignedInActor) -> Response:
    form = await request.form()
    values = {name: str(form.get(name, ""))[:5000] for name in EVENT_FIELDS}
    source = f"event {values['key']}"
    problems: list[Problem] = []
    on = day(values["date"], "date", source, problems)
    at = _clock(values["time"], source, problems)
    hours = whole_number(values["hours"], "hours", source, problems, low=1, high=240)
    capacity = whole_number(values["capacity"], "capacity", source, problems, low=1, high=100_000)
    try:
        if problems or on is None or at is None or hours is None or capacity is None:
            raise InvalidInput(problems)
        starts = datetime.combine(on, at, tzinfo=UTC)
        key = event_service.create_event(
            engine,
            actor,
            event_service.EventSpec(
                key=values["key"].strip(),
                title=values["title"],
                organisation=values["organisation"],
                starts_at=starts,
                ends_at=starts + timedelta(hours=hours),
                capacity=capacity,
                kind=values["kind"],
                community=values["community"] or None,
                summary=values["summary"],
                place=values["place"],
                online=values["online"] == "yes",
            ),
        )
    except InvalidInput as error:
        errors = errors_for(error.problems, EVENT_FIELDS, "key")
        return _new_event_form(request, engine, actor, values, errors, status=422)
    return RedirectResponse(f"/events/{key}", status_code=303)


@router.get("/events/{key}", response_class=HTMLResponse)
def event(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> HTMLResponse:
    view = event_service.get_event(engine, actor, key[:200])
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
    document = event_service.event_calendar(engine, key[:200], str(request.base_url))
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
    return acted(request, lambda: event_service.register(engine, actor, key[:200]), page, page)


@router.post("/events/{key}/cancel", response_class=HTMLResponse)
def cancel_submit(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> Response:
    page = f"/events/{key}"
    return acted(
        request, lambda: event_service.cancel_registration(engine, actor, key[:200]), page, page
    )


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
        lambda: event_service.set_registration_open(engine, actor, key[:200], open_it == "yes"),
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
        lambda: event_service.mark_attendance(
            engine, actor, key[:200], registration, attended == "yes"
        ),
        page,
        page + "#registrations",
    )
