"""Values no store can hold are refused at the edge with a 422 naming them, on both stores.

The contract test found each of these as a 500 on PostgreSQL, which refuses text with a NUL
character and integers beyond 32 bits (SQLite refuses integers beyond 64).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Role, Scope, command_line_actor
from mobilise.services.api_tokens import issue_token
from mobilise.web.app import create_app
from tests.support.workforce import add_workforce

PROBLEM = "application/problem+json"


@pytest.fixture
def admin(engine: Engine) -> Iterator[TestClient]:
    add_workforce(engine)
    actor = development_sign_in(engine, "outsider", [Role.ORGANISATION_ADMIN])
    assert actor.account_id is not None
    token = issue_token(
        engine, command_line_actor(), actor.account_id, "t", [s.value for s in Scope], days=1
    ).token
    with TestClient(create_app(engine=engine), raise_server_exceptions=False) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


def _invalid(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    return [(p["in"], p["name"]) for p in response.json()["invalid-params"]]


def _cursor(position: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("path", "params", "invalid"),
    [
        ("/api/v1/search", {"q": "\x00"}, ("query", "q")),
        ("/api/v1/people", {"q": "a\x00"}, ("query", "q")),
        ("/api/v1/people", {"organisation": "\x00"}, ("query", "organisation")),
        ("/api/v1/roles", {"family": "\x00"}, ("query", "family")),
        ("/api/v1/compare", {"a": "x", "b": "\x00"}, ("query", "b")),
        ("/api/v1/audit-events", {"entity": "\x00"}, ("query", "entity")),
        ("/api/v1/people/%00", {}, ("path", "key")),
        ("/api/v1/skills/a%00b", {}, ("path", "key")),
        ("/api/v1/audit-events", {"cursor": _cursor([2**31])}, ("query", "cursor")),
        ("/api/v1/people", {"cursor": _cursor(["\x00"])}, ("query", "cursor")),
        ("/api/v1/search", {"q": "a", "cursor": _cursor([0, 2**63, "k"])}, ("query", "cursor")),
    ],
)
def test_nul_characters_and_huge_numbers_in_parameters_are_422s(
    admin: TestClient, path: str, params: dict[str, str], invalid: tuple[str, str]
) -> None:
    assert _invalid(admin.get(path, params=params)) == [invalid]


@pytest.mark.parametrize(
    ("body", "invalid"),
    [
        ({"account": 2**31, "name": "feed", "scopes": ["people:read"]}, "account"),
        ({"account": 2**64, "name": "feed", "scopes": ["people:read"]}, "account"),
        ({"account": 1, "name": "feed\x00", "scopes": ["people:read"]}, "name"),
    ],
)
def test_nul_characters_and_huge_numbers_in_a_token_request_are_422s(
    admin: TestClient, body: dict[str, Any], invalid: str
) -> None:
    assert _invalid(admin.post("/api/v1/tokens", json=body)) == [("body", invalid)]


def test_a_nul_character_in_a_role_grant_is_a_422(admin: TestClient) -> None:
    response = admin.post(
        "/api/v1/accounts/1/roles", json={"role": "analyst", "organisation": "dept-a\x00"}
    )

    assert _invalid(response) == [("body", "organisation")]


def test_a_nul_character_anywhere_in_a_json_body_is_a_422_naming_it(admin: TestClient) -> None:
    """Found on PostgreSQL: a self-assessment whose evidence (or skill key) held a NUL was a 500.
    The check is at the API's edge, so it holds for every route's body, not only this one."""
    skill = admin.get("/api/v1/skills", params={"limit": 1}).json()["items"][0]["key"]

    evidence = {"skill": skill, "level": 2, "evidence": "seen\x00"}
    assert _invalid(admin.post("/api/v1/me/claims", json=evidence)) == [("body", "evidence")]
    key = {"skill": "x\x00", "level": 2}
    assert _invalid(admin.post("/api/v1/me/claims", json=key)) == [("body", "skill")]
    nested = {"account": 1, "name": "feed", "scopes": ["people:read", "\x00"]}
    assert _invalid(admin.post("/api/v1/tokens", json=nested)) == [("body", "scopes.1")]
    # An escaped backslash followed by "u0000" is text, not a NUL.
    text = {"skill": skill, "level": 2, "evidence": "\\u0000"}
    assert admin.post("/api/v1/me/claims", json=text).status_code == 201
