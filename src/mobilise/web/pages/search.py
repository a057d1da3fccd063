"""`/search`: one search across the guidance hub, the AI register and the learning catalogue
(all public), ranked together and paged; a plain GET form, so it works without JavaScript."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from mobilise.services.site_search import KIND_LABELS, KINDS, MAX_QUERY_LENGTH, search_site
from mobilise.web.access import PUBLIC
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/search", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
def search(
    request: Request,
    engine: EngineDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH)] = "",
    kind: Annotated[list[str], Query(max_length=3)] = [],  # noqa: B006 (FastAPI copies defaults)
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    # A kind no form offers (an old link) is left out rather than refused: a reader's search.
    kinds = tuple(k for k in KINDS if k in kind)
    found = (
        search_site(
            engine, q, kinds=kinds, page=page, page_size=request.app.state.settings.page_size
        )
        if q.strip()
        else None
    )
    return render(
        request,
        "search.html",
        {
            "title": f"Search results for {q.strip()}" if found else "Search",
            "query": q.strip(),
            "found": found,
            "kinds": kinds,
            "kind_labels": KIND_LABELS,
            "breadcrumbs": [{"text": "Home", "href": "/"}],
        },
    )
