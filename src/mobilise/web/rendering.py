"""Render a page with what every page's layout needs."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from mobilise.services.actors import Actor, Role
from mobilise.web.service_navigation import Navigation

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


@lru_cache(maxsize=64)
def _sections(roles: frozenset[Role] | None) -> tuple[tuple[str, str], ...]:
    """The sections a reader with these roles (None: not signed in) is offered."""
    if roles is None:
        return NAVIGATION
    signed_in = tuple(
        (text, href) for text, href, needs in SIGNED_IN_NAVIGATION if needs is None or roles & needs
    )
    return signed_in + NAVIGATION


@lru_cache(maxsize=1024)
def _marked(sections: tuple[tuple[str, str], ...], current: str | None, on_it: bool) -> Navigation:
    return tuple(
        (text, href, href == current, on_it and href == current) for text, href in sections
    )


def _navigation(path: str, actor: Actor | None) -> Navigation:
    """The reader's sections, the one they are in marked: one of a few dozen navigations, each
    made once (the service navigation keeps each one's HTML by it)."""
    sections = _sections(None if actor is None else actor.roles)
    # The longest matching prefix is the section the reader is in.
    current = max(
        (href for _, href in sections if path == href or path.startswith(href + "/")),
        key=len,
        default=None,
    )
    return _marked(sections, current, path == current)


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
