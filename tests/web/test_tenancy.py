"""Tenancy through the shells: every list and detail of people, in pages and API, shows only whom
the actor may see, and anyone else is a 404 exactly like a key that does not exist."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.web.app import create_app
from tests.support.workforce import Workforce, add_workforce
from tests.web.signing_in import sign_in

# Who (and with which granted roles) sees whom, in the two-organisation workforce.
SIGHT = [
    ("analyst", (), {"analyst"}),
    ("lead", (), {"lead", "analyst"}),
    ("boss", (), {"boss", "lead", "analyst"}),
    ("b-admin", ("organisation_admin",), {"b-admin", "stranger"}),
    ("outsider", ("organisation_admin",), {"boss", "lead", "analyst", "outsider"}),
]
EVERYONE = {"boss", "lead", "analyst", "outsider", "stranger", "b-admin"}


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


@pytest.fixture
def client(engine: Engine, workforce: Workforce) -> Iterator[TestClient]:
    with TestClient(create_app(engine=engine)) as test_client:
        yield test_client


@pytest.mark.parametrize(("who", "roles", "visible"), SIGHT)
def test_lists_and_details_show_exactly_whom_the_actor_may_see(
    client: TestClient, who: str, roles: tuple[str, ...], visible: set[str]
) -> None:
    sign_in(client, who, roles)

    listed = client.get("/api/v1/people", params={"limit": 200}).json()
    assert {p["key"] for p in listed["items"]} == visible
    assert listed["total"] == len(visible)
    page = client.get("/people").text
    for key in EVERYONE:
        assert (f'href="/people/{key}"' in page) == (key in visible), key
        api = client.get(f"/api/v1/people/{key}")
        html = client.get(f"/people/{key}")
        expected = 200 if key in visible else 404
        assert (api.status_code, html.status_code) == (expected, expected), key
    hidden = client.get(
        "/api/v1/people/stranger" if "stranger" not in visible else "/api/v1/people/boss"
    )
    missing = client.get("/api/v1/people/no-such-person")
    assert hidden.json()["detail"] == missing.json()["detail"]
    assert hidden.json()["title"] == missing.json()["title"]


def test_filters_cannot_widen_sight(client: TestClient) -> None:
    sign_in(client, "b-admin", ("organisation_admin",))

    other_org = client.get("/api/v1/people", params={"organisation": "dept-a"}).json()
    assert other_org["items"] == []
    assert other_org["total"] == 0
    assert "Boss" not in client.get("/people", params={"q": "boss"}).text


def test_me_goes_to_your_own_profile(client: TestClient) -> None:
    sign_in(client, "lead")

    response = client.get("/me", follow_redirects=False)
    assert response.headers["location"] == "/people/lead"
    profile = client.get("/people/lead").text
    assert "Your profile" in profile
    assert "evidence of lead" in profile
    me = client.get("/api/v1/me").json()
    assert me["person"] == "lead"
    assert me["roles"] == ["line_manager", "person"]
    detail = client.get("/api/v1/people/analyst").json()
    assert detail["manager"] == "lead"
    assert detail["claims"][0]["evidence"] == "evidence of analyst"


def test_the_audit_log_is_per_organisation(client: TestClient) -> None:
    sign_in(client, "lead")  # an event in department A
    sign_in(client, "stranger")  # an event in agency B
    sign_in(client, "b-admin", ("organisation_admin",))

    events = client.get("/api/v1/audit-events").json()["items"]
    assert {e["entity_key"] for e in events} == {
        str(e["entity_key"]) for e in events if e["organisation"] == "agency-b"
    }
    assert {e["organisation"] for e in events} == {"agency-b"}
    page = client.get("/admin/audit").text
    assert "Lead" not in page
    assert "Stranger" in page
