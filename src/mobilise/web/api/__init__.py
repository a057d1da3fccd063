"""The JSON API under /api/v1 and its OpenAPI 3.1 document."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from mobilise.web.access import PUBLIC, SAFE_METHODS, AccessRule, PublicAccess, Requirement
from mobilise.web.api import (
    admin,
    allocation,
    analytics,
    applications,
    careers,
    claims,
    cohort_projects,
    communities,
    credentials,
    framework,
    guidance,
    hackathons,
    impact,
    interest,
    jobs,
    learning,
    learning_progress,
    marketplace,
    outsiders,
    people,
    people_search,
    personal_data,
    programmes,
    project_benefits,
    project_clusters,
    providers,
    register,
    register_editing,
    skills,
)
from mobilise.web.api.parameters import refuse_nul_characters
from mobilise.web.problems import PROBLEM_MEDIA_TYPE, Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
BEARER_SCHEME = "apiToken"
SESSION_SCHEME = "session"
SECURITY_SCHEMES = {
    BEARER_SCHEME: {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token (`mob_...`) issued to an account by its organisation's "
        "admins. Operations list the token scope they need.",
    },
    SESSION_SCHEME: {
        "type": "apiKey",
        "in": "cookie",
        "name": "mobilise_session",
        "description": "The session of a signed-in person; state-changing requests also need "
        "the session's CSRF token in the `X-CSRF-Token` header.",
    },
}
WWW_AUTHENTICATE = {
    "WWW-Authenticate": {
        "description": "The Bearer challenge.",
        "required": True,
        "schema": {"type": "string"},
    }
}


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


def _rules(dependant: Any) -> list[AccessRule]:
    found: list[AccessRule] = []
    for dependency in getattr(dependant, "dependencies", []):
        if isinstance(dependency.call, AccessRule):
            found.append(dependency.call)
        found.extend(_rules(dependency))
    return found


def access_rules(app: FastAPI) -> dict[tuple[str, str], AccessRule]:
    """The access rule of each (path, lower-case method) of the app's API routes."""
    rules: dict[tuple[str, str], AccessRule] = {}
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute) or context.path_format is None:
            continue
        for rule in _rules(context.dependant)[:1]:
            for method in context.methods or ():
                rules[(context.path_format, method.lower())] = rule
    return rules


def _problem(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description}
    if headers:
        response["headers"] = headers
    return response


def _access_responses(
    document: dict[str, Any], rules: dict[tuple[str, str], AccessRule]
) -> dict[str, Any]:
    """Say in the document who may call each operation, as the access rules decide at run time:
    the security schemes (a token scope where the rule names one), and the 401 and 403 problems
    the rule can answer with. Public operations take credentials too, and refuse bad ones."""
    document.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            rule = rules.get((path, method))
            responses = operation.setdefault("responses", {})
            if isinstance(rule, Requirement):
                scopes = [rule.scope.value] if rule.scope is not None else []
                operation["security"] = [{BEARER_SCHEME: scopes}, {SESSION_SCHEME: []}]
                responses.setdefault(
                    "401", _problem("No session and no valid API token.", WWW_AUTHENTICATE)
                )
                responses.setdefault("403", _problem(f"Allowed only to {rule.description}."))
            elif isinstance(rule, PublicAccess):
                operation["security"] = [{}, {BEARER_SCHEME: []}, {SESSION_SCHEME: []}]
                responses.setdefault(
                    "401",
                    _problem(
                        "The Authorization header is not `Bearer <token>`, or the token is "
                        "unknown, expired or revoked.",
                        WWW_AUTHENTICATE,
                    ),
                )
                if method.upper() not in SAFE_METHODS:
                    responses.setdefault("403", _problem("A session without its CSRF token."))
            if "401" in responses:
                responses["401"].setdefault("headers", WWW_AUTHENTICATE)
            if "requestBody" in operation:
                responses.setdefault(
                    "400", _problem("The request body cannot be read (it is not UTF-8 JSON).")
                )
            operation["responses"] = dict(sorted(responses.items()))
    return document


def install_api(app: FastAPI) -> None:
    checked = [Depends(refuse_nul_characters)]
    app.include_router(framework.router, dependencies=[Depends(PUBLIC), *checked])
    app.include_router(people.router, dependencies=checked)
    app.include_router(admin.router, dependencies=checked)
    app.include_router(jobs.router, dependencies=checked)
    app.include_router(claims.router, dependencies=checked)
    app.include_router(careers.router, dependencies=checked)
    app.include_router(learning.router, dependencies=checked)
    # Before register: /api/v1/register/clusters is not the project keyed "clusters".
    app.include_router(project_clusters.router, dependencies=checked)
    app.include_router(people_search.router, dependencies=checked)
    app.include_router(cohort_projects.router, dependencies=checked)
    app.include_router(register.router, dependencies=checked)
    app.include_router(register_editing.router, dependencies=checked)
    app.include_router(programmes.router, dependencies=checked)
    app.include_router(impact.router, dependencies=checked)
    app.include_router(project_benefits.router, dependencies=checked)
    app.include_router(applications.router, dependencies=checked)
    app.include_router(marketplace.router, dependencies=checked)
    app.include_router(hackathons.router, dependencies=checked)
    app.include_router(communities.router, dependencies=checked)
    app.include_router(skills.router, dependencies=checked)
    app.include_router(allocation.router, dependencies=checked)
    app.include_router(analytics.router, dependencies=checked)
    app.include_router(credentials.router, dependencies=checked)
    app.include_router(personal_data.router, dependencies=checked)
    app.include_router(interest.router, dependencies=checked)
    app.include_router(outsiders.router, dependencies=checked)
    app.include_router(providers.router, dependencies=checked)
    app.include_router(learning_progress.router, dependencies=checked)
    app.include_router(guidance.router, dependencies=checked)

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
            app.openapi_schema = _problem_responses(_access_responses(document, access_rules(app)))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
