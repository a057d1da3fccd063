"""Communities, events and mentoring through the JSON API, with the access each reader has."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.support import communities as support
from tests.support.communities import COMMUNITY, EVENT, CommunitySetup
from tests.web.journeys import API, api_post, api_signed_in


@pytest.fixture
def ready(engine: Engine) -> CommunitySetup:
    return support.add_community(engine, capacity=1)


def test_communities_and_events_through_the_api(client: TestClient, ready: CommunitySetup) -> None:
    headers = api_signed_in(client, "analyst")
    assert [c["key"] for c in client.get(f"{API}/communities").json()] == [COMMUNITY]
    assert client.get(f"{API}/communities/{COMMUNITY}").json()["member_names"] is None
    joined = client.put(f"{API}/communities/{COMMUNITY}/membership", headers=headers)
    assert joined.status_code == 204
    detail = client.get(f"{API}/communities/{COMMUNITY}").json()
    assert (detail["members"], detail["member_names"]) == (1, ["Analyst"])
    assert detail["skills"] == [ready.skill]
    refused = api_post(client, "/communities", headers, {"key": "x", "name": "X"})
    assert refused.status_code == 403

    assert [e["key"] for e in client.get(f"{API}/events?community={COMMUNITY}").json()] == [EVENT]
    placed = client.put(f"{API}/events/{EVENT}/registration", headers=headers)
    assert placed.json() == {"state": "registered"}
    lead = api_signed_in(client, "lead")
    assert client.put(f"{API}/events/{EVENT}/registration", headers=lead).json() == {
        "state": "waiting"
    }
    assert client.get(f"{API}/events/{EVENT}").json()["your_position"] == 1
    assert client.get(f"{API}/events/{EVENT}").json()["registrations"] is None

    headers = api_signed_in(client, "analyst")
    cancelled = client.delete(f"{API}/events/{EVENT}/registration", headers=headers)
    assert cancelled.json() == {"promoted": 1}

    admin = api_signed_in(client, "admin", "programme_admin")
    rows = client.get(f"{API}/events/{EVENT}").json()["registrations"]
    assert {(r["name"], r["state"]) for r in rows} == {
        ("Analyst", "cancelled"),
        ("Lead", "registered"),
    }
    closed = client.put(
        f"{API}/events/{EVENT}/registration-open", headers=admin, json={"open": False}
    )
    assert closed.status_code == 204
    early = api_post(
        client,
        f"/events/{EVENT}/attendance",
        admin,
        {"registration": rows[0]["key"], "attended": True},
    )
    assert early.status_code == 422
    starts = datetime.now(UTC) + timedelta(days=3)
    created = api_post(
        client,
        "/events",
        admin,
        {
            "key": "ai-insights-1",
            "title": "AI Insights: evaluating agents",
            "organisation": "dept-a",
            "kind": "ai-insights",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=1)).isoformat(),
            "capacity": 300,
            "online": True,
        },
    )
    assert created.status_code == 201, created.text
    listed = [e["key"] for e in client.get(f"{API}/events").json()]
    assert listed == ["ai-insights-1", EVENT]
    bad = api_post(
        client,
        "/events",
        admin,
        {
            "key": "bad",
            "title": "Bad",
            "organisation": "dept-a",
            "kind": "party",
            "starts_at": starts.isoformat(),
            "ends_at": (starts - timedelta(hours=1)).isoformat(),
            "capacity": 1,
        },
    )
    assert bad.status_code == 422
    assert {p["name"] for p in bad.json()["invalid-params"]} == {"kind", "ends_at", "place"}


def test_mentoring_through_the_api(
    client: TestClient, engine: Engine, ready: CommunitySetup
) -> None:
    support.claim_skill(engine, "lead", ready.skill, 4)
    lead = api_signed_in(client, "lead")
    assert (
        client.put(
            f"{API}/mentoring/offer", headers=lead, json={"skills": [ready.skill], "capacity": 1}
        ).status_code
        == 204
    )
    analyst = api_signed_in(client, "analyst")
    body = {"skills": [ready.skill], "goals": "Grow", "share_across_organisations": False}
    assert client.put(f"{API}/mentoring/request", headers=analyst, json=body).status_code == 204
    assert client.get(f"{API}/mentoring").json()["request_open"] is True
    assert (
        api_post(
            client, "/mentoring/rounds", analyst, {"key": "r1", "organisation": "dept-a"}
        ).status_code
        == 403
    )

    admin = api_signed_in(client, "admin", "programme_admin")
    ran = api_post(client, "/mentoring/rounds", admin, {"key": "r1", "organisation": "dept-a"})
    assert ran.status_code == 201, ran.text
    assert (ran.json()["matched"], ran.json()["unmatched"]) == (1, 0)
    assert ran.json()["run"].startswith("mnt-")
    again = api_post(client, "/mentoring/rounds", admin, {"key": "r1", "organisation": "dept-a"})
    assert again.status_code == 422

    api_signed_in(client, "stranger")
    assert client.get(f"{API}/mentoring").json()["mentorings"] == []
    analyst = api_signed_in(client, "analyst")
    mine = client.get(f"{API}/mentoring").json()
    assert mine["request_open"] is False
    [match] = mine["mentorings"]
    assert (match["role"], match["other"], match["fit"]) == ("mentee", "Lead", 1.0)
    stranger = api_signed_in(client, "stranger")
    assert api_post(client, f"/mentoring/{match['key']}/end", stranger, {}).status_code == 404
    analyst = api_signed_in(client, "analyst")
    ended = api_post(client, f"/mentoring/{match['key']}/end", analyst, {"reason": "Done"})
    assert ended.status_code == 204
    assert client.get(f"{API}/mentoring").json()["mentorings"][0]["state"] == "ended"
