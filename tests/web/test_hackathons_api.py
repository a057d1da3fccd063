"""The hackathon journey through the JSON API, with the access each reader has."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.support.hackathons import ENTRY, HACKATHON, HackathonSetup, add_hackathon
from tests.web.journeys import API, api_post, api_signed_in

BASE = f"/hackathons/{HACKATHON}"


@pytest.fixture
def ready(engine: Engine) -> HackathonSetup:
    return add_hackathon(engine)


def test_the_journey_through_the_api(client: TestClient, ready: HackathonSetup) -> None:
    headers = api_signed_in(client, "candidate")
    detail = client.get(f"{API}{BASE}").json()
    assert detail["state"] == "open"
    assert [c["register_entry"] for c in detail["challenges"]] == [None, ENTRY]
    assert detail["judges"] == []  # organisers only
    bad = api_post(client, f"{BASE}/sign-ups", headers, {"share": ["skills"]})
    assert bad.status_code == 422
    assert "consent" in bad.json()["detail"]
    body = {"preferences": [ready.written], "share": ["skills"], "consent": True}
    assert api_post(client, f"{BASE}/sign-ups", headers, body).status_code == 201
    assert client.get(f"{API}{BASE}/participants").status_code == 403
    for person in ("analyst", "stranger", "lead"):
        headers = api_signed_in(client, person)
        assert api_post(client, f"{BASE}/sign-ups", headers, {}).status_code == 201

    headers = api_signed_in(client, "admin", "programme_admin")
    rows = client.get(f"{API}{BASE}/participants?limit=2").json()
    assert rows["total"] == 4
    assert len(rows["items"]) == 2
    assert rows["next"]
    formed = api_post(client, f"{BASE}/teams", headers, {"seed": 5})
    assert formed.json() == {"teams": 1}
    teams = client.get(f"{API}{BASE}/teams").json()
    assert teams["engine_isolated"] is False
    assert teams["moves_since"] == 0
    assert teams["teams"][0]["make_up"]["size"] == 4
    moved = api_post(client, f"{BASE}/teams/moves", headers, {"participant": "nope", "team": 1})
    assert moved.status_code == 422
    for action in ("publish_teams", "open_submissions"):
        assert (
            api_post(client, f"{BASE}/transitions", headers, {"action": action}).status_code == 200
        )
    team = teams["teams"][0]["key"]

    headers = api_signed_in(client, "stranger")
    submission = {
        "title": "Dedupe",
        "summary": "Matches records.",
        "links": [{"label": "Code", "url": "https://example.org/x"}],
    }
    put = client.put(f"{API}/hackathon-teams/{team}/submission", json=submission, headers=headers)
    assert put.status_code == 204
    headers = api_signed_in(client, "admin", "programme_admin")
    assert api_post(client, f"{BASE}/transitions", headers, {"action": "start_judging"}).json() == {
        "state": "judging"
    }
    headers = api_signed_in(client, "judge")
    points = {"impact": 5, "feasibility": 5, "responsible": 5, "presentation": 5}
    sheet = client.put(
        f"{API}/hackathon-teams/{team}/scores", json={"points": points}, headers=headers
    )
    assert sheet.status_code == 200
    assert client.get(f"{API}{BASE}/results").status_code == 404
    headers = api_signed_in(client, "admin", "programme_admin")
    api_post(client, f"{BASE}/transitions", headers, {"action": "publish_results"})
    client.cookies.clear()
    results = client.get(f"{API}{BASE}/results").json()
    assert results["teams"][0]["rank"] == 1
    assert results["teams"][0]["names"] == []  # no one agreed to show their name
    assert results["teams"][0]["others"] == 4


def test_only_programme_admins_of_the_organisation_set_up_hackathons(
    client: TestClient, ready: HackathonSetup
) -> None:
    body = {
        "key": "h2",
        "title": "Two",
        "organisation": "dept-a",
        "starts_on": "2027-01-04",
        "ends_on": "2027-01-05",
        "capacity": 10,
        "team_size": 3,
        "online": True,
    }
    headers = api_signed_in(client, "b-admin", "programme_admin")
    assert api_post(client, "/hackathons", headers, body).status_code == 403
    headers = api_signed_in(client, "admin", "programme_admin")
    assert (
        api_post(client, "/hackathons", headers, {**body, "ends_on": "2026-01-01"}).status_code
        == 422
    )
    assert api_post(client, "/hackathons", headers, body).json() == {"key": "h2"}
    challenge = api_post(client, "/hackathons/h2/challenges", headers, {"register_entry": "nope"})
    assert challenge.status_code == 422
    headers = api_signed_in(client, "analyst")
    assert client.get(f"{API}/hackathons/h2").status_code == 404
