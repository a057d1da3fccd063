"""Walking a journey through the pages or the API as different people: sign in as someone,
open a page checked for accessible structure, submit a form with its CSRF token, or call the API
with the session's CSRF header."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.web.page_checks import assert_accessible_page
from tests.web.signing_in import csrf_from, sign_in

API = "/api/v1"


def signed_in(client: TestClient, person: str, *roles: str) -> None:
    """Sign in as `person` (with `roles`), after signing out whoever was signed in."""
    client.cookies.clear()
    sign_in(client, person, roles)


def api_signed_in(client: TestClient, person: str, *roles: str) -> dict[str, str]:
    """As `signed_in`; returns the CSRF header the API wants for writes in a session."""
    signed_in(client, person, *roles)
    return {"x-csrf-token": csrf_from(client, "/me/assess")}


def accessible(client: TestClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert_accessible_page(response.text)
    return response.text


def post_form(client: TestClient, path: str, form_page: str, data: dict[str, object]) -> Any:
    """Submit `data` to `path` with the CSRF token of the form on `form_page`."""
    token = csrf_from(client, form_page)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def api_post(client: TestClient, path: str, headers: dict[str, str], body: Any) -> Any:
    return client.post(API + path, json=body, headers=headers)
