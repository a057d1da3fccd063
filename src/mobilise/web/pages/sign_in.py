"""Sign in (OpenID Connect, or the development sign-in) and sign out."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
from authlib.integrations.base_client.errors import OAuthError
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from joserfc.errors import JoseError
from starlette.concurrency import run_in_threadpool

from mobilise.core.problems import InvalidInput
from mobilise.services.accounts import development_sign_in, sign_in_with_identity
from mobilise.services.actors import GRANTED_ROLES, ROLE_DESCRIPTIONS, Role
from mobilise.services.audit import NotPermitted
from mobilise.services.people import examples_for_sign_in
from mobilise.settings import Settings
from mobilise.web.access import PUBLIC, PublicActor, start_session
from mobilise.web.dependencies import EngineDep
from mobilise.web.oidc import PROVIDER_LABELS, authorize_parameters, identity_from_callback
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(PUBLIC)])


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def safe_next(target: str | None) -> str:
    """Only a path on this site: an open redirect would let a link send people anywhere."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/me"
    return target[:2000]


def _sign_in_page(
    request: Request,
    engine: Any,
    *,
    next_path: str,
    errors: dict[str, str] | None = None,
    person: str = "",
    roles: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    settings = _settings(request)
    return render(
        request,
        "account/sign_in.html",
        {
            "title": "Sign in",
            "next": next_path,
            "provider_label": PROVIDER_LABELS.get(settings.oidc_provider),
            "dev_sign_in": settings.dev_sign_in,
            "examples": examples_for_sign_in(engine) if settings.dev_sign_in else [],
            "role_choices": [(role, ROLE_DESCRIPTIONS[role]) for role in GRANTED_ROLES],
            "errors": errors or {},
            "has_errors": bool(errors),
            "person": person,
            "chosen_roles": roles or [],
        },
        status_code=status_code,
    )


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in(request: Request, engine: EngineDep, next: str | None = None) -> HTMLResponse:
    return _sign_in_page(request, engine, next_path=safe_next(next))


@router.post("/sign-in/development", response_class=HTMLResponse)
def sign_in_for_development(
    request: Request,
    engine: EngineDep,
    person: Annotated[str, Form(max_length=200)] = "",
    roles: Annotated[list[str] | None, Form()] = None,
    next: Annotated[str, Form(max_length=2000)] = "/me",
) -> Response:
    if not _settings(request).dev_sign_in:
        raise HTTPException(404)
    chosen = roles or []
    errors: dict[str, str] = {}
    if not person.strip():
        errors["person"] = "Enter the key of the person to sign in as"
    unknown = [r for r in chosen if r not in {role.value for role in GRANTED_ROLES}]
    if unknown:
        errors["roles"] = "Choose roles from the list"
    if not errors:
        try:
            actor = development_sign_in(engine, person, [Role(r) for r in chosen])
        except InvalidInput as error:
            errors["person"] = "No person has the key ‘" + person.strip()[:60] + "’"
            del error
        else:
            start_session(request, actor)
            return RedirectResponse(safe_next(next), status_code=303)
    return _sign_in_page(
        request,
        engine,
        next_path=safe_next(next),
        errors=errors,
        person=person,
        roles=chosen,
        status_code=422,
    )


@router.get("/sign-in/oidc")
async def sign_in_with_provider(request: Request, next: str | None = None) -> Response:
    client = request.app.state.oidc_client
    if client is None:
        raise HTTPException(404)
    request.session["next"] = safe_next(next)
    redirect_uri = str(request.url_for("sign_in_callback"))
    response: Response = await client.authorize_redirect(
        request, redirect_uri, **authorize_parameters(_settings(request))
    )
    return response


@router.get("/sign-in/callback", name="sign_in_callback")
async def sign_in_callback(request: Request, engine: EngineDep) -> Response:
    client = request.app.state.oidc_client
    if client is None:
        raise HTTPException(404)
    try:
        identity = await identity_from_callback(client, request)
        actor = await run_in_threadpool(
            lambda: sign_in_with_identity(
                engine,
                issuer=identity.issuer,
                subject=identity.subject,
                email=identity.email,
                display_name=identity.display_name,
            )
        )
    except (OAuthError, JoseError, InvalidInput, httpx.HTTPError) as error:
        return render(
            request,
            "account/sign_in_failed.html",
            {"title": "Sign-in failed", "reason": str(error)},
            status_code=400,
        )
    except NotPermitted as error:
        return render(
            request,
            "account/sign_in_failed.html",
            {"title": "Sign-in failed", "reason": str(error)},
            status_code=403,
        )
    target = safe_next(request.session.get("next"))
    start_session(request, actor)
    return RedirectResponse(target, status_code=303)


@router.post("/sign-out")
def sign_out(request: Request, actor: PublicActor) -> Response:
    request.session.clear()
    return RedirectResponse("/", status_code=303)
