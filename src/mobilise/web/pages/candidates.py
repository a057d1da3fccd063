"""Join as a candidate or guest (/join): people outside government make their own account.

With the development sign-in on, the form makes the person and signs them in. In production a
visitor signs in with the configured provider first; an account that matches no one in the
records then comes back here to give the name and email its new profile keeps.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.problems import InvalidInput
from mobilise.services.accounts import actor_for_account
from mobilise.services.candidates import register_candidate, register_development_candidate
from mobilise.settings import Settings
from mobilise.web.access import PublicActor, start_session
from mobilise.web.dependencies import EngineDep
from mobilise.web.oidc import PROVIDER_LABELS
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

MESSAGES = {
    "name": "Enter your full name, up to 300 characters",
    "email": "Enter an email address in the correct format, like name@example.com",
}

TAKEN = "Someone has this email address already: sign in instead"


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _page(
    request: Request,
    *,
    errors: dict[str, str] | None = None,
    name: str = "",
    email: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    actor = getattr(request.state, "actor", None)
    via = PROVIDER_LABELS.get(_settings(request).oidc_provider) if actor is not None else None
    return render(
        request,
        "candidates/join.html",
        {
            "title": "Create your account",
            "errors": errors or {},
            "has_errors": bool(errors),
            "name": name,
            "email": email,
            "via_provider": via,
        },
        status_code=status_code,
    )


def _elsewhere(request: Request, actor: Any) -> Response | None:
    """Where to send a visitor this page is not for: someone with a profile to it; someone
    not signed in, when only a provider can sign them in, to the provider and back."""
    if actor is not None and actor.person_id is not None:
        return RedirectResponse("/me", status_code=303)
    if actor is None and not _settings(request).dev_sign_in:
        return RedirectResponse("/sign-in?next=/join", status_code=303)
    return None


@router.get("/join", response_class=HTMLResponse)
def join_form(request: Request, actor: PublicActor) -> Response:
    return _elsewhere(request, actor) or _page(request)


@router.post("/join", response_class=HTMLResponse)
def join(
    request: Request,
    engine: EngineDep,
    actor: PublicActor,
    name: Annotated[str, Form(max_length=1000)] = "",
    email: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    elsewhere = _elsewhere(request, actor)
    if elsewhere is not None:
        return elsewhere
    try:
        if actor is None:
            start_session(request, register_development_candidate(engine, name, email))
        else:
            register_candidate(engine, actor, name, email)
            refreshed = actor_for_account(engine, actor.account_id or 0)
            if refreshed is not None:
                start_session(request, refreshed)
    except InvalidInput as error:
        errors = {
            str(problem.column): TAKEN if "belongs" in problem.rule else MESSAGES[problem.column]
            for problem in error.problems
            if problem.column in MESSAGES
        }
        return _page(request, errors=errors, name=name, email=email, status_code=422)
    return RedirectResponse("/me", status_code=303)
