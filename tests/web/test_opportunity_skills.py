"""Required skills suggested from an opportunity's words, in the pages (without JavaScript) and the
API: suggested on request while writing it, confirmed with a level the owner chooses; stored ones
answered on its page; nobody but its owners sees them."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.actors import command_line_actor
from mobilise.services.opportunities import get_opportunity
from mobilise.services.opportunity_skills import tag_opportunities
from mobilise.services.skill_crosswalk import import_reviews, shipped_reviews_file
from tests.support.marketplace import ROUND, add_marketplace
from tests.support.thresholds import low_threshold
from tests.web.journeys import accessible, api_signed_in, post_form, signed_in
from tests.web.page_checks import assert_accessible_page

__all__ = ["low_threshold"]  # a fixture

SUMMARY = "Write Python (computer programming) to clean survey data; create data models."
FORM = {
    "key": "survey-role",
    "title": "Survey data engineer",
    "kind": "project_role",
    "organisation": "agency-b",
    "round": ROUND,
    "starts_on": "2027-01-04",
    "ends_on": "2027-06-30",
    "capacity": "1",
    "summary": SUMMARY,
    "skills": "accessibility, working",
}
PYTHON_SKILL = "programming-and-build-software-engineering"


@pytest.fixture
def ready(engine: Engine, low_threshold: float) -> None:
    add_marketplace(engine)
    import_reviews(engine, None, shipped_reviews_file())


@pytest.mark.usefixtures("ready")
def test_suggest_while_writing_then_post_with_the_chosen_level(
    client: TestClient, engine: Engine
) -> None:
    signed_in(client, "b-admin", "programme_admin")
    suggested = post_form(
        client, "/opportunities/new", "/opportunities/new", {**FORM, "action": "suggest"}
    )
    assert suggested.status_code == 200
    assert_accessible_page(suggested.text)
    assert f'name="suggested-{PYTHON_SKILL}"' in suggested.text
    assert "Python (computer programming)" in suggested.text
    assert SUMMARY in suggested.text  # the form keeps what was typed

    empty = post_form(
        client,
        "/opportunities/new",
        "/opportunities/new",
        {**FORM, "summary": "", "action": "suggest"},
    )
    assert empty.status_code == 422
    assert 'href="#summary"' in empty.text

    posted = post_form(
        client,
        "/opportunities/new",
        "/opportunities/new",
        {**FORM, f"suggested-{PYTHON_SKILL}": "practitioner", "suggested-data-modelling": ""},
    )
    assert (posted.status_code, posted.headers["location"]) == (303, "/opportunities/survey-role")
    view = get_opportunity(engine, command_line_actor(), "survey-role")
    assert {(r.skill_key, r.required.label) for r in view.requirements} == {
        ("accessibility", "working"),
        (PYTHON_SKILL, "practitioner"),
    }


@pytest.mark.usefixtures("ready")
def test_stored_suggestions_are_answered_on_the_page_and_in_the_api(
    client: TestClient, engine: Engine
) -> None:
    signed_in(client, "b-admin", "programme_admin")
    post_form(client, "/opportunities/new", "/opportunities/new", FORM)
    tag_opportunities(engine)
    page = accessible(client, "/opportunities/survey-role")
    assert 'action="/opportunities/survey-role/skill-suggestions"' in page
    answered = post_form(
        client,
        "/opportunities/survey-role/skill-suggestions",
        "/opportunities/survey-role",
        {f"suggested-{PYTHON_SKILL}": "working", "suggested-data-modelling": "dismiss"},
    )
    assert answered.status_code == 303
    view = get_opportunity(engine, command_line_actor(), "survey-role")
    assert (PYTHON_SKILL, "working") in {(r.skill_key, r.required.label) for r in view.requirements}

    headers = api_signed_in(client, "b-admin", "programme_admin")
    left = client.get("/api/v1/opportunities/survey-role/skill-suggestions").json()
    assert PYTHON_SKILL not in [s["skill"] for s in left]
    assert "data-modelling" not in [s["skill"] for s in left]
    assert left
    answer = client.post(
        "/api/v1/opportunities/survey-role/skill-suggestions",
        json={"dismiss": [left[0]["skill"]]},
        headers=headers,
    )
    assert answer.status_code == 204
    bad = client.post(
        "/api/v1/opportunities/survey-role/skill-suggestions",
        json={"confirm": {"accessibility": "working"}},
        headers=headers,
    )
    assert bad.status_code == 422

    signed_in(client, "analyst")
    assert "skill-suggestions" not in client.get("/opportunities/survey-role").text
    assert client.get("/api/v1/opportunities/survey-role/skill-suggestions").status_code == 403
    assert client.get("/api/v1/opportunities/nope/skill-suggestions").status_code == 404
