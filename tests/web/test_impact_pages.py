"""The impact page, its CSV and its API on demo data with the planted effect, and the link to it
from the programme page."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from mobilise.services.demo import generate_demo
from mobilise.services.impact_demo import PLANTED_UPLIFT, generate_impact_history
from mobilise.services.programme_demo import generate_demo_programmes
from mobilise.store.database import reading
from mobilise.store.models import Person
from tests.support.programmes import add_programme
from tests.web.journeys import accessible, signed_in


@pytest.fixture
def demo_person(engine: Engine) -> str:
    generate_demo(engine, people=3000, seed=7)
    generate_demo_programmes(engine, seed=7)
    generate_impact_history(engine, seed=7, today=date.today())
    with reading(engine) as session:
        key = session.scalar(select(Person.key).order_by(Person.id).limit(1))
    assert key is not None
    return key


def test_the_page_csv_and_api_give_the_same_disclosure_controlled_figures(
    client: TestClient, demo_person: str
) -> None:
    signed_in(client, demo_person)
    assert "/programmes/ai-accelerator/impact" in accessible(client, "/programmes/ai-accelerator")
    page = accessible(client, "/programmes/ai-accelerator/impact")
    assert "AI Accelerator pilot cohort" in page
    assert "Not yet followed up" in page
    assert "difference in differences" in page

    document = client.get("/api/v1/programmes/ai-accelerator/impact").json()
    (pilot,) = document["cohorts"]
    assert pilot["participants"] == 40
    six = next(f for f in pilot["skills"] if f["months_after_end"] == 6)
    effect = six["effect"]
    assert effect["low"] <= PLANTED_UPLIFT <= effect["high"]
    assert f"{effect['estimate']:+.2f}" in page

    download = client.get("/programmes/ai-accelerator/impact.csv")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(
        csv.DictReader(line for line in io.StringIO(download.text) if not line.startswith("#"))
    )
    found = next(
        r
        for r in rows
        if r["measure"] == "effect_difference_in_differences" and r["months_after_end"] == "6"
    )
    assert float(found["value"]) == pytest.approx(effect["estimate"], abs=1e-3)
    assert float(found["low"]) == pytest.approx(effect["low"], abs=1e-3)


@pytest.fixture
def ready(engine: Engine) -> None:
    add_programme(engine)


@pytest.mark.usefixtures("ready")
def test_a_programme_with_nothing_to_follow_up_says_so_and_unknown_ones_are_not_found(
    client: TestClient,
) -> None:
    signed_in(client, "analyst")
    page = accessible(client, "/programmes/ai-accelerator/impact")
    assert "nothing to follow up yet" in page
    assert client.get("/api/v1/programmes/ai-accelerator/impact").json()["cohorts"] == []
    accessible(client, "/programmes/no-such-programme/impact", 404)
    assert client.get("/api/v1/programmes/no-such-programme/impact").status_code == 404
    client.cookies.clear()
    assert client.get("/api/v1/programmes/ai-accelerator/impact").status_code == 401
