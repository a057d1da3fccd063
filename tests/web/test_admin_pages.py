"""The admin pages as an organisation admin uses them: accounts, roles, tokens, the audit log."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.accounts import create_service_account
from mobilise.services.actors import command_line_actor
from mobilise.web.app import create_app
from tests.support.workforce import Workforce, add_workforce
from tests.web.signing_in import csrf_from, sign_in


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


@pytest.fixture
def admin(engine: Engine, workforce: Workforce) -> Iterator[TestClient]:
    with TestClient(create_app(engine=engine)) as client:
        sign_in(client, "outsider", ("organisation_admin",))
        yield client


def test_navigation_offers_admins_their_pages(admin: TestClient) -> None:
    page = admin.get("/admin/accounts").text

    for link in ('href="/admin/audit"', 'href="/admin/accounts"', 'href="/people"'):
        assert link in page
    assert "Sign out" in page


def test_granting_a_role_through_the_form(admin: TestClient, engine: Engine) -> None:
    sign_in(admin, "lead")  # makes lead's account
    sign_in(admin, "outsider", ("organisation_admin",))
    accounts = admin.get("/api/v1/accounts").json()
    lead = next(a for a in accounts if a["person"] == "lead")
    token = csrf_from(admin, "/admin/accounts")

    response = admin.post(
        "/admin/accounts/roles",
        data={"account": lead["id"], "role": "analyst", "change": "grant", "csrf_token": token},
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert "analyst@dept-a" in admin.get("/admin/accounts").text
    bad = admin.post(
        "/admin/accounts/roles",
        data={"account": lead["id"], "role": "overlord", "csrf_token": token},
    )
    assert bad.status_code == 422
    assert 'href="#role"' in bad.text


def test_issuing_a_token_shows_it_once(admin: TestClient, engine: Engine) -> None:
    service = create_service_account(engine, command_line_actor(), "feed", "dept-a")
    token = csrf_from(admin, "/admin/accounts")

    issued = admin.post(
        "/admin/tokens",
        data={
            "account": service,
            "name": "nightly",
            "scopes": ["people:read"],
            "csrf_token": token,
        },
    )

    assert issued.status_code == 201
    assert issued.headers["cache-control"] == "no-store"
    secret = re.search(r'id="issued-token">(mob_[^<]+)<', issued.text)
    assert secret is not None
    assert secret.group(1) not in admin.get("/admin/accounts").text
    no_scope = admin.post(
        "/admin/tokens", data={"account": service, "name": "x", "csrf_token": token}
    )
    assert no_scope.status_code == 422
    assert 'href="#token-scopes"' in no_scope.text
    token_id = admin.get("/api/v1/tokens").json()[0]["id"]
    revoked = admin.post(
        f"/admin/tokens/{token_id}/revoke", data={"csrf_token": token}, follow_redirects=False
    )
    assert revoked.status_code == 303
    assert admin.get("/api/v1/tokens").json()[0]["revoked_at"] is not None


def test_the_audit_log_pages_filters_and_exports(admin: TestClient) -> None:
    page = admin.get("/admin/audit").text
    assert "account.signed_in" in page

    filtered = admin.get("/admin/audit", params={"action": "role.granted"}).text
    assert "0 events." in filtered
    exported = admin.get("/admin/audit.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["action"] for r in rows] == ["account.signed_in"]
    assert admin.get("/admin/audit", params={"action": "DROP TABLE"}).status_code == 422
