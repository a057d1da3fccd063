"""The OpenAPI document tells clients the truth about access and errors (each found by the
schemathesis contract test in test_api_contract.py):

- who may call each operation: the bearer and session security schemes, with the token scope the
  operation's access rule needs, and the 401 (with its `WWW-Authenticate` challenge) and 403 it
  can answer;
- that public operations refuse a bad token with a 401 too, rather than ignoring it;
- that a request body that cannot be read at all (not UTF-8) is a 400 problem.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Role, Scope, command_line_actor
from mobilise.services.api_tokens import issue_token
from tests.support.workforce import add_workforce

PROBLEM = "application/problem+json"
METHODS = {"get", "post", "put", "patch", "delete"}


def _document(client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/api/v1/openapi.json").json()
    return document


def _operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def test_every_operation_says_how_to_authenticate_and_what_a_refusal_looks_like(
    reader: TestClient,
) -> None:
    document = _document(reader)
    operations = _operations(document)

    schemes = document["components"]["securitySchemes"]
    assert (schemes["apiToken"]["type"], schemes["apiToken"]["scheme"]) == ("http", "bearer")
    assert schemes["session"]["in"] == "cookie"
    assert [label for label, op in operations.items() if "security" not in op] == []
    for label, operation in operations.items():
        refused = operation["responses"]["401"]
        assert set(refused["content"]) == {PROBLEM}, label
        assert refused["headers"]["WWW-Authenticate"]["required"] is True, label

    people = operations["GET /api/v1/people"]
    assert people["security"] == [{"apiToken": ["people:read"]}, {"session": []}]
    assert set(people["responses"]["403"]["content"]) == {PROBLEM}
    assert operations["GET /api/v1/me"]["security"] == [{"apiToken": []}, {"session": []}]
    assert operations["POST /api/v1/tokens"]["security"][0] == {"apiToken": ["accounts:write"]}
    # Public: anyone, or a caller with credentials (which are then checked).
    assert operations["GET /api/v1/roles"]["security"] == [
        {},
        {"apiToken": []},
        {"session": []},
    ]


def test_a_public_operation_refuses_a_bad_token_as_documented(reader: TestClient) -> None:
    response = reader.get("/api/v1/roles", headers={"Authorization": "Bearer mob_nobody"})

    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "401" in _operations(_document(reader))["GET /api/v1/roles"]["responses"]


def test_a_body_that_is_not_utf8_is_a_documented_400_problem(reader: TestClient) -> None:
    response = reader.post(
        "/api/v1/tokens",
        content=b"\xff\xfe{",
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 400
    responses = _operations(_document(reader))["POST /api/v1/tokens"]["responses"]
    assert set(responses["400"]["content"]) == {PROBLEM}


def test_a_token_request_lists_the_scopes_there_are(client: TestClient, engine: Engine) -> None:
    """The document said `scopes: string[]`, so every request generated from it asked for
    scopes that do not exist and was refused."""
    document = _document(client)
    request = document["components"]["schemas"]["TokenRequest"]["properties"]["scopes"]
    scope = document["components"]["schemas"]["Scope"]

    assert request["items"] == {"$ref": "#/components/schemas/Scope"}
    assert set(scope["enum"]) == {s.value for s in Scope}

    add_workforce(engine)
    admin = development_sign_in(engine, "outsider", [Role.ORGANISATION_ADMIN])
    assert admin.account_id is not None
    token = issue_token(engine, command_line_actor(), admin.account_id, "t", ["accounts:write"])
    body = {"account": admin.account_id, "name": "feed", "scopes": ["people:write"]}
    refused = client.post(
        "/api/v1/tokens", json=body, headers={"Authorization": f"Bearer {token.token}"}
    )
    assert refused.status_code == 422
    invalid = refused.json()["invalid-params"]
    assert [(p["in"], p["name"]) for p in invalid] == [("body", "scopes.0")]
