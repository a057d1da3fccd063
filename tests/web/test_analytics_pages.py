"""Analytics pages: for analysts only, accessible, each chart beside its table, CSV of each."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from mobilise.services.demo import generate_demo
from mobilise.store.database import reading
from mobilise.store.models import Person
from tests.web.page_checks import assert_accessible_page
from tests.web.signing_in import sign_in


@pytest.fixture
def analyst(client: TestClient, engine: Engine) -> TestClient:
    generate_demo(engine, people=800, seed=5, claims_per_person=5.0)
    with reading(engine) as session:
        key = session.scalar(select(Person.key).where(Person.left_on.is_(None)).limit(1))
    assert key is not None
    sign_in(client, key, ("analyst",))
    return client


def test_the_headcount_page_shows_a_chart_beside_a_protected_table(analyst: TestClient) -> None:
    for by in ("organisation", "grade", "role_level", "ethnic_group"):
        page = analyst.get("/analytics/headcount", params={"by": by})
        assert page.status_code == 200, page.text
        assert_accessible_page(page.text)
        assert '<svg class="mobilise-chart" role="img"' in page.text
        assert 'id="headcount-table"' in page.text
        assert f"/analytics/headcount.csv?by={by}" in page.text
    assert "[c]" in analyst.get("/analytics/headcount", params={"by": "role_level"}).text


def test_the_csv_has_the_tables_rows_and_no_small_count(analyst: TestClient) -> None:
    response = analyst.get("/analytics/headcount.csv", params={"by": "grade"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = [r for r in csv.reader(io.StringIO(response.text)) if r and not r[0].startswith("#")]
    assert rows[0] == ["Grade", "In DDaT roles", "In other roles", "All people", "DDaT share"]
    assert rows[-1][0] == "All"
    for row in rows[1:]:
        for value in row[1:4]:
            assert value == "[c]" or int(value) == 0 or int(value) >= 10


def test_the_dashboard_index_lists_every_breakdown(analyst: TestClient) -> None:
    page = analyst.get("/analytics")
    assert page.status_code == 200
    assert_accessible_page(page.text)
    assert "/analytics/headcount?by=age_band" in page.text


def test_an_unknown_breakdown_is_a_clear_error(analyst: TestClient) -> None:
    response = analyst.get("/analytics/headcount", params={"by": "shoe_size"})
    assert response.status_code == 422
    assert "shoe_size" in response.text


def test_people_without_the_analyst_role_are_refused(client: TestClient, engine: Engine) -> None:
    generate_demo(engine, people=50, seed=5, claims_per_person=2.0)
    with reading(engine) as session:
        key = session.scalar(select(Person.key).limit(1))
    assert key is not None
    sign_in(client, key)
    assert client.get("/analytics/headcount").status_code == 403
    assert client.get("/analytics/headcount.csv").status_code == 403


def test_the_targets_page_lists_the_published_targets_with_a_status(analyst: TestClient) -> None:
    page = analyst.get("/analytics/targets")
    assert page.status_code == 200, page.text
    assert_accessible_page(page.text)
    assert "/analytics/targets/double-ddat-profession" in page.text
    assert "Off track" in page.text or "On track" in page.text


def test_a_target_page_charts_the_trajectory_and_projection_beside_their_tables(
    analyst: TestClient,
) -> None:
    page = analyst.get("/analytics/targets/ddat-share-2030")
    assert page.status_code == 200, page.text
    assert_accessible_page(page.text)
    assert "<polyline" in page.text
    assert "<polygon" in page.text  # the interval band
    assert 'id="trajectory-table"' in page.text
    assert 'id="projection-table"' in page.text
    trajectory = analyst.get("/analytics/targets/ddat-share-2030/trajectory.csv")
    assert trajectory.status_code == 200
    assert trajectory.text.startswith("Month end,")
    projection = analyst.get("/analytics/targets/ddat-share-2030/projection.csv")
    assert projection.text.splitlines()[-2].startswith("March 2030,")


def test_an_unknown_target_is_not_found(analyst: TestClient) -> None:
    assert analyst.get("/analytics/targets/no-such-target").status_code == 404


def test_the_skills_page_puts_the_largest_shortfalls_first(analyst: TestClient) -> None:
    page = analyst.get("/analytics/skills")
    assert page.status_code == 200, page.text
    assert_accessible_page(page.text)
    assert 'id="skills-table"' in page.text
    response = analyst.get("/analytics/skills.csv")
    rows = [r for r in csv.reader(io.StringIO(response.text)) if r and not r[0].startswith("#")]
    assert rows[0][:3] == [
        "Skill",
        "People whose role level requires it",
        "Of them, short of the required level",
    ]
    shorts = [int(r[2]) for r in rows[1:] if r[2] != "[c]"]
    assert shorts == sorted(shorts, reverse=True)
    assert shorts, "some shortfalls are large enough to show"


def test_analysts_find_analytics_in_the_navigation_and_the_method_explained(
    analyst: TestClient,
) -> None:
    page = analyst.get("/analytics/disclosure")
    assert page.status_code == 200
    assert_accessible_page(page.text)
    assert 'href="/analytics"' in page.text
    assert "[c]" in page.text


def test_the_programmes_page_shows_funnels_and_spread(analyst: TestClient) -> None:
    page = analyst.get("/analytics/programmes")
    assert page.status_code == 200, page.text
    assert_accessible_page(page.text)
    assert 'id="funnel-table"' in page.text
    assert 'id="spread-table"' in page.text
    funnels = analyst.get("/analytics/programmes/funnels.csv")
    assert funnels.text.startswith("Programme and intake,Applied,Selected,Accepted (participants)")
    assert analyst.get("/analytics/programmes/spread.csv").status_code == 200
    api = analyst.get("/api/v1/analytics/programmes/funnels")
    assert api.json()["key"] == "programme-funnels"
