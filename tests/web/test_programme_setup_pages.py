"""Setting up a programme and opening a cohort in the pages: programme admins of their own
organisation only, every refused form back with an error summary and nothing stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.actors import command_line_actor
from mobilise.services.programme_views import get_cohort, get_programme, list_programmes
from tests.support.programmes import add_programme
from tests.web.journeys import post_form, signed_in
from tests.web.page_checks import assert_accessible_page


@pytest.fixture
def ready(engine: Engine) -> None:
    add_programme(engine)


def _submit(client: TestClient, path: str, data: dict[str, str]) -> tuple[int, str, str]:
    response = post_form(client, path, path, data)
    return response.status_code, response.headers.get("location", ""), response.text


@pytest.mark.usefixtures("ready")
def test_a_programme_admin_sets_up_a_programme_and_opens_a_cohort(
    client: TestClient, engine: Engine
) -> None:
    signed_in(client, "admin", "programme_admin")
    listing = client.get("/programmes").text
    assert 'href="/programmes/new"' in listing
    form = client.get("/programmes/new")
    assert form.status_code == 200
    assert_accessible_page(form.text)
    assert "Department A" in form.text
    assert "Agency B" not in form.text

    status, _, page = _submit(
        client,
        "/programmes/new",
        {
            "key": "bad key",
            "name": "",
            "kind": "accelerator",
            "organisation": "dept-a",
            "min_attendance": "180",
            "target_people": "many",
        },
    )
    assert status == 422
    assert_accessible_page(page)
    assert "There is a problem" in page
    for field in ("#key", "#name", "#min_attendance", "#target_people"):
        assert f'href="{field}"' in page
    assert len(list_programmes(engine, command_line_actor())) == 1

    status, location, _ = _submit(
        client,
        "/programmes/new",
        {
            "key": "data-academy",
            "name": "Data academy",
            "kind": "academy",
            "organisation": "dept-a",
            "summary": "A year of data engineering.",
            "min_attendance": "75",
            "target_people": "500",
            "target_year": "2030",
        },
    )
    assert (status, location) == (303, "/programmes/data-academy")
    programme = get_programme(engine, command_line_actor(), "data-academy")
    assert (programme.kind, programme.target_people, programme.organisation_key) == (
        "academy",
        500,
        "dept-a",
    )
    assert 'href="/programmes/data-academy/cohorts/new"' in client.get(location).text

    path = "/programmes/data-academy/cohorts/new"
    assert_accessible_page(client.get(path).text)
    starts = date.today() + timedelta(days=30)
    status, _, page = _submit(
        client,
        path,
        {
            "key": "da-1",
            "name": "Data academy 1",
            "starts_on": starts.isoformat(),
            "ends_on": (starts - timedelta(days=1)).isoformat(),
            "capacity": "x",
            "curriculum": "no-such-item",
        },
    )
    assert status == 422
    assert_accessible_page(page)
    for field in ("#capacity", "#ends_on"):
        assert f'href="{field}"' in page
    status, location, _ = _submit(
        client,
        path,
        {
            "key": "da-1",
            "name": "Data academy 1",
            "starts_on": starts.isoformat(),
            "ends_on": (starts + timedelta(weeks=52)).isoformat(),
            "capacity": "20",
            "families": "data",
            "min_level_order": "2",
            "curriculum": "*ai-ethics\nml-foundations",
            "stages": "Foundations, 12\nProject, 40",
        },
    )
    assert (status, location) == (303, "/cohorts/da-1")
    cohort = get_cohort(engine, command_line_actor(), "da-1")
    assert cohort.summary.capacity == 20
    assert [(i.key, i.mandatory) for i in cohort.curriculum] == [
        ("ai-ethics", True),
        ("ml-foundations", False),
    ]
    assert cohort.stages == [{"name": "Foundations", "weeks": 12}, {"name": "Project", "weeks": 40}]
    assert cohort.eligibility["families"] == ["data"]


@pytest.mark.usefixtures("ready")
def test_only_programme_admins_of_the_organisation_set_up_its_programmes(
    client: TestClient, engine: Engine
) -> None:
    signed_in(client, "analyst")
    assert 'href="/programmes/new"' not in client.get("/programmes").text
    assert client.get("/programmes/new").status_code == 403
    assert client.get("/programmes/ai-accelerator/cohorts/new").status_code == 403

    signed_in(client, "b-admin", "programme_admin")
    status, _, _page = _submit(
        client,
        "/programmes/new",
        {
            "key": "agency-x",
            "name": "X",
            "kind": "academy",
            "organisation": "dept-a",
            "min_attendance": "80",
        },
    )
    assert status == 403
    assert client.get("/programmes/ai-accelerator/cohorts/new").status_code == 403
    assert [p.key for p in list_programmes(engine, command_line_actor())] == ["ai-accelerator"]
