"""The provider's pages: its cohorts, participants' names and progress only, recording a score
(errors named, nothing stored); nobody else sees them."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.support.providers import run_delivered_cohort
from tests.web.journeys import accessible
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
