"""The programme pages: the journey through forms, each page accessible in structure, and each
reader seeing only what they may."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.support.programmes import add_programme
from tests.web.journeys import accessible, post_form, signed_in
from tests.web.page_checks import assert_accessible_page


@pytest.fixture
def ready(engine: Engine) -> None:
    add_programme(engine)


@pytest.mark.usefixtures("ready")
def test_apply_release_score_select_and_accept_in_the_pages(client: TestClient) -> None:
    signed_in(client, "analyst")
    assert "AI Accelerator cohort 1" in accessible(client, "/programmes")
    cohort = accessible(client, "/cohorts/aia-1")
    assert "Current role in data, at working level or above" in cohort
    assert "Apply to AI Accelerator cohort 1" in cohort
    form = accessible(client, "/cohorts/aia-1/apply")
    assert 'name="consent"' in form
    refused = post_form(
        client, "/cohorts/aia-1/apply", "/cohorts/aia-1/apply", {"share": ["skills"]}
    )
    assert refused.status_code == 422
    assert_accessible_page(refused.text)
    assert "Enter a statement" in refused.text
    assert "Confirm that you consent" in refused.text
    sent = post_form(
        client,
        "/cohorts/aia-1/apply",
        "/cohorts/aia-1/apply",
        {"statement": "I build models.", "share": ["skills"], "consent": "yes"},
    )
    assert sent.status_code == 303
    path = sent.headers["location"]
    key = path.rsplit("/", 1)[1]
    mine = accessible(client, path)
    assert "Awaiting release" in mine
    assert "Stop sharing my profile" in mine
    assert "with your line manager" in accessible(client, "/me/messages")

    signed_in(client, "stranger")
    accessible(client, path, 404)

    signed_in(client, "lead")
    assert key in accessible(client, "/applications")
    assert "Endorse and release" in accessible(client, path)
    released = post_form(client, f"{path}/transitions", path, {"action": "release"})
    assert released.status_code == 303

    signed_in(client, "admin", "programme_admin")
    post_form(client, "/cohorts/aia-1/transitions", "/cohorts/aia-1", {"action": "close"})
    signed_in(client, "judge")
    judged = accessible(client, path)
    assert "Your scores" in judged
    assert "Skills" in judged
    scored = post_form(
        client, f"{path}/scores", path, {"points-motivation": "4", "points-experience": "5"}
    )
    assert scored.status_code == 303
    assert "93.3" in accessible(client, "/cohorts/aia-1")

    signed_in(client, "admin", "programme_admin")
    assert "Run the selection" in accessible(client, "/cohorts/aia-1")
    post_form(client, "/cohorts/aia-1/transitions", "/cohorts/aia-1", {"action": "select"})
    assert re.search(r"Selection run</dt><dd[^>]*><code>sel-", accessible(client, "/cohorts/aia-1"))

    signed_in(client, "analyst")
    assert "Accept the place" in accessible(client, path)
    post_form(client, f"{path}/transitions", path, {"action": "accept"})
    assert "Accepted" in accessible(client, path)


@pytest.mark.usefixtures("ready")
def test_a_refused_transition_says_why_and_changes_nothing(client: TestClient) -> None:
    signed_in(client, "analyst")
    sent = post_form(client, "/cohorts/aia-1/apply", "/cohorts/aia-1/apply", {"statement": "Me."})
    path = sent.headers["location"]
    signed_in(client, "lead")
    refused = post_form(client, f"{path}/transitions", path, {"action": "refuse_release"})
    assert refused.status_code == 422
    assert "reason" in refused.text
    assert "Awaiting release" in accessible(client, path)


@pytest.mark.usefixtures("ready")
def test_an_ineligible_person_is_told_why_and_has_no_apply_button(client: TestClient) -> None:
    signed_in(client, "outsider")
    page = accessible(client, "/cohorts/aia-1")
    assert "You cannot apply to this cohort: your role level is below working level" in page
    assert "/cohorts/aia-1/apply" not in page
