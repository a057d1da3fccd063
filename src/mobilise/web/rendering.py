"""Render a page with what every page's layout needs."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

NAVIGATION = (
    ("Framework", "/framework"),
    ("Search", "/framework/search"),
    ("Compare", "/framework/compare"),
    ("About", "/about"),
)


def _navigation(path: str) -> list[dict[str, Any]]:
    # The longest matching prefix is the section the reader is in.
    current = max(
        (href for _, href in NAVIGATION if path == href or path.startswith(href + "/")),
        key=len,
        default=None,
    )
    return [
        {"text": text, "href": href, "active": href == current, "current": path == href}
        for text, href in NAVIGATION
    ]


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    framework = request.query_params.get("framework") or None
    page_context = {
        "navigation": _navigation(request.url.path),
        "framework": framework,
        **context,
    }
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, page_context, status_code=status_code, headers=headers
    )
    return response
