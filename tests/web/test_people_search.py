"""People who could work on an AI project, in the pages and the API: a person's opt-in from
their profile, the owners' ranked list, and that without the opt-in no one is listed or reached."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from mobilise.store.database import reading
from mobilise.store.models import SkillRecord
from tests.support.register_projects import add_project
from tests.support.workforce import Workforce, add_workforce
from tests.web.journeys import API, accessible, api_signed_in, post_form, signed_in


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    """Agency B's `stranger` and A's `outsider` hold the first skill at working (2); A's project
    needs it at working."""
    found = add_workforce(engine)
    with reading(engine) as session:
        skill = session.scalars(select(SkillRecord.id).order_by(SkillRecord.id).limit(1)).one()
    add_project(
        engine, "a-project", found.org_a, "Parking chatbot", "A chatbot.", skills={skill: 2}
    )
    return found


def opt(client: TestClient, choice: str) -> None:
    response = post_form(client, "/me/ai-projects", "/me/ai-projects", {"opted_in": choice})
    assert response.status_code == 303
    assert response.headers["location"] == "/me/ai-projects?saved=true"


@pytest.mark.usefixtures("workforce")
def test_a_person_opts_in_from_their_profile_and_the_owner_finds_them(
    client: TestClient,
) -> None:
    signed_in(client, "stranger")
    assert 'href="/me/ai-projects"' in client.get("/people/stranger").text
    page = accessible(client, "/me/ai-projects")
    assert 'value="no" checked' in page
    opt(client, "yes")
    saved = accessible(client, "/me/ai-projects?saved=true")
    assert "You can now be found for AI projects." in saved
    assert 'value="yes" checked' in saved

    signed_in(client, "lead")  # of department A, which owns the project
    record = client.get("/register/a-project").text
    assert 'href="/register/a-project/people">People who could work on it' in record
    listed = accessible(client, "/register/a-project/people")
    assert 'href="/register/a-project/people/stranger"' in listed
    assert "Agency B" in listed
    assert "/people/outsider" not in listed
    assert "Outsider" not in listed
    person = accessible(client, "/register/a-project/people/stranger")
    assert 'href="mailto:stranger@example.gov.uk"' in person
    # Not opted in, of the owner's organisation or not: not reachable either.
    assert client.get("/register/a-project/people/outsider").status_code == 404
    assert client.get("/register/a-project/people/b-admin").status_code == 404


@pytest.mark.usefixtures("workforce")
def test_withdrawing_hides_a_person_at_once(client: TestClient) -> None:
    signed_in(client, "stranger")
    opt(client, "yes")
    opt(client, "no")
    assert "AI projects can no longer find you." in client.get("/me/ai-projects?saved=true").text
    signed_in(client, "lead")
    assert "stranger" not in client.get("/register/a-project/people").text
    assert client.get("/register/a-project/people/stranger").status_code == 404


@pytest.mark.usefixtures("workforce")
def test_others_may_not_look_and_bad_answers_are_refused(client: TestClient) -> None:
    signed_in(client, "b-admin")  # another organisation, no programme admin role
    assert "People who could work on it" not in client.get("/register/a-project").text
    assert client.get("/register/a-project/people").status_code == 403
    assert client.get("/register/no-such-project/people").status_code == 404
    response = post_form(client, "/me/ai-projects", "/me/ai-projects", {"opted_in": "maybe"})
    assert response.status_code == 422
    signed_in(client, "b-admin", "programme_admin")
    assert client.get("/register/a-project/people").status_code == 200


@pytest.mark.usefixtures("workforce")
def test_the_api_opt_in_and_search(client: TestClient) -> None:
    headers = api_signed_in(client, "stranger")
    assert client.get(f"{API}/me/ai-projects").json()["opted_in"] is False
    given = client.put(f"{API}/me/ai-projects", json={"opted_in": True}, headers=headers)
    assert given.status_code == 200
    assert given.json()["since"] is not None

    api_signed_in(client, "lead")
    page = client.get(f"{API}/register/a-project/people?limit=1").json()
    assert [p["person"]["key"] for p in page["items"]] == ["stranger"]
    assert page["items"][0]["fit"] == 1.0
    assert page["items"][0]["skills"][0]["met"] is True
    assert set(page["items"][0]) == {"person", "fit", "skills"}
    assert set(page["items"][0]["person"]) == {
        "key",
        "display_name",
        "organisation_name",
        "role",
        "grade",
        "email",
    }
    assert client.get(f"{API}/register/a-project/people/stranger").status_code == 200
    assert client.get(f"{API}/register/a-project/people/outsider").status_code == 404

    headers = api_signed_in(client, "stranger")
    client.put(f"{API}/me/ai-projects", json={"opted_in": False}, headers=headers)
    api_signed_in(client, "lead")
    assert client.get(f"{API}/register/a-project/people").json()["items"] == []
    assert client.get(f"{API}/register/a-project/people/stranger").status_code == 404
