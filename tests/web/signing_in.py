"""Sign a test client in through the real development sign-in form (CSRF token and all)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = CSRF.search(page.text)
    assert found is not None, f"no CSRF field on {path}"
    return found.group(1)


def sign_in(client: TestClient, person: str, roles: tuple[str, ...] = ()) -> None:
    token = csrf_from(client, "/sign-in")
    response = client.post(
        "/sign-in/development",
        data={"person": person, "roles": list(roles), "csrf_token": token, "next": "/me"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
