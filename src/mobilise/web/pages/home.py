"""The home and about pages, and the pages that explain each kind of API problem."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from mobilise.web.problems import PROBLEM_TYPES
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return render(request, "home.html", {"title": "Mobilise"})


@router.get("/about", response_class=HTMLResponse)
def about(request: Request) -> HTMLResponse:
    return render(
        request,
        "about.html",
        {
            "title": "About Mobilise",
            "breadcrumbs": [{"text": "Home", "href": "/"}],
        },
    )


@router.get("/problems/{slug}", response_class=HTMLResponse)
def problem_type(request: Request, slug: str) -> HTMLResponse:
    kind = PROBLEM_TYPES.get(slug)
    if kind is None:
        raise HTTPException(404)
    return render(
        request,
        "problem_type.html",
        {
            "title": kind.title,
            "kind": kind,
            "breadcrumbs": [{"text": "Home", "href": "/"}],
        },
    )
