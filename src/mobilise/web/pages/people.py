"""Your own record (`/me`) and the people you may see: your reporting line, your organisation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.services.people import get_person, list_people, organisation_of
from mobilise.services.profiles import profile_from_claims
from mobilise.web.access import PeopleReader, SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.reading_threads import read_in_thread
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

PERSON_KEY = r"^[A-Za-z0-9._:@-]{1,200}$"


@router.get("/me", response_class=HTMLResponse)
def me(request: Request, engine: EngineDep, actor: SignedInActor) -> Response:
    if actor.person_key is not None:
        return RedirectResponse(f"/people/{actor.person_key}", status_code=303)
    return render(
        request,
        "people/account.html",
        {"title": "Your account", "organisation": organisation_of(engine, actor.organisation_id)},
    )


@router.get("/people", response_class=HTMLResponse)
def people(
    request: Request,
    engine: EngineDep,
    actor: PeopleReader,
    q: Annotated[str | None, Query(max_length=100)] = None,
    after: Annotated[str | None, Query(max_length=200, pattern=PERSON_KEY)] = None,
) -> HTMLResponse:
    page = list_people(
        engine, actor, query=q, after=after, limit=request.app.state.settings.page_size
    )
    next_href = None
    if page.next_after is not None:
        params: dict[str, Any] = {"after": page.next_after}
        if q:
            params["q"] = q
        next_href = str(request.url.replace_query_params(**params))
    return render(
        request,
        "people/list.html",
        {
            "title": "People",
            "page": page,
            "query": q or "",
            "next_href": next_href,
            "first_page_href": "/people" + (f"?q={q}" if q else "") if after else None,
        },
    )


@router.get("/people/{key}", response_class=HTMLResponse)
async def person(
    request: Request, engine: EngineDep, actor: PeopleReader, key: str
) -> HTMLResponse:
    # Only the read waits on the database, in a worker thread; deriving the profile and rendering
    # are a millisecond of CPU, cheaper on the event loop than in a thread contending for the GIL.
    view = await read_in_thread(get_person, engine, actor, key)
    profile = profile_from_claims(view)
    is_self = actor.person_key == key
    return render(
        request,
        "people/person.html",
        {
            "title": "Your profile" if is_self else view.summary.display_name,
            "person": view,
            "profile": profile,
            "is_self": is_self,
            "breadcrumbs": []
            if is_self
            else [{"text": "Home", "href": "/"}, {"text": "People", "href": "/people"}],
        },
    )
