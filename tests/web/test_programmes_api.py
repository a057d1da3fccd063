"""The programme journey through the JSON API, with the access each reader has."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.support.programmes import add_programme
from tests.web.journeys import API, api_post, api_signed_in


@pytest.fixture
def ready(engine: Engine) -> None:
    add_programme(engine)


@pytest.mark.usefixtures("ready")
def test_apply_release_score_select_accept_through_the_api(client: TestClient) -> None:
    headers = api_signed_in(client, "analyst")
    listed = client.get(f"{API}/programmes").json()
    assert [c["key"] for c in listed[0]["cohorts"]] == ["aia-1"]
    cohort = client.get(f"{API}/cohorts/aia-1").json()
    assert cohort["eligibility_text"] == ["Current role in data, at working level or above"]
    assert [c["mandatory"] for c in cohort["curriculum"]] == [True, False]
    refused = api_post(
        client, "/cohorts/aia-1/applications", headers, {"statement": "x", "share": ["role"]}
    )
    assert refused.status_code == 422
    assert "consent" in refused.json()["detail"]
    created = api_post(
        client,
        "/cohorts/aia-1/applications",
        headers,
        {"statement": "I build models.", "share": ["skills"], "consent": True},
    )
    assert created.status_code == 201
    key = created.json()["key"]
    assert [a["state"] for a in client.get(f"{API}/me/applications").json()] == ["awaiting_release"]
    assert client.get(f"{API}/me/messages").json()["total"] == 1

    headers = api_signed_in(client, "stranger")
    assert client.get(f"{API}/applications/{key}").status_code == 404
    other = api_post(
        client, "/cohorts/aia-1/applications", headers, {"statement": "Me too."}
    ).json()["key"]

    headers = api_signed_in(client, "lead")
    assert [a["key"] for a in client.get(f"{API}/release-queue").json()] == [key]
    detail = client.get(f"{API}/applications/{key}").json()
    assert detail["actions"] == ["release", "refuse_release"]
    released = api_post(client, f"/applications/{key}/transitions", headers, {"action": "release"})
    assert released.json() == {"state": "released"}
    again = api_post(client, f"/applications/{key}/transitions", headers, {"action": "release"})
    assert again.status_code == 422
    assert "allowed" in again.json()["detail"]

    headers = api_signed_in(client, "admin", "programme_admin")
    assert api_post(client, "/cohorts/aia-1/transitions", headers, {"action": "close"}).json() == {
        "state": "closed",
        "selection_run": None,
        "offered": None,
        "waiting": None,
    }
    headers = api_signed_in(client, "judge")
    seen = client.get(f"{API}/applications/{key}").json()
    assert "skills" in seen["profile"]
    assert "role" not in seen["profile"]
    for application, points in ((key, 5), (other, 2)):
        scored = api_post(
            client,
            f"/applications/{application}/scores",
            headers,
            {"points": {"motivation": points, "experience": points}},
        )
        assert scored.status_code == 200, scored.text
    rows = client.get(f"{API}/cohorts/aia-1/applications").json()
    assert rows["total"] == 2

    headers = api_signed_in(client, "admin", "programme_admin")
    selected = api_post(client, "/cohorts/aia-1/transitions", headers, {"action": "select"}).json()
    assert selected["offered"] == [key]
    assert selected["waiting"] == [other]
    assert client.get(f"{API}/cohorts/aia-1").json()["selection_run"] == selected["selection_run"]

    headers = api_signed_in(client, "analyst")
    assert api_post(
        client, f"/applications/{key}/transitions", headers, {"action": "accept"}
    ).json() == {"state": "accepted"}
    assert client.delete(f"{API}/applications/{key}/share", headers=headers).status_code == 204


@pytest.mark.usefixtures("ready")
def test_only_the_panel_and_owners_list_a_cohort_s_applications(client: TestClient) -> None:
    api_signed_in(client, "analyst")
    assert client.get(f"{API}/cohorts/aia-1/applications").status_code == 403
    headers = api_signed_in(client, "outsider")
    assert (
        api_post(
            client,
            "/programmes/ai-accelerator/cohorts",
            headers,
            {
                "key": "aia-2",
                "name": "Two",
                "starts_on": "2027-01-04",
                "ends_on": "2027-03-26",
                "capacity": 25,
            },
        ).status_code
        == 403
    )
    headers = api_signed_in(client, "admin", "programme_admin")
    opened = api_post(
        client,
        "/programmes/ai-accelerator/cohorts",
        headers,
        {
            "key": "aia-2",
            "name": "Two",
            "starts_on": "2027-01-04",
            "ends_on": "2027-03-26",
            "capacity": 25,
            "curriculum": [{"item": "no-such-item"}],
        },
    )
    assert opened.status_code == 422
    assert "no-such-item" in opened.json()["detail"]
    assert client.get(f"{API}/cohorts/aia-2").status_code == 404


@pytest.mark.usefixtures("ready")
def test_programme_admins_set_up_programmes_of_their_own_organisation(
    client: TestClient,
) -> None:
    body = {"key": "tt", "name": "TechTrack", "kind": "apprenticeship", "organisation": "dept-a"}
    headers = api_signed_in(client, "analyst")
    assert api_post(client, "/programmes", headers, body).status_code == 403
    headers = api_signed_in(client, "b-admin", "programme_admin")
    assert api_post(client, "/programmes", headers, body).status_code == 403
    headers = api_signed_in(client, "admin", "programme_admin")
    bad = api_post(client, "/programmes", headers, {**body, "quotas": [{"id": "q"}]})
    assert bad.status_code == 422
    assert "quotas" in bad.text
    created = api_post(client, "/programmes", headers, {**body, "target_people": 2000})
    assert (created.status_code, created.json()) == (201, {"key": "tt"})
    programme = client.get(f"{API}/programmes/tt").json()
    assert (programme["kind"], programme["target_people"]) == ("apprenticeship", 2000)
    assert api_post(client, "/programmes", headers, body).status_code == 422  # the key is taken
