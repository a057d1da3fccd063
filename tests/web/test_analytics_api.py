"""`/api/v1/analytics`: the same protected tables and progress as the pages, as JSON."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.web.test_analytics_pages import analyst  # noqa: F401 (a fixture)


def test_headcount_is_a_protected_table(analyst: TestClient) -> None:  # noqa: F811
    response = analyst.get("/api/v1/analytics/headcount", params={"by": "role_level"})
    assert response.status_code == 200, response.text
    table = response.json()
    assert table["columns"] == [{"key": "ddat", "label": "People in DDaT roles", "kind": "count"}]
    figures = [row["figures"][0] for row in table["rows"]]
    assert None in figures
    assert all(f is None or f == 0 or f >= table["threshold"] for f in figures)
    assert table["suppressed"] == figures.count(None)


def test_skills_and_targets(analyst: TestClient) -> None:  # noqa: F811
    skills = analyst.get("/api/v1/analytics/skills").json()
    assert skills["key"] == "skills-supply-and-demand"
    targets = analyst.get("/api/v1/analytics/targets").json()
    assert {t["target"]["key"] for t in targets} >= {"ddat-share-2030", "double-ddat-profession"}
    share = analyst.get("/api/v1/analytics/targets/ddat-share-2030").json()
    assert share["status"] in {"on track", "off track"}
    low, high = share["interval"]
    assert low <= share["at_deadline"] <= high
    assert share["projection"][-1]["on"] == "2030-03-31"


def test_errors_are_problems(analyst: TestClient) -> None:  # noqa: F811
    assert analyst.get("/api/v1/analytics/targets/nothing").status_code == 404
    bad = analyst.get("/api/v1/analytics/headcount", params={"by": "shoe_size"})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")


def test_strangers_are_told_to_sign_in(client: TestClient, engine: Engine) -> None:
    assert client.get("/api/v1/analytics/headcount").status_code == 401
