"""The programme pages: the journey through forms, each page accessible in structure, and each
reader seeing only what they may."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.support.programmes import add_programme
from tests.web.page_checks import assert_accessible_page
from tests.web.signing_in import csrf_from, sign_in


@pytest.fixture
def ready(engine: Engine) -> None:
    add_programme(engine)


def _as(client: TestClient, person: str, *roles: str) -> None:
    client.cookies.clear()
    sign_in(client, person, roles)


def _page(client: TestClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert_accessible_page(response.text)
    return response.text


def _post(client: TestClient, path: str, form_page: str, data: dict[str, object]) -> Any:
    token = csrf_from(client, form_page)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


@pytest.mark.usefixtures("ready")
def test_apply_release_score_select_and_accept_in_the_pages(client: TestClient) -> None:
    _as(client, "analyst")
    assert "AI Accelerator cohort 1" in _page(client, "/programmes")
    cohort = _page(client, "/cohorts/aia-1")
    assert "Current role in data, at working level or above" in cohort
    assert "Apply to AI Accelerator cohort 1" in cohort
    form = _page(client, "/cohorts/aia-1/apply")
    assert 'name="consent"' in form
    refused = _post(client, "/cohorts/aia-1/apply", "/cohorts/aia-1/apply", {"share": ["skills"]})
    assert refused.status_code == 422
    assert_accessible_page(refused.text)
    assert "Enter a statement" in refused.text
    assert "Confirm that you consent" in refused.text
    sent = _post(
        client,
        "/cohorts/aia-1/apply",
        "/cohorts/aia-1/apply",
        {"statement": "I build models.", "share": ["skills"], "consent": "yes"},
    )
    assert sent.status_code == 303
    path = sent.headers["location"]
    key = path.rsplit("/", 1)[1]
    mine = _page(client, path)
    assert "Awaiting release" in mine
    assert "Stop sharing my profile" in mine
    assert "with your line manager" in _page(client, "/me/messages")

    _as(client, "stranger")
    _page(client, path, 404)

    _as(client, "lead")
    assert key in _page(client, "/applications")
    assert "Endorse and release" in _page(client, path)
    released = _post(client, f"{path}/transitions", path, {"action": "release"})
    assert released.status_code == 303

    _as(client, "admin", "programme_admin")
    _post(client, "/cohorts/aia-1/transitions", "/cohorts/aia-1", {"action": "close"})
    _as(client, "judge")
    judged = _page(client, path)
    assert "Your scores" in judged
    assert "Skills" in judged
    scored = _post(
        client, f"{path}/scores", path, {"points-motivation": "4", "points-experience": "5"}
    )
    assert scored.status_code == 303
    assert "93.3" in _page(client, "/cohorts/aia-1")

    _as(client, "admin", "programme_admin")
    assert "Run the selection" in _page(client, "/cohorts/aia-1")
    _post(client, "/cohorts/aia-1/transitions", "/cohorts/aia-1", {"action": "select"})
    assert re.search(r"Selection run</dt><dd[^>]*><code>sel-", _page(client, "/cohorts/aia-1"))

    _as(client, "analyst")
    assert "Accept the place" in _page(client, path)
    _post(client, f"{path}/transitions", path, {"action": "accept"})
    assert "Accepted" in _page(client, path)


@pytest.mark.usefixtures("ready")
def test_a_refused_transition_says_why_and_changes_nothing(client: TestClient) -> None:
    _as(client, "analyst")
    sent = _post(client, "/cohorts/aia-1/apply", "/cohorts/aia-1/apply", {"statement": "Me."})
    path = sent.headers["location"]
    _as(client, "lead")
    refused = _post(client, f"{path}/transitions", path, {"action": "refuse_release"})
    assert refused.status_code == 422
    assert "reason" in refused.text
    assert "Awaiting release" in _page(client, path)


@pytest.mark.usefixtures("ready")
def test_an_ineligible_person_is_told_why_and_has_no_apply_button(client: TestClient) -> None:
    _as(client, "outsider")
    page = _page(client, "/cohorts/aia-1")
    assert "You cannot apply to this cohort: your role level is below working level" in page
    assert "/cohorts/aia-1/apply" not in page
