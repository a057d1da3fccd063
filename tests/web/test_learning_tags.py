"""A learning item's skill tags on its page and in the API: anyone reads them (score, span,
framework skills); service admins confirm or reject them, without JavaScript; others cannot."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.web.app import create_app
from tests.support.learning_tags import COURSE_KEY, PYTHON, add_tagged_course
from tests.support.workforce import add_workforce
from tests.web.page_checks import assert_accessible_page
from tests.web.signing_in import csrf_from, sign_in

TAGS = f"/api/v1/learning-items/{COURSE_KEY}/skill-tags"


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    add_workforce(engine)
    add_tagged_course(engine)
    with TestClient(create_app(engine=engine)) as test_client:
        yield test_client


def test_anyone_reads_the_tags_and_only_service_admins_see_the_review(client: TestClient) -> None:
    page = client.get(f"/learning/{COURSE_KEY}")
    assert page.status_code == 200
    assert_accessible_page(page.text)
    assert 'id="skill-tags"' in page.text
    assert "Python (computer programming)" in page.text
    assert "/skill-tags" not in page.text  # no review form

    tags = client.get(TAGS).json()
    python = next(t for t in tags if t["esco"] == PYTHON)
    assert python["status"] == "inferred"
    assert 0 <= python["score"] <= 1
    assert "Python" in python["span"]
    assert python["skills"]
    assert client.get("/api/v1/learning-items/nope/skill-tags").status_code == 404

    sign_in(client, "analyst")
    assert "/skill-tags" not in client.get(f"/learning/{COURSE_KEY}").text
    token = csrf_from(client, f"/learning/{COURSE_KEY}")
    refused = client.post(
        f"/learning/{COURSE_KEY}/skill-tags",
        data={"esco": PYTHON, "decision": "confirm", "csrf_token": token},
    )
    assert refused.status_code == 403
    refused_api = client.post(
        TAGS, json={"esco": PYTHON, "decision": "confirm"}, headers={"X-CSRF-Token": token}
    )
    assert refused_api.status_code == 403


def test_a_service_admin_confirms_on_the_page_and_rejects_through_the_api(
    client: TestClient,
) -> None:
    sign_in(client, "boss", ("service_admin",))
    page = client.get(f"/learning/{COURSE_KEY}")
    assert_accessible_page(page.text)
    assert f'action="/learning/{COURSE_KEY}/skill-tags"' in page.text
    token = csrf_from(client, f"/learning/{COURSE_KEY}")
    confirmed = client.post(
        f"/learning/{COURSE_KEY}/skill-tags",
        data={"esco": PYTHON, "decision": "confirm", "level": "3", "csrf_token": token},
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    item = client.get(f"/api/v1/learning-items/{COURSE_KEY}").json()
    python = next(t for t in client.get(TAGS).json() if t["esco"] == PYTHON)
    assert {t["skill"] for t in item["teaches"]} == set(python["skills"])
    assert {t["level"] for t in item["teaches"]} == {3}
    assert "Confirmed" in client.get(f"/learning/{COURSE_KEY}").text

    headers = {"X-CSRF-Token": token}
    rejected = client.post(TAGS, json={"esco": PYTHON, "decision": "reject"}, headers=headers)
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    assert client.get(f"/api/v1/learning-items/{COURSE_KEY}").json()["teaches"] == []

    unknown = client.post(TAGS, json={"esco": "esco:none", "decision": "reject"}, headers=headers)
    assert unknown.status_code == 404
    bad = client.post(TAGS, json={"esco": PYTHON, "decision": "maybe"}, headers=headers)
    assert bad.status_code == 422
    missing = client.post(
        "/learning/nope/skill-tags",
        data={"esco": PYTHON, "decision": "reject", "csrf_token": token},
    )
    assert missing.status_code == 404
