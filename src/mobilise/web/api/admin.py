"""`/api/v1/audit-events`, `/api/v1/accounts` and `/api/v1/tokens`: the admin work of the pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from mobilise.services import accounts, api_tokens, audit
from mobilise.services.actors import Role, Scope
from mobilise.web.access import AccountAdmin, AuditReader
from mobilise.web.api.models import Timestamp
from mobilise.web.api.pagination import Cursor, Limit, Page, decode_cursor, next_link
from mobilise.web.api.parameters import MAX_STORED_INT, NO_NUL_PATTERN
from mobilise.web.api.people import SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["administration"])

INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": Problem, "description": "Invalid parameters (listed in invalid-params)."}
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No such item that you may manage."}
}


class AuditEventOut(BaseModel):
    id: int
    occurred_at: Timestamp
    actor: str
    action: str
    entity_type: str
    entity_key: str
    organisation: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AccountOut(BaseModel):
    id: int
    kind: str
    display_name: str
    email: str | None
    person: str | None
    organisation: str | None
    roles: list[str] = Field(description="Granted roles as role@organisation.")
    last_signed_in_at: Timestamp | None
    disabled: bool


class RoleChange(BaseModel):
    role: Role
    organisation: str | None = Field(
        default=None,
        max_length=200,
        pattern=NO_NUL_PATTERN,
        description="Organisation key; none for a service admin.",
    )


class TokenRequest(BaseModel):
    account: int = Field(ge=1, le=MAX_STORED_INT)
    name: str = Field(min_length=1, max_length=200, pattern=NO_NUL_PATTERN)
    scopes: list[Scope] = Field(min_length=1, max_length=10)
    days: int = Field(default=90, ge=1, le=api_tokens.MAX_DAYS)


class TokenOut(BaseModel):
    id: int
    account: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: Timestamp
    expires_at: Timestamp | None
    revoked_at: Timestamp | None
    last_used_at: Timestamp | None


class IssuedTokenOut(BaseModel):
    id: int
    token: str = Field(description="The token itself: shown this once, never again.")
    prefix: str
    expires_at: Timestamp | None


@router.get(
    "/audit-events",
    response_model=Page[AuditEventOut],
    summary="The audit log, newest first",
    responses=SIGN_IN,
)
def audit_events(
    request: Request,
    engine: EngineDep,
    actor: AuditReader,
    action: Annotated[str | None, Query(max_length=80, pattern=r"^[a-z_.]*$")] = None,
    entity: Annotated[str | None, Query(max_length=300)] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    before = None if cursor is None else int(decode_cursor(cursor, (int,))[0])
    page = audit.list_events(
        engine, actor, limit=limit, before_id=before, action=action, entity_key=entity
    )
    return {
        "items": [
            AuditEventOut(
                id=e.id,
                occurred_at=e.occurred_at,
                actor=e.actor,
                action=e.action,
                entity_type=e.entity_type,
                entity_key=e.entity_key,
                organisation=e.organisation_key,
                before=e.before,
                after=e.after,
            )
            for e in page.entries
        ],
        "total": page.total,
        "limit": limit,
        "next": next_link(request, None if page.next_before_id is None else [page.next_before_id]),
    }


@router.get(
    "/accounts",
    response_model=list[AccountOut],
    summary="Accounts of the organisations you administer",
    responses=SIGN_IN,
)
def list_accounts(engine: EngineDep, actor: AccountAdmin) -> list[AccountOut]:
    return [
        AccountOut(
            id=a.id,
            kind=a.kind,
            display_name=a.display_name,
            email=a.email,
            person=a.person_key,
            organisation=a.organisation_key,
            roles=a.roles,
            last_signed_in_at=a.last_signed_in_at,
            disabled=a.disabled,
        )
        for a in accounts.list_accounts(engine, actor)
    ]


AccountId = Annotated[int, Path(ge=1, le=MAX_STORED_INT)]


@router.post(
    "/accounts/{account_id}/roles",
    status_code=204,
    summary="Grant a role",
    responses={**SIGN_IN, **NOT_FOUND, **INVALID},
)
def grant_role(
    engine: EngineDep, actor: AccountAdmin, account_id: AccountId, change: RoleChange
) -> Response:
    accounts.grant_role(engine, actor, account_id, change.role, change.organisation)
    return Response(status_code=204)


@router.delete(
    "/accounts/{account_id}/roles/{role}",
    status_code=204,
    summary="Revoke a role",
    responses={**SIGN_IN, **NOT_FOUND, **INVALID},
)
def revoke_role(
    engine: EngineDep,
    actor: AccountAdmin,
    account_id: AccountId,
    role: Role,
    organisation: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    if not accounts.revoke_role(engine, actor, account_id, role, organisation):
        raise accounts.UnknownAccount(account_id)
    return Response(status_code=204)


@router.get(
    "/tokens", response_model=list[TokenOut], summary="API tokens you manage", responses=SIGN_IN
)
def list_tokens(engine: EngineDep, actor: AccountAdmin) -> list[TokenOut]:
    return [
        TokenOut(
            id=t.id,
            account=t.account_id,
            name=t.name,
            prefix=t.prefix,
            scopes=t.scopes,
            created_at=t.created_at,
            expires_at=t.expires_at,
            revoked_at=t.revoked_at,
            last_used_at=t.last_used_at,
        )
        for t in api_tokens.list_tokens(engine, actor)
    ]


@router.post(
    "/tokens",
    response_model=IssuedTokenOut,
    status_code=201,
    summary="Issue an API token",
    responses={**SIGN_IN, **NOT_FOUND, **INVALID},
)
def issue_token(
    engine: EngineDep, actor: AccountAdmin, request: TokenRequest, response: Response
) -> IssuedTokenOut:
    issued = api_tokens.issue_token(
        engine, actor, request.account, request.name, request.scopes, request.days
    )
    response.headers["Cache-Control"] = "no-store"
    return IssuedTokenOut(
        id=issued.id, token=issued.token, prefix=issued.prefix, expires_at=issued.expires_at
    )


@router.delete(
    "/tokens/{token_id}",
    status_code=204,
    summary="Revoke an API token",
    responses={**SIGN_IN, **NOT_FOUND},
)
def revoke_token(
    engine: EngineDep,
    actor: AccountAdmin,
    token_id: Annotated[int, Path(ge=1, le=MAX_STORED_INT)],
) -> Response:
    api_tokens.revoke_token(engine, actor, token_id)
    return Response(status_code=204)
