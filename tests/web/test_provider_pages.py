"""The provider's pages: its cohorts, participants' names and progress only, recording a score
(errors named, nothing stored); nobody else sees them."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.support.marketplace import add_marketplace
from tests.support.providers import run_delivered_cohort
from tests.web.journeys import accessible, api_signed_in
from tests.web.signing_in import csrf_from, sign_in


def test_the_provider_sees_names_and_progress_and_records_a_score(
    client: TestClient, engine: Engine
) -> None:
    setup, key = run_delivered_cohort(engine)
    sign_in(client, "b-admin", ("programme_admin",))
    assert 'href="/provider/cohorts/aia-1"' in accessible(client, "/provider")
    page = accessible(client, "/provider/cohorts/aia-1")
    assert "Analyst" in page
    assert "analyst@example.gov.uk" not in page
    token = csrf_from(client, "/provider/cohorts/aia-1")
    form = {"application": key, "name": "Quiz 1", "max_score": "10", "csrf_token": token}
    refused = client.post(
        "/provider/cohorts/aia-1/assessments",
        data={**form, "score": "12", "assessed_on": setup.starts_on.isoformat()},
    )
    assert refused.status_code == 422
    assert 'href="#score"' in refused.text
    token = csrf_from(client, "/provider/cohorts/aia-1")
    saved = client.post(
        "/provider/cohorts/aia-1/assessments",
        data={
            **form,
            "score": "9",
            "assessed_on": setup.starts_on.isoformat(),
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert "Quiz 1: 9 of 10" in client.get("/provider/cohorts/aia-1").text

    sign_in(client, "stranger")
    assert client.get("/provider/cohorts/aia-1").status_code == 403
    assert "delivers no cohorts" in client.get("/provider").text


def test_the_api_gives_names_and_progress_to_the_provider_only(
    client: TestClient, engine: Engine
) -> None:
    setup, key = run_delivered_cohort(engine)
    headers = api_signed_in(client, "b-admin", "programme_admin")
    assert [c["key"] for c in client.get("/api/v1/provider/cohorts").json()] == ["aia-1"]
    score = {"name": "Quiz", "score": 3, "max_score": 4, "assessed_on": str(setup.starts_on)}
    put = client.put(f"/api/v1/applications/{key}/assessments", json=score, headers=headers)
    assert put.status_code == 204, put.text
    (row,) = client.get("/api/v1/provider/cohorts/aia-1/participants").json()
    assert set(row) == {
        "application",
        "name",
        "state",
        "sessions_attended",
        "sessions_recorded",
        "modules_done",
        "modules",
        "scores",
    }
    assert row["scores"][0]["score"] == 3
    other = api_signed_in(client, "stranger")
    assert client.get("/api/v1/provider/cohorts/aia-1/participants").status_code == 403
    refused = client.put(f"/api/v1/applications/{key}/assessments", json=score, headers=other)
    assert refused.status_code == 403


def test_the_api_and_the_provider_page_show_the_named_bids(
    client: TestClient, engine: Engine
) -> None:
    add_marketplace(engine)
    owner = api_signed_in(client, "admin", "programme_admin")
    body = {"provider": "agency-b"}
    named = client.put("/api/v1/opportunities/gds-secondment/provider", json=body, headers=owner)
    assert named.status_code == 204, named.text
    api_signed_in(client, "b-admin", "programme_admin")
    assert [b["key"] for b in client.get("/api/v1/provider/bids").json()] == ["gds-secondment"]
    assert "Apprenticeship bids you train for" in client.get("/provider").text
