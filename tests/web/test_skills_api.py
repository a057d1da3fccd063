"""The skills API: infer, your own suggestions, the crosswalk and change requests; bad bodies
answered with clear problems, and each route only for whom it is meant."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from mobilise.services.skill_crosswalk import import_reviews, shipped_reviews_file
from mobilise.store.database import reading
from mobilise.store.models import SkillClaim
from mobilise.web.app import create_app
from tests.support.skill_texts import ANOTHER_LANGUAGE, CV, HOSTILE
from tests.support.workforce import Workforce, add_workforce
from tests.web.signing_in import csrf_from, sign_in

PROBLEM = "application/problem+json"


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    people = add_workforce(engine)
    import_reviews(engine, None, shipped_reviews_file())
    return people


@pytest.fixture
def client(engine: Engine, workforce: Workforce) -> Iterator[TestClient]:
    with TestClient(create_app(engine=engine)) as test_client:
        yield test_client


def _signed_in(client: TestClient, person: str, roles: tuple[str, ...] = ()) -> dict[str, str]:
    sign_in(client, person, roles)
    return {"X-CSRF-Token": csrf_from(client, "/me/assess")}


def test_infer_answers_with_scores_and_spans_of_the_text(client: TestClient) -> None:
    headers = _signed_in(client, "analyst")
    esco = client.post("/api/v1/skills/infer", json={"text": CV, "top": 5}, headers=headers)
    ddat = client.post(
        "/api/v1/skills/infer", json={"text": CV, "taxonomy": "ddat"}, headers=headers
    )
    assert esco.status_code == 200, esco.text
    body = esco.json()
    assert body["taxonomy"] == "esco"
    assert 1 <= len(body["suggestions"]) <= 5
    for suggestion in body["suggestions"] + ddat.json()["suggestions"]:
        assert suggestion["span"] == CV[suggestion["start"] : suggestion["end"]]
        assert 0 <= suggestion["score"] <= 1
    assert any(s["key"] == "accessibility" for s in ddat.json()["suggestions"])


def test_strangers_are_told_to_sign_in(client: TestClient) -> None:
    response = client.post("/api/v1/skills/infer", json={"text": CV})
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    ("body", "status", "name"),
    [
        ({"text": ""}, 422, "text"),
        ({"text": "x", "taxonomy": "onet"}, 422, "taxonomy"),
        ({"text": "x", "top": 0}, 422, "top"),
        ({"text": "Python\x00"}, 422, "text"),
        ({"text": "Python " * 150_000}, 413, "text"),
    ],
)
def test_bad_bodies_are_clear_problems(
    client: TestClient, body: dict[str, object], status: int, name: str
) -> None:
    headers = _signed_in(client, "analyst")
    response = client.post("/api/v1/skills/infer", json=body, headers=headers)
    assert response.status_code == status, response.text
    problem = response.json()
    assert response.headers["content-type"] == PROBLEM
    assert problem["invalid-params"][0]["name"] == name


def test_a_body_far_over_the_limit_is_refused_unread(client: TestClient) -> None:
    headers = _signed_in(client, "analyst")
    huge = b'{"text": "' + b"x" * (7 * 1024 * 1024) + b'"}'
    response = client.post(
        "/api/v1/skills/infer",
        content=huge,
        headers={**headers, "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert "send at most 1 MB of text" in response.json()["detail"]


def test_non_utf8_bodies_are_refused(client: TestClient) -> None:
    headers = _signed_in(client, "analyst")
    response = client.post(
        "/api/v1/skills/infer",
        content='{"text": "Développeuse"}'.encode("latin-1"),
        headers={**headers, "content-type": "application/json"},
    )
    assert response.status_code in (400, 422)
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("text", [ANOTHER_LANGUAGE, HOSTILE])
def test_other_languages_and_hostile_text_are_answered(client: TestClient, text: str) -> None:
    headers = _signed_in(client, "analyst")
    response = client.post("/api/v1/skills/infer", json={"text": text}, headers=headers)
    assert response.status_code == 200
    preview = client.post(
        "/api/v1/me/skill-suggestions/preview", json={"text": text}, headers=headers
    )
    assert preview.status_code == 200


def test_your_suggestions_preview_then_record_then_answer(client: TestClient) -> None:
    headers = _signed_in(client, "analyst")
    preview = client.post(
        "/api/v1/me/skill-suggestions/preview", json={"text": CV}, headers=headers
    ).json()
    assert preview["via_crosswalk"] is True
    keys = [s["skill"] for s in preview["suggestions"]]
    assert "data-ethics-and-privacy" in keys

    recorded = client.post(
        "/api/v1/me/skill-suggestions",
        json={"text": CV, "confirm": {"data-ethics-and-privacy": 2}},
        headers=headers,
    )
    assert recorded.status_code == 201, recorded.text
    body = recorded.json()
    assert len(body["confirmed"]) == 1
    assert body["suggested"]
    answered = client.post(
        f"/api/v1/me/suggestions/{body['suggested'][0]}",
        json={"answer": "reject"},
        headers=headers,
    )
    assert answered.status_code == 204
    refused = client.post(
        "/api/v1/me/skill-suggestions",
        json={"text": CV, "confirm": {"planning": 2}},
        headers=headers,
    )
    assert refused.status_code == 422
    assert "not a skill this text suggests" in refused.json()["detail"]


def test_naming_someone_else_in_the_body_still_only_adds_to_your_own_profile(
    client: TestClient, engine: Engine, workforce: Workforce
) -> None:
    headers = _signed_in(client, "b-admin", ("organisation_admin",))
    response = client.post(
        "/api/v1/me/skill-suggestions", json={"text": CV, "person": "analyst"}, headers=headers
    )
    assert response.status_code == 201
    with reading(engine) as session:
        owners = set(
            session.scalars(select(SkillClaim.person_id).where(SkillClaim.source == "inferred"))
        )
    assert owners == {workforce.people["b-admin"]}


def test_crosswalk_is_read_by_the_signed_in_and_reviewed_by_owners(client: TestClient) -> None:
    headers = _signed_in(client, "analyst")
    page = client.get("/api/v1/skill-crosswalk", params={"skill": "accessibility"})
    assert page.status_code == 200
    items = page.json()["items"]
    assert {i["esco_label"] for i in items} >= {"ICT accessibility standards"}
    assert all(i["source"] == "reviewed" for i in items)
    refused = client.post(
        f"/api/v1/skill-crosswalk/{items[0]['id']}", json={"decision": "reject"}, headers=headers
    )
    assert refused.status_code == 403

    owner = _signed_in(client, "boss", ("service_admin",))
    done = client.post(
        f"/api/v1/skill-crosswalk/{items[0]['id']}", json={"decision": "reject"}, headers=owner
    )
    missing = client.post(
        "/api/v1/skill-crosswalk/999999", json={"decision": "reject"}, headers=owner
    )
    assert done.status_code == 204
    assert missing.status_code == 404
    after = client.get("/api/v1/skill-crosswalk", params={"skill": "accessibility"}).json()
    assert not next(i for i in after["items"] if i["id"] == items[0]["id"])["accepted"]


def test_change_requests_are_for_admins_and_decided_by_owners(client: TestClient) -> None:
    person = _signed_in(client, "analyst")
    client.post("/api/v1/me/skill-suggestions", json={"text": CV}, headers=person)
    assert client.get("/api/v1/skill-change-requests").status_code == 403

    _signed_in(client, "b-admin", ("organisation_admin",))
    listed = client.get("/api/v1/skill-change-requests")
    assert listed.status_code == 200
    requests = listed.json()["items"]
    assert requests
    assert all(r["example"] == "" for r in requests)  # a CV leaves no example behind
    owner = _signed_in(client, "boss", ("service_admin",))
    decided = client.post(
        f"/api/v1/skill-change-requests/{requests[0]['id']}",
        json={"decision": "accept", "note": "add in the next version"},
        headers=owner,
    )
    assert decided.status_code == 204
    accepted = client.get("/api/v1/skill-change-requests", params={"status": "accepted"})
    assert accepted.json()["items"][0]["note"] == "add in the next version"
