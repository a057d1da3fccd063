"""Render a page with what every page's layout needs."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from mobilise.services.actors import Actor, Role

NAVIGATION = (
    ("Framework", "/framework"),
    ("Search", "/framework/search"),
    ("Compare", "/framework/compare"),
    ("Learning", "/learning"),
    ("AI register", "/register"),
    ("About", "/about"),
)
# Sections shown only to those whose roles can use them (the routes check again, of course).
SIGNED_IN_NAVIGATION: tuple[tuple[str, str, frozenset[Role] | None], ...] = (
    ("Your profile", "/me", None),
    ("Programmes", "/programmes", None),
    ("Hackathons", "/hackathons", None),
    ("Communities", "/communities", None),
    ("Opportunities", "/opportunities", None),
    ("Credentials", "/credentials", None),
    ("Jobs", "/jobs", frozenset({Role.ORGANISATION_ADMIN, Role.SERVICE_ADMIN})),
    ("Team", "/team", frozenset({Role.LINE_MANAGER})),
    ("Validation", "/validation", frozenset({Role.LINE_MANAGER})),
    ("People", "/people", frozenset({Role.LINE_MANAGER, Role.ORGANISATION_ADMIN})),
    ("Accounts", "/admin/accounts", frozenset({Role.ORGANISATION_ADMIN, Role.SERVICE_ADMIN})),
    ("Audit log", "/admin/audit", frozenset({Role.ORGANISATION_ADMIN, Role.SERVICE_ADMIN})),
    ("Analytics", "/analytics", frozenset({Role.ANALYST, Role.SERVICE_ADMIN})),
    ("Project clusters", "/register/clusters", frozenset({Role.ANALYST, Role.SERVICE_ADMIN})),
    ("Allocation runs", "/allocation-runs", frozenset({Role.PROGRAMME_ADMIN, Role.SERVICE_ADMIN})),
    (
        "Skill requests",
        "/skills/change-requests",
        frozenset({Role.ORGANISATION_ADMIN, Role.SERVICE_ADMIN}),
    ),
)


def _navigation(path: str, actor: Actor | None) -> list[dict[str, Any]]:
    items = list(NAVIGATION)
    if actor is not None:
        items = [
            (text, href)
            for text, href, roles in SIGNED_IN_NAVIGATION
            if roles is None or actor.roles & roles
        ] + items
    # The longest matching prefix is the section the reader is in.
    current = max(
        (href for _, href in items if path == href or path.startswith(href + "/")),
        key=len,
        default=None,
    )
    return [
        {"text": text, "href": href, "active": href == current, "current": path == href}
        for text, href in items
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
    actor: Actor | None = getattr(request.state, "actor", None)
    page_context = {
        "navigation": _navigation(request.url.path, actor),
        "actor": actor,
        "framework": framework,
        **context,
    }
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, page_context, status_code=status_code, headers=headers
    )
    return response
