"""Organisation and service admins: the audit log (and its CSV export), accounts and their roles,
and API tokens for service accounts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from mobilise.core.problems import InvalidInput
from mobilise.services import accounts, api_tokens, audit
from mobilise.services.actors import GRANTED_ROLES, Role, Scope
from mobilise.services.people import organisation_of
from mobilise.web.access import AccountAdmin, AuditReader
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False, prefix="/admin")

ADMIN_CRUMBS = [{"text": "Home", "href": "/"}]
ActionFilter = Annotated[str | None, Query(max_length=80, pattern=r"^[a-z_.]*$")]
EntityFilter = Annotated[str | None, Query(max_length=300)]


@router.get("/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    engine: EngineDep,
    actor: AuditReader,
    action: ActionFilter = None,
    entity: EntityFilter = None,
    before: Annotated[int | None, Query(ge=1)] = None,
) -> HTMLResponse:
    page = audit.list_events(
        engine,
        actor,
        limit=request.app.state.settings.page_size,
        before_id=before,
        action=action or None,
        entity_key=entity or None,
    )
    filters = {k: v for k, v in (("action", action), ("entity", entity)) if v}
    next_href = (
        None
        if page.next_before_id is None
        else str(request.url.replace_query_params(**filters, before=page.next_before_id))
    )
    return render(
        request,
        "admin/audit.html",
        {
            "title": "Audit log",
            "page": page,
            "action": action or "",
            "entity": entity or "",
            "next_href": next_href,
            "export_href": str(
                request.url.replace(path="/admin/audit.csv").remove_query_params("before")
            ),
            "breadcrumbs": ADMIN_CRUMBS,
        },
    )


@router.get("/audit.csv")
def audit_export(
    engine: EngineDep, actor: AuditReader, action: ActionFilter = None, entity: EntityFilter = None
) -> Response:
    chunks = audit.export_events_csv(
        engine, actor, action=action or None, entity_key=entity or None
    )
    return StreamingResponse(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="mobilise-audit-log.csv"'},
    )


def _accounts_page(
    request: Request,
    engine: Any,
    actor: Any,
    *,
    errors: dict[str, str] | None = None,
    issued: api_tokens.IssuedToken | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "admin/accounts.html",
        {
            "title": "Accounts",
            "accounts": accounts.list_accounts(engine, actor),
            "tokens": api_tokens.list_tokens(engine, actor),
            "roles": GRANTED_ROLES if actor.is_operator else GRANTED_ROLES[:-1],
            "scopes": list(Scope),
            "errors": errors or {},
            "has_errors": bool(errors),
            "issued": issued,
            "breadcrumbs": ADMIN_CRUMBS,
        },
        status_code=status_code,
    )


@router.get("/accounts", response_class=HTMLResponse)
def accounts_page(request: Request, engine: EngineDep, actor: AccountAdmin) -> HTMLResponse:
    return _accounts_page(request, engine, actor)


@router.post("/accounts/roles", response_class=HTMLResponse)
def change_role(
    request: Request,
    engine: EngineDep,
    actor: AccountAdmin,
    account: Annotated[int, Form(ge=1)],
    role: Annotated[str, Form(max_length=40)],
    organisation: Annotated[str, Form(max_length=200)] = "",
    change: Annotated[str, Form(pattern="^(grant|revoke)$")] = "grant",
) -> Response:
    try:
        chosen = Role(role)
    except ValueError:
        return _accounts_page(
            request, engine, actor, errors={"role": "Choose a role from the list"}, status_code=422
        )
    org = organisation.strip() or None
    if chosen == Role.SERVICE_ADMIN:
        org = None
    elif org is None and actor.organisations_where(Role.ORGANISATION_ADMIN):
        org = _own_organisation_key(engine, actor)
    try:
        if change == "grant":
            accounts.grant_role(engine, actor, account, chosen, org)
        else:
            accounts.revoke_role(engine, actor, account, chosen, org)
    except InvalidInput as error:
        return _accounts_page(
            request,
            engine,
            actor,
            errors={"organisation": error.problems[0].rule.capitalize()},
            status_code=422,
        )
    return RedirectResponse("/admin/accounts", status_code=303)


def _own_organisation_key(engine: Any, actor: Any) -> str | None:
    found = organisation_of(engine, actor.organisation_id)
    return None if found is None else found[0]


@router.post("/tokens", response_class=HTMLResponse)
def issue_token(
    request: Request,
    engine: EngineDep,
    actor: AccountAdmin,
    account: Annotated[int, Form(ge=1)],
    name: Annotated[str, Form(max_length=200)] = "",
    scopes: Annotated[list[str] | None, Form()] = None,
    days: Annotated[int, Form(ge=1, le=api_tokens.MAX_DAYS)] = 90,
) -> HTMLResponse:
    try:
        issued = api_tokens.issue_token(engine, actor, account, name, scopes or [], days)
    except InvalidInput as error:
        errors = {
            ("token-name" if p.column == "name" else "token-scopes"): p.rule.capitalize()
            for p in error.problems
        }
        return _accounts_page(request, engine, actor, errors=errors, status_code=422)
    # The token is shown on this response only; it cannot be read back afterwards.
    response = _accounts_page(request, engine, actor, issued=issued, status_code=201)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/tokens/{token_id}/revoke")
def revoke_token(engine: EngineDep, actor: AccountAdmin, token_id: int) -> Response:
    api_tokens.revoke_token(engine, actor, token_id)
    return RedirectResponse("/admin/accounts", status_code=303)
