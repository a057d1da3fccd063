"""The register's API for teams: register, sections, publish, the self-assessment; scopes and
organisations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import command_line_actor
from mobilise.services.api_tokens import issue_token
from mobilise.services.register_transfer import import_register
from mobilise.web.app import create_app
from tests.support.atrs_answers import complete_answers
from tests.support.workforce import add_workforce

PROJECT = {
    "title": "Benefit letters summariser",
    "kind": "project",
    "phase": "private-beta",
    "description": "A large language model summarises letters from claimants for caseworkers. "
    "Caseworkers check every summary.",
    "links": [{"label": "Repository", "url": "https://github.com/example/letters"}],
}


def bearer(engine: Engine, person: str, *scopes: str) -> dict[str, str]:
    actor = development_sign_in(engine, person, [])
    assert actor.account_id is not None
    token = issue_token(engine, command_line_actor(), actor.account_id, "t", list(scopes))
    return {"Authorization": f"Bearer {token.token}"}


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    import_register(engine)
    add_workforce(engine)
    with TestClient(create_app(engine=engine)) as test_client:
        yield test_client


def test_a_team_registers_writes_and_publishes_a_record(client: TestClient, engine: Engine) -> None:
    writer = bearer(engine, "lead", "register:read", "register:write")

    created = client.post("/api/v1/register", json=PROJECT, headers=writer)
    assert created.status_code == 201, created.text
    body = created.json()
    key = body["key"]
    assert (body["status"], body["phase"]) == ("draft", "private-beta")
    assert len(body["similar"]) == 5
    assert body["similar"][0]["shared_terms"]
    assert "contact_email" in body["missing"]

    refused = client.post(f"/api/v1/register/{key}/publish", headers=writer)
    assert refused.status_code == 422
    named = {p["name"] for p in refused.json()["invalid-params"]}
    assert named == set(body["missing"])

    saved = client.patch(
        f"/api/v1/register/{key}/sections/summary",
        json={"fields": {"website_url": "https://www.gov.uk/letters"}, "completed": True},
        headers=writer,
    )
    assert saved.status_code == 200
    assert saved.json()["not_completed_because"] == [
        f"{key} summary, column 'contact_email': Contact email is needed to mark the section "
        "complete"
    ]
    record: dict[str, Any] = saved.json()["record"]
    for slug, fields in complete_answers(record).items():
        response = client.patch(
            f"/api/v1/register/{key}/sections/{slug}",
            json={"fields": fields, "completed": True},
            headers=writer,
        )
        assert response.json()["not_completed_because"] == [], slug
    published = client.post(f"/api/v1/register/{key}/publish", headers=writer)
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert client.get(f"/api/v1/register/{key}").json()["title"] == PROJECT["title"]


def test_bad_input_is_a_422_naming_each_field(client: TestClient, engine: Engine) -> None:
    writer = bearer(engine, "lead", "register:write")

    bad = client.post(
        "/api/v1/register",
        json=PROJECT | {"kind": "plan", "links": [{"label": "x", "url": "ftp://example.org"}]},
        headers=writer,
    )
    assert bad.status_code == 422
    assert [p["name"] for p in bad.json()["invalid-params"]] == ["kind", "links[0].url"]

    key = client.post("/api/v1/register", json=PROJECT, headers=writer).json()["key"]
    bad_section = client.patch(
        f"/api/v1/register/{key}/sections/metadata",
        json={"fields": {"phase": "alpha", "region": ["atlantis"]}},
        headers=writer,
    )
    assert bad_section.status_code == 422
    assert sorted(p["name"] for p in bad_section.json()["invalid-params"]) == ["phase", "region"]
    assert (
        client.patch(
            f"/api/v1/register/{key}/sections/nope", json={"fields": {}}, headers=writer
        ).status_code
        == 404
    )


def test_scopes_and_organisations_are_held(client: TestClient, engine: Engine) -> None:
    writer = bearer(engine, "lead", "register:read", "register:write")
    reader = bearer(engine, "analyst", "register:read")
    stranger = bearer(engine, "stranger", "register:read", "register:write")
    key = client.post("/api/v1/register", json=PROJECT, headers=writer).json()["key"]

    assert client.post("/api/v1/register", json=PROJECT, headers=reader).status_code == 403
    assert client.get(f"/api/v1/register/{key}/draft", headers=reader).status_code == 200
    assert (
        client.put(
            f"/api/v1/register/{key}/ethics", json={"entries": []}, headers=reader
        ).status_code
        == 403
    )
    for path in ("draft", "ethics"):
        assert client.get(f"/api/v1/register/{key}/{path}", headers=stranger).status_code == 404
    assert client.post(f"/api/v1/register/{key}/publish", headers=stranger).status_code == 404
    assert client.get(f"/api/v1/register/{key}").status_code == 404  # not published
    assert client.get(f"/api/v1/register/{key}/draft").status_code == 401


def test_similar_before_registering_and_the_self_assessment(
    client: TestClient, engine: Engine
) -> None:
    writer = bearer(engine, "lead", "register:read", "register:write")

    similar = client.post(
        "/api/v1/register/similar",
        json={"title": "Chatbot", "description": "A chatbot answers questions from the public."},
        headers=writer,
    )
    assert similar.status_code == 200
    assert any("chat" in s["title"].lower() for s in similar.json())

    key = client.post("/api/v1/register", json=PROJECT, headers=writer).json()["key"]
    entry = {"principle": "fairness", "activity": "diverse-expertise", "score": 2, "notes": "OK"}
    saved = client.put(f"/api/v1/register/{key}/ethics", json={"entries": [entry]}, headers=writer)
    assert saved.status_code == 200
    state = saved.json()["state"]
    assert (state["status"], state["answered"], state["total"]) == ("in progress", 1, 15)
    assert saved.json()["entries"] == [entry]
    off_scale = client.put(
        f"/api/v1/register/{key}/ethics", json={"entries": [entry | {"score": 5}]}, headers=writer
    )
    assert off_scale.status_code == 422
    assert off_scale.json()["invalid-params"][0]["name"] == "fairness.diverse-expertise.score"
    draft = client.get(f"/api/v1/register/{key}/draft", headers=writer).json()
    assert draft["ethics"]["answered"] == 1
