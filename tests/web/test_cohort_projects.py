"""Register projects offered to a cohort, in the pages and the API: the cohort's programme admin
offers and withdraws; participants see what is on offer; a draft cannot be offered."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.support.programmes import ProgrammeSetup, add_programme
from tests.support.register_projects import add_project
from tests.web.journeys import API, accessible, api_signed_in, post_form, signed_in


@pytest.fixture
def setup(engine: Engine) -> ProgrammeSetup:
    found = add_programme(engine)
    add_project(engine, "b-chatbot", found.workforce.org_b, "Benefits chatbot", "Answers.")
    add_project(engine, "a-draft", found.workforce.org_a, "Draft", "A draft.", status="draft")
    return found


@pytest.mark.usefixtures("setup")
def test_an_admin_offers_a_project_that_participants_then_see(client: TestClient) -> None:
    signed_in(client, "admin", "programme_admin")
    cohort = accessible(client, "/cohorts/aia-1")
    assert "No projects on offer yet." in cohort
    offered = post_form(
        client, "/cohorts/aia-1/projects", "/cohorts/aia-1", {"project": "/register/b-chatbot"}
    )
    assert offered.status_code == 303
    cohort = accessible(client, "/cohorts/aia-1")
    assert 'href="/register/b-chatbot"' in cohort
    assert "/cohorts/aia-1/projects/b-chatbot/withdraw" in cohort
    project = accessible(client, "/register/b-chatbot/cohorts")
    assert 'href="/cohorts/aia-1#projects"' in project

    signed_in(client, "analyst")  # a would-be participant
    cohort = accessible(client, "/cohorts/aia-1")
    assert 'href="/register/b-chatbot"' in cohort
    assert "withdraw" not in cohort
    refused = post_form(client, "/cohorts/aia-1/projects/b-chatbot/withdraw", "/cohorts/aia-1", {})
    assert refused.status_code == 403

    signed_in(client, "admin", "programme_admin")
    withdrawn = post_form(
        client, "/cohorts/aia-1/projects/b-chatbot/withdraw", "/cohorts/aia-1", {}
    )
    assert withdrawn.status_code == 303
    assert 'href="/register/b-chatbot"' not in client.get("/cohorts/aia-1").text


@pytest.mark.usefixtures("setup")
def test_offering_from_the_project_page_and_a_draft_refused(client: TestClient) -> None:
    signed_in(client, "admin", "programme_admin")
    page = accessible(client, "/register/b-chatbot/cohorts")
    assert '<option value="aia-1">' in page
    offered = post_form(
        client, "/register/b-chatbot/cohorts", "/register/b-chatbot/cohorts", {"cohort": "aia-1"}
    )
    assert offered.status_code == 303
    assert "No cohort yet." not in client.get("/register/b-chatbot/cohorts").text
    refused = post_form(client, "/cohorts/aia-1/projects", "/cohorts/aia-1", {"project": "a-draft"})
    assert refused.status_code == 422
    assert "must be published" in refused.text
    assert client.get("/register/a-draft/cohorts").status_code == 404


@pytest.mark.usefixtures("setup")
def test_the_api_offers_lists_and_withdraws(client: TestClient) -> None:
    headers = api_signed_in(client, "admin", "programme_admin")
    assert client.put(f"{API}/cohorts/aia-1/projects/b-chatbot", headers=headers).status_code == 204
    assert [p["key"] for p in client.get(f"{API}/cohorts/aia-1/projects").json()] == ["b-chatbot"]
    assert [c["key"] for c in client.get(f"{API}/register/b-chatbot/cohorts").json()] == ["aia-1"]
    draft = client.put(f"{API}/cohorts/aia-1/projects/a-draft", headers=headers)
    assert draft.status_code == 422
    assert client.put(f"{API}/cohorts/aia-1/projects/nothing", headers=headers).status_code == 404
    headers = api_signed_in(client, "stranger", "programme_admin")
    assert (
        client.delete(f"{API}/cohorts/aia-1/projects/b-chatbot", headers=headers).status_code == 403
    )
    headers = api_signed_in(client, "admin", "programme_admin")
    assert (
        client.delete(f"{API}/cohorts/aia-1/projects/b-chatbot", headers=headers).status_code == 204
    )
    assert client.get(f"{API}/cohorts/aia-1/projects").json() == []


@pytest.mark.usefixtures("setup")
def test_the_record_page_shows_the_cohorts_and_the_way_to_offer(client: TestClient) -> None:
    assert "Cohorts and people" not in accessible(client, "/register/b-chatbot")  # not signed in
    signed_in(client, "admin", "programme_admin")
    record = accessible(client, "/register/b-chatbot")
    assert 'href="/register/b-chatbot/cohorts">Offer it to a cohort' in record
    post_form(
        client, "/register/b-chatbot/cohorts", "/register/b-chatbot/cohorts", {"cohort": "aia-1"}
    )
    signed_in(client, "analyst")  # a would-be participant: sees the cohort, may not offer
    record = accessible(client, "/register/b-chatbot")
    assert 'href="/cohorts/aia-1#projects"' in record
    assert "Offer it to a cohort" not in record
