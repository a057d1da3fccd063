"""The learning catalogue in the browser: browse and search anonymously, record a completion."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.learning import ensure_demo_catalogue, list_items
from mobilise.web.app import create_app
from tests.support.workforce import Workforce, add_workforce
from tests.web.signing_in import csrf_from, sign_in


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    workforce = add_workforce(engine)
    ensure_demo_catalogue(engine, seed=3, items=120)
    return workforce


@pytest.fixture
def client(engine: Engine, workforce: Workforce) -> Iterator[TestClient]:
    with TestClient(create_app(engine=engine)) as test_client:
        yield test_client


def test_anyone_can_browse_and_search(client: TestClient, engine: Engine) -> None:
    first = list_items(engine, page_size=1).items[0]

    page = client.get("/learning")
    found = client.get("/learning", params={"q": first.title})
    filtered = client.get("/learning", params={"format": "workshop"})
    item = client.get(f"/learning/{first.key}")

    assert page.status_code == 200
    assert "120 items" in page.text
    assert first.title in found.text
    assert filtered.status_code == 200
    assert item.status_code == 200
    assert "Skills it teaches" in item.text
    assert "Record completion" not in item.text
    assert client.get("/learning/no-such-item").status_code == 404


def test_a_person_records_a_completion_and_gains_the_skills(
    client: TestClient, engine: Engine
) -> None:
    item = list_items(engine, page_size=1).items[0]
    sign_in(client, "analyst")
    token = csrf_from(client, f"/learning/{item.key}")

    bad = client.post(
        f"/learning/{item.key}/completed", data={"completed_on": "yesterday", "csrf_token": token}
    )
    done = client.post(
        f"/learning/{item.key}/completed",
        data={"completed_on": "2026-11-02", "csrf_token": token},
        follow_redirects=False,
    )

    assert bad.status_code == 422
    assert 'href="#completed-on"' in bad.text
    assert done.status_code == 303
    profile = client.get("/people/analyst").text
    assert "learning" in profile
    assert item.teaches[0].skill_name in profile


def test_the_learning_api(client: TestClient, engine: Engine) -> None:
    listed = client.get("/api/v1/learning-items", params={"limit": 50}).json()
    second = client.get(listed["next"]).json()
    key = listed["items"][0]["key"]
    detail = client.get(f"/api/v1/learning-items/{key}").json()
    sign_in(client, "analyst")
    token = {"X-CSRF-Token": csrf_from(client, "/learning")}
    done = client.post("/api/v1/me/completions", json={"item": key}, headers=token)
    unknown = client.post("/api/v1/me/completions", json={"item": "nope"}, headers=token)

    assert listed["total"] == 120
    assert {i["key"] for i in listed["items"]}.isdisjoint(i["key"] for i in second["items"])
    assert detail["key"] == key
    assert done.status_code == 201
    assert set(done.json()["claims"]) == {t["skill"] for t in detail["teaches"]}
    assert unknown.status_code == 404


def test_the_catalogue_table_sorts_without_javascript(client: TestClient) -> None:
    by_hours = client.get("/learning", params={"sort": "hours"}).text
    most_first = client.get("/learning", params={"sort": "-cost"}).text

    assert 'aria-sort="ascending"' in by_hours
    assert "sort=-hours" in by_hours  # the link that turns the order round
    assert 'aria-sort="descending"' in most_first
    assert client.get("/learning", params={"sort": "price"}).status_code == 422


def test_sorting_orders_the_items(engine: Engine) -> None:
    hours = [i.hours for i in list_items(engine, sort="hours", page_size=120).items]
    costs = [i.cost_pence for i in list_items(engine, sort="-cost", page_size=120).items]

    assert hours == sorted(hours)
    assert costs == sorted(costs, reverse=True)
