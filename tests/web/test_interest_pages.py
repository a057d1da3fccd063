"""Interest through the pages and the API: add a programme, job family or course, be told when a
matching cohort opens, stop; errors are named and change nothing; one's own interests only."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.actors import Role
from mobilise.services.outbox import messages_for
from mobilise.services.programmes import CohortSpec, open_cohort
from tests.support.programmes import add_programme
from tests.web.journeys import accessible, api_signed_in
from tests.web.signing_in import csrf_from, sign_in


def test_the_page_adds_shows_and_stops_interests(client: TestClient, engine: Engine) -> None:
    setup = add_programme(engine)
    sign_in(client, "candidate")
    page = accessible(client, "/me/interests")
    assert "Nothing yet." in page
    for kind, target in (("programme", "ai-accelerator"), ("course", "ai-ethics")):
        token = csrf_from(client, "/me/interests")
        added = client.post(
            "/me/interests",
            data={"kind": kind, "target": target, "csrf_token": token},
            follow_redirects=False,
        )
        assert added.status_code == 303
    page = accessible(client, "/me/interests")
    assert "AI Accelerator" in page
    assert "AI ethics: transparency" in page

    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    starts = setup.starts_on.replace(year=setup.starts_on.year + 1)
    open_cohort(
        engine,
        admin,
        "ai-accelerator",
        CohortSpec(key="aia-next", name="Next", starts_on=starts, ends_on=starts, capacity=3),
    )
    told, _ = messages_for(engine, setup.actor(engine, "candidate"))
    assert [m.link for m in told if m.kind == "interest.cohort_opened"] == ["/cohorts/aia-next"]

    token = csrf_from(client, "/me/interests")
    refused = client.post(
        "/me/interests", data={"kind": "course", "target": "no-such", "csrf_token": token}
    )
    assert refused.status_code == 422
    assert 'href="#course"' in refused.text

    first = client.get("/api/v1/me/interests").json()[-1]["id"]
    token = csrf_from(client, "/me/interests")
    stopped = client.post(
        f"/me/interests/{first}/withdraw", data={"csrf_token": token}, follow_redirects=False
    )
    assert stopped.status_code == 303
    assert [i["target"] for i in client.get("/api/v1/me/interests").json()] == ["ai-ethics"]


def test_the_api_registers_lists_and_withdraws_only_ones_own(
    client: TestClient, engine: Engine
) -> None:
    add_programme(engine)
    headers = api_signed_in(client, "analyst")
    made = client.post(
        "/api/v1/me/interests", json={"kind": "role_family", "target": "data"}, headers=headers
    )
    assert made.status_code == 201, made.text
    assert made.json()["target_name"]
    bad = client.post(
        "/api/v1/me/interests", json={"kind": "course", "target": "nothing"}, headers=headers
    )
    assert bad.status_code == 422
    assert [i["target"] for i in client.get("/api/v1/me/interests").json()] == ["data"]

    other = api_signed_in(client, "stranger")
    theirs = client.delete(f"/api/v1/me/interests/{made.json()['id']}", headers=other)
    assert theirs.status_code == 404
    mine = api_signed_in(client, "analyst")
    gone = client.delete(f"/api/v1/me/interests/{made.json()['id']}", headers=mine)
    assert gone.status_code == 204
    assert client.get("/api/v1/me/interests").json() == []
