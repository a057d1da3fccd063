"""Your data through the pages and the API: download, correct details, withdraw consent, ask to
be erased; an organisation admin approves or refuses (and nobody else can)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from mobilise.store.database import reading, transaction
from mobilise.store.models import ErasureRequest, Person, SensitiveAttributes
from tests.support.workforce import Workforce, add_workforce
from tests.web.signing_in import csrf_from, sign_in


def _with_attributes(engine: Engine) -> Workforce:
    workforce = add_workforce(engine)
    with transaction(engine) as session:
        session.add(
            SensitiveAttributes(person_id=workforce.people["analyst"], consent=True, sex="Male")
        )
    return workforce


def test_the_page_downloads_everything_and_links_to_each_correction(
    client: TestClient, engine: Engine
) -> None:
    _with_attributes(engine)
    sign_in(client, "analyst")

    page = client.get("/me/data")
    download = client.get("/me/data.json")

    assert page.status_code == 200
    for href in ('href="/me/data.json"', 'href="/me/data/details"', 'href="/applications"'):
        assert href in page.text
    assert "Statistics already published are not changed" in page.text
    assert download.headers["content-disposition"].startswith("attachment")
    document = json.loads(download.text)
    assert document["person"]["email"] == "analyst@example.gov.uk"
    assert document["sensitive_attributes"]["sex"] == "Male"
    assert client.get("/api/v1/me/data").json()["person"] == document["person"]


def test_correcting_details_shows_each_problem_then_saves(
    client: TestClient, engine: Engine
) -> None:
    add_workforce(engine)
    sign_in(client, "analyst")
    token = csrf_from(client, "/me/data/details")

    refused = client.post(
        "/me/data/details", data={"display_name": "", "email": "nope", "csrf_token": token}
    )
    saved = client.post(
        "/me/data/details",
        data={"display_name": "Ana Lyst", "email": "ana@example.gov.uk", "csrf_token": token},
        follow_redirects=False,
    )

    assert refused.status_code == 422
    assert 'href="#display_name"' in refused.text
    assert 'href="#email"' in refused.text
    assert saved.status_code == 303
    with reading(engine) as session:
        person = session.scalars(select(Person).where(Person.key == "analyst")).one()
        assert (person.display_name, person.email) == ("Ana Lyst", "ana@example.gov.uk")


def test_withdrawing_consent_through_the_page_and_the_api(
    client: TestClient, engine: Engine
) -> None:
    workforce = _with_attributes(engine)
    sign_in(client, "analyst")
    token = csrf_from(client, "/me/data")

    done = client.post(
        "/me/data/consent/withdraw", data={"csrf_token": token}, follow_redirects=False
    )
    again = client.post(
        "/api/v1/me/sensitive-attributes/withdrawal", headers={"X-CSRF-Token": token}
    )

    assert done.status_code == 303
    assert again.json() == {"withdrawn": False}
    with reading(engine) as session:
        assert session.get(SensitiveAttributes, workforce.people["analyst"]) is None
    assert "We hold no sensitive information about you" in client.get("/me/data").text


def test_erasure_asked_on_the_page_and_decided_by_her_organisations_admin(
    client: TestClient, engine: Engine
) -> None:
    workforce = add_workforce(engine)
    sign_in(client, "analyst")
    token = csrf_from(client, "/me/data")
    asked = client.post(
        "/me/data/erasure", data={"reason": "Leaving", "csrf_token": token}, follow_redirects=False
    )
    assert asked.status_code == 303
    [mine] = client.get("/api/v1/me/erasure-requests").json()
    assert mine["state"] == "pending"
    assert "Cancel your request" in client.get("/me/data").text

    sign_in(client, "stranger", ("organisation_admin",))
    assert client.get("/api/v1/erasure-requests").json()["total"] == 0
    other = csrf_from(client, "/erasure-requests")
    refused = client.post(f"/erasure-requests/{mine['key']}/approve", data={"csrf_token": other})
    assert refused.status_code == 404

    sign_in(client, "boss", ("organisation_admin",))
    listing = client.get("/erasure-requests")
    assert "Analyst" in listing.text
    approved = client.post(
        f"/erasure-requests/{mine['key']}/approve",
        data={"csrf_token": csrf_from(client, "/erasure-requests")},
        follow_redirects=False,
    )
    assert approved.status_code == 303
    with reading(engine) as session:
        found = session.scalars(select(ErasureRequest)).one()
        assert found.state == "erased"
        person = session.get(Person, workforce.people["analyst"])
        assert person is not None
        assert person.display_name == found.pseudonym


def test_refusing_through_the_api_needs_a_reason(client: TestClient, engine: Engine) -> None:
    add_workforce(engine)
    sign_in(client, "analyst")
    token = {"X-CSRF-Token": csrf_from(client, "/me/data")}
    key = client.post("/api/v1/me/erasure-requests", json={}, headers=token).json()["key"]
    sign_in(client, "boss", ("organisation_admin",))
    token = {"X-CSRF-Token": csrf_from(client, "/erasure-requests")}

    empty = client.post(
        f"/api/v1/erasure-requests/{key}/refusal", json={"reason": ""}, headers=token
    )
    done = client.post(
        f"/api/v1/erasure-requests/{key}/refusal", json={"reason": "Open appeal"}, headers=token
    )

    assert empty.status_code == 422
    assert (done.status_code, done.json()["state"]) == (200, "refused")
    assert done.json()["decision_reason"] == "Open appeal"
