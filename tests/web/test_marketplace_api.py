"""The marketplace through the JSON API, with the access each reader has."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.support.marketplace import ROUND, add_marketplace
from tests.web.journeys import API, api_post, api_signed_in


@pytest.fixture
def ready(engine: Engine) -> None:
    add_marketplace(engine)


@pytest.mark.usefixtures("ready")
def test_browse_apply_release_allocate_through_the_api(client: TestClient) -> None:
    headers = api_signed_in(client, "analyst")
    page = client.get(f"{API}/opportunities?limit=2").json()
    assert (page["total"], len(page["items"])) == (3, 2)
    assert page["items"][0]["key"] == "data-loan"
    assert page["items"][0]["fit"] == 1.0
    assert page["next"] is not None
    rest = client.get(page["next"]).json()
    assert len(rest["items"]) == 1
    assert rest["next"] is None
    detail = client.get(f"{API}/opportunities/data-loan").json()
    assert detail["may_apply"] is True
    assert {r["skill"] for r in detail["requirements"]} == {"accessibility", "agile-working"}
    assert client.put(f"{API}/opportunities/data-loan/saved", headers=headers).status_code == 204
    assert [o["key"] for o in client.get(f"{API}/opportunities?saved=true").json()["items"]] == [
        "data-loan"
    ]
    refused = api_post(
        client, "/opportunities/gds-secondment/applications", headers, {"statement": "x"}
    )
    assert refused.status_code == 422
    created = api_post(
        client,
        "/opportunities/data-loan/applications",
        headers,
        {"statement": "I build pipelines.", "share": ["skills"], "consent": True},
    )
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    assert client.get(f"{API}/me/opportunity-applications").json()[0]["state"] == (
        "awaiting_release"
    )

    headers = api_signed_in(client, "stranger")
    assert client.get(f"{API}/opportunity-applications/{key}").status_code == 404
    headers = api_signed_in(client, "firm-admin", "programme_admin")
    assert client.get(f"{API}/opportunity-applications/{key}").status_code == 404
    assert client.get(f"{API}/opportunities/data-loan/applications").status_code == 403

    headers = api_signed_in(client, "lead")
    assert [a["key"] for a in client.get(f"{API}/opportunity-release-queue").json()] == [key]
    released = api_post(
        client, f"/opportunity-applications/{key}/transitions", headers, {"action": "release"}
    )
    assert released.json() == {"state": "released"}

    headers = api_signed_in(client, "b-admin", "programme_admin")
    ranked = client.get(f"{API}/opportunities/data-loan/applications").json()
    assert [(a["key"], a["fit"]) for a in ranked] == [(key, 1.0)]
    seen = client.get(f"{API}/opportunity-applications/{key}").json()
    assert "skills" in seen["profile"]
    assert "role" not in seen["profile"]
    assert (
        api_post(client, f"/rounds/{ROUND}/transitions", headers, {"action": "close"}).status_code
        == 403
    )

    headers = api_signed_in(client, "admin", "programme_admin")
    assert (
        api_post(
            client, f"/rounds/{ROUND}/transitions", headers, {"action": "allocate"}
        ).status_code
        == 422
    )
    assert api_post(
        client, f"/rounds/{ROUND}/transitions", headers, {"action": "close"}
    ).json() == {
        "state": "closed",
        "allocation_run": None,
        "offered": None,
    }
    allocated = api_post(
        client, f"/rounds/{ROUND}/transitions", headers, {"action": "allocate"}
    ).json()
    assert allocated["offered"] == [key]
    assert allocated["allocation_run"].startswith("mkt-")
    shown = client.get(f"{API}/rounds/{ROUND}").json()
    assert shown["state"] == "offers_published"
    assert shown["applications_by_state"] == {"offered": 1}

    headers = api_signed_in(client, "analyst")
    accepted = api_post(
        client, f"/opportunity-applications/{key}/transitions", headers, {"action": "accept"}
    )
    assert accepted.json() == {"state": "accepted"}


@pytest.mark.usefixtures("ready")
def test_programme_admins_post_opportunities_and_open_rounds_of_their_own_organisation(
    client: TestClient, engine: Engine
) -> None:
    body = {
        "key": "ml-role",
        "round": ROUND,
        "organisation": "agency-b",
        "kind": "project_role",
        "title": "ML engineer",
        "starts_on": "2027-01-04",
        "ends_on": "2027-06-30",
        "capacity": 2,
        "skills": [{"skill": "accessibility", "level": "practitioner"}],
    }
    headers = api_signed_in(client, "firm-admin", "programme_admin")
    assert api_post(client, "/opportunities", headers, body).status_code == 403
    headers = api_signed_in(client, "b-admin", "programme_admin")
    bad = api_post(
        client,
        "/opportunities",
        headers,
        {**body, "skills": [{"skill": "nope", "level": "working"}]},
    )
    assert bad.status_code == 422
    assert "nope" in bad.text
    assert api_post(client, "/opportunities", headers, body).status_code == 201
    assert (
        api_post(
            client, "/rounds", headers, {"key": "r2", "name": "R2", "organisation": "dept-a"}
        ).status_code
        == 403
    )
    assert (
        api_post(
            client, "/rounds", headers, {"key": "r2", "name": "R2", "organisation": "agency-b"}
        ).status_code
        == 201
    )
    assert {r["key"] for r in client.get(f"{API}/rounds").json()} == {ROUND, "r2"}


@pytest.mark.usefixtures("ready")
def test_a_techtrack_intake_through_the_api(client: TestClient) -> None:
    headers = api_signed_in(client, "admin", "programme_admin")
    programme = {
        "key": "tt",
        "name": "TechTrack",
        "kind": "apprenticeship",
        "organisation": "dept-a",
    }
    assert api_post(client, "/programmes", headers, programme).status_code == 201
    intake = {
        "key": "tt-2027",
        "name": "TechTrack 2027",
        "organisation": "dept-a",
        "programme": "tt",
        "quotas": [
            {
                "id": "outside-london",
                "attribute": "region",
                "not_values": ["London"],
                "min_share": 0.5,
            }
        ],
    }
    assert api_post(client, "/rounds", headers, {**intake, "programme": "nope"}).status_code == 422
    assert api_post(client, "/rounds", headers, intake).status_code == 201
    bid = {
        "key": "sd-leeds",
        "round": "tt-2027",
        "organisation": "dept-a",
        "kind": "apprenticeship",
        "title": "Software developer apprentice",
        "starts_on": "2027-09-01",
        "ends_on": "2029-08-31",
        "capacity": 2,
        "region": "Yorkshire and The Humber",
    }
    assert api_post(client, "/opportunities", headers, bid).status_code == 422  # no role
    made = api_post(client, "/opportunities", headers, {**bid, "role": "software developer"})
    assert made.status_code == 201, made.text
    shown = client.get(f"{API}/rounds/tt-2027").json()
    assert (shown["programme"], shown["quotas"][0]["id"]) == ("tt", "outside-london")
    assert shown["items"][0]["role"] == "software developer"

    headers = api_signed_in(client, "candidate")
    applied = api_post(
        client, "/opportunities/sd-leeds/applications", headers, {"statement": "I code."}
    )
    assert applied.status_code == 201, applied.text
    key = applied.json()["key"]
    headers = api_signed_in(client, "admin", "programme_admin")
    assert (
        api_post(
            client, f"/opportunity-applications/{key}/score", headers, {"score": 120}
        ).status_code
        == 422
    )
    assert (
        api_post(
            client, f"/opportunity-applications/{key}/score", headers, {"score": 75}
        ).status_code
        == 204
    )
    assert client.get(f"{API}/opportunities/sd-leeds/applications").json()[0]["owner_score"] == 75
