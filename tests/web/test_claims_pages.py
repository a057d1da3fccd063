"""Assess your own skill, answer a suggestion and validate your team's claims, in the browser."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from mobilise.store.database import reading, transaction
from mobilise.store.models import SkillClaim, SkillRecord
from mobilise.web.app import create_app
from tests.support.workforce import Workforce, add_workforce
from tests.web.signing_in import csrf_from, sign_in


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


@pytest.fixture
def client(engine: Engine, workforce: Workforce) -> Iterator[TestClient]:
    with TestClient(create_app(engine=engine)) as test_client:
        yield test_client


def _skill(engine: Engine) -> tuple[int, str, str]:
    with reading(engine) as session:
        record = session.scalars(select(SkillRecord).order_by(SkillRecord.id.desc())).first()
        assert record is not None
        return record.id, record.key, record.name


def test_assessing_a_skill(client: TestClient, engine: Engine) -> None:
    sign_in(client, "analyst")
    _, key, name = _skill(engine)
    token = csrf_from(client, "/me/assess")

    missing = client.post("/me/assess", data={"csrf_token": token})
    bad_link = client.post(
        "/me/assess",
        data={"skill": key, "level": "2", "link": "ftp://x", "csrf_token": token},
    )
    done = client.post(
        "/me/assess",
        data={
            "skill": key,
            "level": "3",
            "evidence": "Ran the <b>service</b>",
            "link": "https://example.gov.uk/case-study",
            "csrf_token": token,
        },
        follow_redirects=False,
    )

    assert missing.status_code == 422
    assert 'href="#skill"' in missing.text
    assert 'href="#level"' in missing.text
    assert bad_link.status_code == 422
    assert 'href="#link"' in bad_link.text
    assert done.status_code == 303
    profile = client.get("/people/analyst").text
    assert name in profile
    assert "Ran the &lt;b&gt;service&lt;/b&gt;" in profile
    assert 'href="https://example.gov.uk/case-study"' in profile


def test_answering_a_suggestion(client: TestClient, engine: Engine, workforce: Workforce) -> None:
    skill_id, _, _name = _skill(engine)
    with transaction(engine) as session:
        suggestion = SkillClaim(
            person_id=workforce.people["analyst"],
            skill_id=skill_id,
            level=2,
            source="inferred",
            status="suggested",
            evidence="From your CV",
            claimed_on=date(2025, 3, 1),
        )
        session.add(suggestion)
        session.flush()
        claim_id = suggestion.id
    sign_in(client, "analyst")
    page = client.get("/people/analyst").text
    assert "Skills suggested for you" in page
    token = csrf_from(client, "/people/analyst")

    response = client.post(
        f"/me/suggestions/{claim_id}",
        data={"answer": "reject", "csrf_token": token},
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert "Skills suggested for you" not in client.get("/people/analyst").text
    sign_in(client, "lead")
    token = csrf_from(client, "/people/lead")
    stolen = client.post(
        f"/me/suggestions/{claim_id}", data={"answer": "confirm", "csrf_token": token}
    )
    assert stolen.status_code == 404


def test_validating_through_the_queue(client: TestClient) -> None:
    sign_in(client, "lead")
    page = client.get("/validation").text
    assert "1 claim to validate" in page
    assert "evidence of analyst" in page
    token = csrf_from(client, "/validation")
    claim_id = page.split('action="/validation/')[1].split('"')[0]

    no_reason = client.post(
        f"/validation/{claim_id}", data={"decision": "reject", "csrf_token": token}
    )
    approved = client.post(
        f"/validation/{claim_id}",
        data={"decision": "approve", "csrf_token": token},
        follow_redirects=False,
    )

    assert no_reason.status_code == 422
    assert "a rejection needs a reason" in no_reason.text
    assert approved.status_code == 303
    assert "0 claims to validate" in client.get("/validation").text
    sign_in(client, "analyst")
    assert client.get("/validation").status_code == 403


def test_the_api_does_what_the_pages_do(client: TestClient, engine: Engine) -> None:
    _, key, _ = _skill(engine)
    sign_in(client, "analyst")
    token = {"X-CSRF-Token": csrf_from(client, "/me/assess")}

    made = client.post("/api/v1/me/claims", json={"skill": key, "level": 2}, headers=token)
    bad = client.post("/api/v1/me/claims", json={"skill": "nope", "level": 2}, headers=token)

    assert made.status_code == 201
    assert bad.status_code == 422
    assert bad.json()["invalid-params"][0]["name"] == "skill"
    sign_in(client, "lead")
    token = {"X-CSRF-Token": csrf_from(client, "/validation")}
    queue = client.get("/api/v1/validation-queue").json()
    assert queue["total"] == 2
    claim = queue["items"][0]["claim"]
    decided = client.post(
        f"/api/v1/validation-queue/{claim}",
        json={"decision": "adjust", "level": 3},
        headers=token,
    )
    assert decided.status_code == 204
    assert client.get("/api/v1/validation-queue").json()["total"] == 1


def test_the_career_page_shows_nearest_gap_and_path(client: TestClient, engine: Engine) -> None:
    sign_in(client, "analyst")

    page = client.get("/people/analyst/career")
    target = page.text.split("/people/analyst/career?target=")[1].split('"')[0]
    chosen = client.get("/people/analyst/career", params={"target": target})
    bad = client.get("/people/analyst/career", params={"target": "nope"})

    assert page.status_code == 200
    assert "Nearest role levels" in page.text
    assert chosen.status_code == 200
    assert "Gap to" in chosen.text
    assert bad.status_code == 422
    assert 'href="#target"' in bad.text
    assert client.get("/people/stranger/career").status_code == 404


def test_the_career_api(client: TestClient) -> None:
    sign_in(client, "analyst")

    nearest = client.get("/api/v1/people/analyst/nearest", params={"limit": 3}).json()
    target = nearest[0]["role_level"]["key"]
    gap = client.get("/api/v1/people/analyst/gap", params={"target": target}).json()
    career = client.get("/api/v1/people/analyst/career", params={"target": target})

    assert len(nearest) == 3
    assert gap["total"] == nearest[0]["total"]
    assert career.status_code == 422  # the analyst has no current role level to start from
    assert client.get("/api/v1/people/stranger/nearest").status_code == 404


def test_the_team_heatmap_and_its_csv(client: TestClient) -> None:
    sign_in(client, "boss")

    direct = client.get("/team").text
    line = client.get("/team", params={"line": "true"}).text
    exported = client.get("/team.csv", params={"line": "true"})

    assert "Lead" in direct
    assert "Analyst" not in direct
    assert "Analyst" in line
    rows = exported.text.strip().split("\r\n")
    assert rows[0].startswith("person,name,role_level,gap_to_role_level,")
    assert sorted(r.split(",")[0] for r in rows[1:]) == ["analyst", "boss", "lead"]
    assert "working" in exported.text
    sign_in(client, "analyst")
    assert client.get("/team").status_code == 403


def test_the_pathway_page_and_api(client: TestClient, engine: Engine) -> None:
    from mobilise.services.learning import ensure_demo_catalogue

    ensure_demo_catalogue(engine, seed=3, items=300)
    sign_in(client, "analyst")
    nearest = client.get("/api/v1/people/analyst/nearest", params={"limit": 30}).json()
    target = nearest[-1]["role_level"]["key"]

    page = client.get("/people/analyst/pathway", params={"target": target})
    cheapest = client.get("/people/analyst/pathway", params={"target": target, "objective": "cost"})
    api = client.get(
        "/api/v1/people/analyst/pathway",
        params={"target": target, "objective": "mix", "alpha": 0.5},
    )

    assert page.status_code == 200
    assert "Learning pathway" in page.text
    assert "Show the cheapest instead" in page.text
    assert cheapest.status_code == 200
    assert api.status_code == 200
    assert api.json()["objective"] == "mix"
    assert api.json()["optimal"] is True
    assert client.get("/api/v1/people/analyst/pathway", params={"target": "x"}).status_code == 422


def test_the_team_api(client: TestClient) -> None:
    sign_in(client, "boss")

    team = client.get("/api/v1/team", params={"line": "true"}).json()

    assert sorted(m["person"] for m in team["members"]) == ["analyst", "boss", "lead"]
    assert all(set(m["levels"]) <= set(team["skills"]) for m in team["members"])
    sign_in(client, "analyst")
    assert client.get("/api/v1/team").status_code == 403
