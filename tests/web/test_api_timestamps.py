"""Every moment the API returns is an RFC 3339 date-time with an offset, on both stores.

SQLite hands stored moments back without their offset; the API said `format: date-time` and sent
"2026-01-05T12:00:00.123456", which JSON Schema validators (and strict clients) refuse.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Role, Scope, command_line_actor
from mobilise.services.api_tokens import issue_token
from mobilise.web.app import create_app
from tests.support.workforce import add_workforce


@pytest.fixture
def admin_client(engine: Engine) -> Iterator[TestClient]:
    add_workforce(engine)
    admin = development_sign_in(engine, "outsider", [Role.ORGANISATION_ADMIN])
    assert admin.account_id is not None
    token = issue_token(
        engine, command_line_actor(), admin.account_id, "t", [s.value for s in Scope], days=1
    ).token
    with TestClient(create_app(engine=engine)) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


def _has_offset(value: str) -> bool:
    return datetime.fromisoformat(value).utcoffset() is not None


def test_every_moment_the_api_returns_has_an_offset(admin_client: TestClient) -> None:
    frameworks = admin_client.get("/api/v1/frameworks").json()["items"]
    accounts = admin_client.get("/api/v1/accounts").json()
    tokens = admin_client.get("/api/v1/tokens").json()
    events = admin_client.get("/api/v1/audit-events").json()["items"]

    moments = [
        *(f["created_at"] for f in frameworks),
        *(a["last_signed_in_at"] for a in accounts),
        *(value for t in tokens for value in (t["created_at"], t["expires_at"], t["last_used_at"])),
        *(e["occurred_at"] for e in events),
    ]
    assert len(moments) >= 6
    assert all(_has_offset(moment) for moment in moments), moments
