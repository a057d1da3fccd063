"""Credentials pages: a person's own (`/credentials`, each with its files), what an
organisation issued (its admins, who revoke), the public verify page (`/verify`, no sign-in:
paste or upload a credential) and each issuer's public keys (a JWK set)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from mobilise.core.problems import InvalidInput
from mobilise.services.credential_keys import published_keys
from mobilise.services.credential_verification import MAX_LENGTH, verify_credential
from mobilise.services.credentials import (
    MEDIA_TYPE,
    credential_for,
    issued_for_admin,
    may_revoke,
    my_credentials,
    revoke_credential,
)
from mobilise.services.pathway_following import follow_pathway, followed_pathways
from mobilise.web.access import PUBLIC, SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.pages.programmes import problem_page
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

UUID_PATH = Path(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CRUMBS = [{"text": "Home", "href": "/"}, {"text": "Your credentials", "href": "/credentials"}]


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/credentials", response_class=HTMLResponse)
def mine(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    pathways = followed_pathways(engine, actor, actor.person_key) if actor.person_key else []
    return render(
        request,
        "credentials/mine.html",
        {
            "title": "Your credentials",
            "credentials": my_credentials(engine, actor),
            "pathways": pathways,
            "breadcrumbs": CRUMBS[:1],
        },
    )


@router.get("/credentials/issued", response_class=HTMLResponse)
def issued(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    size = request.app.state.settings.page_size
    rows, total = issued_for_admin(engine, actor, limit=size, offset=(page - 1) * size)
    pages = {"number": page, "previous": page > 1, "next": page * size < total}
    context = {"title": "Credentials issued", "credentials": rows, "total": total}
    return render(
        request,
        "credentials/issued.html",
        {**context, "pages": pages, "breadcrumbs": CRUMBS[:1]},
    )


@router.get("/credentials/{credential}", response_class=HTMLResponse)
def one(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    credential: Annotated[str, UUID_PATH],
) -> HTMLResponse:
    found = credential_for(engine, actor, credential)
    return render(
        request,
        "credentials/credential.html",
        {
            "title": found.achievement_name,
            "credential": found,
            "document": json.dumps(found.credential, indent=2, ensure_ascii=False),
            "may_revoke": may_revoke(actor, found.organisation_id) and not found.revoked_at,
            "breadcrumbs": CRUMBS,
        },
    )


@router.get("/credentials/{credential}/credential.jwt")
def download_jwt(
    engine: EngineDep, actor: SignedInActor, credential: Annotated[str, UUID_PATH]
) -> Response:
    found = credential_for(engine, actor, credential)
    return Response(
        found.token + "\n",
        media_type=MEDIA_TYPE,
        headers=_attachment(f"credential-{found.uuid}.jwt"),
    )


@router.get("/credentials/{credential}/credential.json")
def download_json(
    engine: EngineDep, actor: SignedInActor, credential: Annotated[str, UUID_PATH]
) -> JSONResponse:
    found = credential_for(engine, actor, credential)
    return JSONResponse(
        found.credential,
        media_type="application/vc",
        headers=_attachment(f"credential-{found.uuid}.json"),
    )


@router.post("/credentials/{credential}/revoke", response_class=HTMLResponse)
def revoke(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    credential: Annotated[str, UUID_PATH],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        revoke_credential(engine, actor, credential, reason)
    except InvalidInput as error:
        return problem_page(request, error, f"/credentials/{credential}")
    return RedirectResponse(f"/credentials/{credential}", status_code=303)


@router.post("/people/{key}/pathway/follow", response_class=HTMLResponse)
def follow(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: Annotated[str, Path(min_length=1, max_length=200)],
    target: Annotated[str, Form(max_length=200)] = "",
    objective: Annotated[str, Form(max_length=10)] = "hours",
) -> Response:
    try:
        follow_pathway(engine, actor, key, target, objective=objective)
    except InvalidInput as error:
        return problem_page(request, error, f"/people/{key}/pathway?target={target}")
    return RedirectResponse("/credentials#pathways", status_code=303)


@router.get("/verify", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
def verify_form(request: Request) -> HTMLResponse:
    return render(
        request,
        "credentials/verify.html",
        {"title": "Check a credential", "result": None, "errors": {}, "text": ""},
    )


@router.post("/verify", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
async def verify(
    request: Request,
    engine: EngineDep,
    text: Annotated[str, Form(max_length=MAX_LENGTH)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    given = text.strip()
    if file is not None and file.filename:
        raw = await file.read(MAX_LENGTH + 1)
        given = raw.decode("utf-8", errors="replace").strip()
    if not given:
        return render(
            request,
            "credentials/verify.html",
            {
                "title": "Check a credential",
                "result": None,
                "errors": {"text": "Paste a credential or choose its file"},
                "text": "",
            },
            status_code=422,
        )
    result = await run_in_threadpool(verify_credential, engine, given)
    return render(
        request,
        "credentials/verify.html",
        {
            "title": "Check a credential",
            "result": result,
            "errors": {},
            "text": given if len(given) < 20_000 else "",
        },
    )


@router.get("/credentials/issuers/{organisation}/jwks.json", dependencies=[Depends(PUBLIC)])
def issuer_keys(
    engine: EngineDep, organisation: Annotated[str, Path(min_length=1, max_length=200)]
) -> JSONResponse:
    issuer_id, keys = published_keys(engine, organisation)
    return JSONResponse({"issuer": issuer_id, "keys": [k.jwk for k in keys]})
