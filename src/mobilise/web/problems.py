"""Errors as RFC 9457 problem details (`application/problem+json`) for the API and as GOV.UK
error pages for people, from the same exception handlers."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from mobilise.core.problems import InvalidInput
from mobilise.services.accounts import UnknownAccount
from mobilise.services.api_tokens import UnknownToken
from mobilise.services.audit import NotPermitted
from mobilise.services.catalogue import UnknownKey
from mobilise.services.framework import UnknownFramework
from mobilise.services.jobs import UnknownJob
from mobilise.services.jobs.visibility import UploadTooLarge
from mobilise.services.learning import LearningItemNotFound
from mobilise.services.people import PersonNotFound
from mobilise.services.skill_claims import ClaimNotFound
from mobilise.web.access import AccessDenied, SignInRequired
from mobilise.web.rendering import render

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProblemType:
    """A kind of problem; its URI (`/problems/{slug}`) is a page that explains it."""

    slug: str
    title: str
    status: int
    explanation: str


NOT_FOUND = ProblemType(
    "not-found", "Not found", 404, "The address names nothing that exists in this service."
)
UNKNOWN_FRAMEWORK = ProblemType(
    "unknown-framework",
    "Unknown framework version",
    404,
    "The `framework` parameter names no stored framework version. "
    "`GET /api/v1/frameworks` lists the versions; leave the parameter out for the default one.",
)
INVALID_REQUEST = ProblemType(
    "invalid-request",
    "Invalid request",
    422,
    "One or more parameters are missing or invalid; `invalid-params` names each one and why.",
)
DATABASE_UNAVAILABLE = ProblemType(
    "database-unavailable",
    "Database unavailable",
    503,
    "The service cannot reach its database, or the database schema is not at the version this "
    "release needs (run `mobilise db upgrade`).",
)
SIGN_IN_REQUIRED = ProblemType(
    "sign-in-required",
    "Sign-in required",
    401,
    "This needs a signed-in session or an API token (`Authorization: Bearer mob_...`). Service "
    "accounts get tokens from their organisation's admins (`mobilise tokens issue`).",
)
FORBIDDEN = ProblemType(
    "forbidden",
    "Forbidden",
    403,
    "You are signed in, but your roles (or the token's scopes) do not allow this. A form that "
    "had expired is refused the same way: reload it and try again.",
)
INTERNAL_ERROR = ProblemType(
    "internal-error", "Internal server error", 500, "Something went wrong in the service."
)
PROBLEM_TYPES = {
    t.slug: t
    for t in (
        NOT_FOUND,
        UNKNOWN_FRAMEWORK,
        INVALID_REQUEST,
        SIGN_IN_REQUIRED,
        FORBIDDEN,
        DATABASE_UNAVAILABLE,
        INTERNAL_ERROR,
    )
}


class InvalidParam(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    name: str = Field(description="The parameter's name.")
    location: str = Field(alias="in", description="Where it is: query, path or header.")
    reason: str = Field(description="Why it is invalid.")


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    model_config = ConfigDict(populate_by_name=True)

    type: str = Field(default="about:blank", description="URI of the kind of problem.")
    title: str = Field(description="Short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str | None = Field(default=None, description="What went wrong this time.")
    instance: str | None = Field(default=None, description="The request's path and query.")
    invalid_params: list[InvalidParam] | None = Field(
        default=None, alias="invalid-params", description="Each invalid parameter and why."
    )


def problem_response(
    request: Request,
    kind: ProblemType | None,
    *,
    status: int | None = None,
    detail: str | None = None,
    invalid_params: list[InvalidParam] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The problem as JSON for API clients, or as a GOV.UK error page for people."""
    code = status or (kind.status if kind else 500)
    instance = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    problem = Problem(
        type=str(request.base_url) + f"problems/{kind.slug}" if kind else "about:blank",
        title=kind.title if kind else HTTPStatus(code).phrase,
        status=code,
        detail=detail,
        instance=instance,
        invalid_params=invalid_params,
    )
    if wants_problem_json(request):
        return JSONResponse(
            problem.model_dump(by_alias=True, exclude_none=True),
            status_code=code,
            media_type=PROBLEM_MEDIA_TYPE,
            headers=headers,
        )
    return render(
        request,
        "errors/error.html",
        {"title": _page_title(code), "problem": problem, "framework": None},
        status_code=code,
        headers=headers,
    )


def _page_title(status: int) -> str:
    if status == 404:
        return "Page not found"
    if status >= 500:
        return "Sorry, there is a problem with the service"
    return "There is a problem"


def wants_problem_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/healthz"


def _invalid_params(error: RequestValidationError) -> list[InvalidParam]:
    params = []
    for item in error.errors():
        location = [str(part) for part in item.get("loc", ())]
        where = location[0] if location else "request"
        name = ".".join(location[1:]) or where
        params.append(InvalidParam(name=name, location=where, reason=str(item.get("msg", ""))))
    return params


def install_problem_handlers(app: FastAPI) -> None:
    async def on_http_error(request: Request, error: Any) -> Response:
        assert isinstance(error, StarletteHTTPException)
        kind = NOT_FOUND if error.status_code == 404 else None
        status = HTTPStatus(error.status_code)
        detail = error.detail if error.detail != status.phrase else status.description
        if error.status_code == 404 and detail == status.description:
            detail = "Nothing exists at this address."
        return problem_response(
            request,
            kind,
            status=error.status_code,
            detail=detail,
            headers=getattr(error, "headers", None),
        )

    async def on_invalid_request(request: Request, error: Any) -> Response:
        assert isinstance(error, RequestValidationError)
        params = _invalid_params(error)
        names = ", ".join(p.name for p in params)
        return problem_response(
            request, INVALID_REQUEST, detail=f"Invalid parameters: {names}", invalid_params=params
        )

    async def on_unknown_key(request: Request, error: Any) -> Response:
        assert isinstance(error, UnknownKey)
        return problem_response(
            request, NOT_FOUND, detail=f"No {error.kind} has the key '{error.key}'."
        )

    async def on_unknown_framework(request: Request, error: Any) -> Response:
        assert isinstance(error, UnknownFramework)
        return problem_response(
            request,
            UNKNOWN_FRAMEWORK,
            detail=f"No framework version is named '{error.name}'.",
        )

    async def on_sign_in_required(request: Request, error: Any) -> Response:
        assert isinstance(error, SignInRequired)
        if wants_problem_json(request):
            return problem_response(
                request,
                SIGN_IN_REQUIRED,
                detail=error.reason,
                headers={"WWW-Authenticate": 'Bearer realm="mobilise"'},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/sign-in?" + urlencode({"next": target}), status_code=303)

    async def on_access_denied(request: Request, error: Any) -> Response:
        reason = error.reason if isinstance(error, AccessDenied) else str(error)
        return problem_response(request, FORBIDDEN, detail=reason)

    async def on_not_visible(request: Request, error: Any) -> Response:
        # The same answer as for a key no one has: probing keys must tell nothing.
        return problem_response(request, NOT_FOUND, detail="Nothing exists at this address.")

    async def on_invalid_input(request: Request, error: Any) -> Response:
        assert isinstance(error, InvalidInput)
        params = [
            InvalidParam(
                name=problem.column or problem.source,
                location="body" if request.method not in ("GET", "DELETE") else "query",
                reason=f"{problem.value!r} {problem.rule}" if problem.value else problem.rule,
            )
            for problem in error.problems
        ]
        return problem_response(
            request,
            INVALID_REQUEST,
            status=413 if isinstance(error, UploadTooLarge) else None,
            detail=error.summary(),
            invalid_params=params,
        )

    async def on_database_error(request: Request, error: Any) -> Response:
        log.exception("database unavailable", exc_info=error)
        return problem_response(request, DATABASE_UNAVAILABLE, headers={"Retry-After": "30"})

    async def on_unexpected(request: Request, error: Exception) -> Response:
        log.exception("unhandled error", exc_info=error)
        return problem_response(request, INTERNAL_ERROR)

    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_invalid_request)
    app.add_exception_handler(UnknownKey, on_unknown_key)
    app.add_exception_handler(UnknownFramework, on_unknown_framework)
    app.add_exception_handler(SignInRequired, on_sign_in_required)
    app.add_exception_handler(AccessDenied, on_access_denied)
    app.add_exception_handler(NotPermitted, on_access_denied)
    app.add_exception_handler(PersonNotFound, on_not_visible)
    app.add_exception_handler(UnknownAccount, on_not_visible)
    app.add_exception_handler(UnknownToken, on_not_visible)
    app.add_exception_handler(UnknownJob, on_not_visible)
    app.add_exception_handler(ClaimNotFound, on_not_visible)
    app.add_exception_handler(LearningItemNotFound, on_not_visible)
    app.add_exception_handler(InvalidInput, on_invalid_input)
    app.add_exception_handler(OperationalError, on_database_error)
    app.add_exception_handler(Exception, on_unexpected)
