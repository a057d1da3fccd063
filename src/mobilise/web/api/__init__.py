"""The JSON API under /api/v1 and its OpenAPI 3.1 document."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi

from mobilise.web.access import PUBLIC
from mobilise.web.api import admin, framework, people
from mobilise.web.problems import PROBLEM_MEDIA_TYPE, Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _problem_responses(document: dict[str, Any]) -> dict[str, Any]:
    """Document every error as `application/problem+json` (FastAPI assumes application/json and
    its own validation error shape; our handlers answer with RFC 9457 problems instead)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem_schema = Problem.model_json_schema(
        by_alias=True, ref_template="#/components/schemas/{model}"
    )
    schemas.update(problem_schema.pop("$defs", {}))
    schemas["Problem"] = problem_schema
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}}
                    if status == "422":
                        response["description"] = "Invalid parameters (listed in invalid-params)."
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document


def install_api(app: FastAPI) -> None:
    app.include_router(framework.router, dependencies=[Depends(PUBLIC)])
    app.include_router(people.router)
    app.include_router(admin.router)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description="The capability framework (public), people as the caller may see "
                "them, and administration. Authenticate with `Authorization: Bearer <token>` "
                "(tokens are issued to accounts by their organisation's admins, with scopes) or "
                "a signed-in session (state-changing requests then need the `X-CSRF-Token` "
                "header). Lists are paged by cursor: follow `next` until it is null. Errors are "
                "RFC 9457 problem details.",
                routes=app.routes,
            )
            app.openapi_schema = _problem_responses(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
