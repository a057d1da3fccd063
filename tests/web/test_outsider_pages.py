"""Cohort terms and hiring through the pages and the API: only the programme's admins set them,
errors are named and change nothing; an outsider applies once the cohort is open to them."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.applications import apply
from mobilise.services.cohort_terms import cohort_terms
from tests.support.programmes import add_programme
from tests.web.journeys import accessible, api_signed_in
from tests.web.signing_in import csrf_from, sign_in


def test_admins_set_terms_in_the_page_errors_first(client: TestClient, engine: Engine) -> None:
    add_programme(engine)
    sign_in(client, "admin", ("programme_admin",))
    accessible(client, "/cohorts/aia-1/terms")
    token = csrf_from(client, "/cohorts/aia-1/terms")
    refused = client.post(
        "/cohorts/aia-1/terms",
        data={"open_to_outsiders": "yes", "provider": "nowhere", "csrf_token": token},
    )
    assert refused.status_code == 422
    assert 'href="#provider"' in refused.text
    assert cohort_terms(engine, "aia-1").open_to_outsiders is False
    token = csrf_from(client, "/cohorts/aia-1/terms")
    saved = client.post(
        "/cohorts/aia-1/terms",
        data={
            "open_to_outsiders": "yes",
            "provider": "agency-b",
            "funding_source": "department_budget",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    terms = cohort_terms(engine, "aia-1")
    assert (terms.open_to_outsiders, terms.provider_key) == (True, "agency-b")


def test_the_api_refuses_others_and_hires_only_accepted_places(
    client: TestClient, engine: Engine
) -> None:
    setup = add_programme(engine)
    body = {"open_to_outsiders": True, "provider": None, "funding_source": "apprenticeship_levy"}
    stranger = api_signed_in(client, "stranger")
    assert client.put("/api/v1/cohorts/aia-1/terms", json=body, headers=stranger).status_code == 403
    admin = api_signed_in(client, "admin", "programme_admin")
    put = client.put("/api/v1/cohorts/aia-1/terms", json=body, headers=admin)
    assert put.status_code == 200, put.text
    assert client.get("/api/v1/cohorts/aia-1/terms").json()["funding_source"] == (
        "apprenticeship_levy"
    )
    key = apply(engine, setup.actor(engine, "stranger"), "aia-1", "Me.", [], consent=False)
    early = client.post(f"/api/v1/applications/{key}/hire", headers=admin)
    assert early.status_code == 422
    other = api_signed_in(client, "b-admin", "programme_admin")
    assert client.post(f"/api/v1/applications/{key}/hire", headers=other).status_code == 404
    sign_in(client, "admin", ("programme_admin",))
    accessible(client, f"/applications/{key}/hire")
    token = csrf_from(client, f"/applications/{key}/hire")
    page = client.post(f"/applications/{key}/hire", data={"csrf_token": token})
    assert page.status_code == 422
    assert "only an accepted or completed place" in page.text
