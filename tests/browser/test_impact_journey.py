"""Programme impact in the browser: from a programme's page to its impact page and its CSV, with
and without JavaScript; a project's team records a benefit and sees it summed for its
organisation. Each page is checked with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mobilise.services.actors import command_line_actor
from mobilise.services.impact_demo import PastCohort, generate_impact_history
from mobilise.services.programme_demo import organisation_or_first
from mobilise.services.programmes import ProgrammeSpec, create_programme
from mobilise.store.database import transaction
from mobilise.store.models import AIProject
from tests.browser.conftest import DemoPeople, LiveServer
from tests.browser.visitor import Visitor, sign_in
from tests.support.register_projects import a_draft_project

pytestmark = pytest.mark.browser
PROGRAMME = "browser-impact"


@pytest.fixture(scope="module")
def followed_up(live_server: LiveServer) -> str:
    """A programme with a pilot cohort that ended over a year ago."""
    engine = live_server.engine
    create_programme(
        engine,
        command_line_actor(),
        ProgrammeSpec(
            key=PROGRAMME,
            name="Browser impact programme",
            kind="accelerator",
            organisation=organisation_or_first(engine, "government-digital-service"),
            summary="A programme whose pilot ended long ago.",
            rubric=[{"key": "motivation", "name": "Motivation", "max_points": 5}],
        ),
    )
    pilot = PastCohort(PROGRAMME, f"{PROGRAMME}-pilot", "Browser impact pilot", (), 0.8)
    generate_impact_history(engine, seed=7, cohorts=(pilot,), participants=12, smallest_group=3)
    return PROGRAMME


@pytest.mark.parametrize("javascript", [True, False])
def test_a_reader_goes_from_the_programme_to_its_impact(
    visitor: Visitor,
    visitor_without_javascript: Visitor,
    demo_people: DemoPeople,
    followed_up: str,
    javascript: bool,
) -> None:
    reader = visitor if javascript else visitor_without_javascript
    page = reader.page
    sign_in(reader, demo_people.report.key)
    reader.open(f"/programmes/{followed_up}")
    page.get_by_role("link", name=re.compile("Did it work")).click()
    expect(page).to_have_url(re.compile(rf"/programmes/{followed_up}/impact$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Impact of")
    expect(page.locator("#outcomes")).to_contain_text("Browser impact pilot")
    expect(page.get_by_role("heading", name="How the effect is worked out")).to_be_visible()
    reader.check("impact" if javascript else None)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures as CSV").click()
    assert download.value.suggested_filename == f"{followed_up}-impact.csv"


def test_a_team_records_a_benefit_and_it_is_summed_for_its_organisation(
    visitor: Visitor, demo_people: DemoPeople, live_server: LiveServer
) -> None:
    engine = live_server.engine
    key = a_draft_project(engine, demo_people.report.key, "Browser benefits chatbot")
    with transaction(engine) as session:
        session.scalars(select(AIProject).where(AIProject.key == key)).one().status = "published"
    page = visitor.page
    sign_in(visitor, demo_people.report.key)
    visitor.open(f"/register/{key}")
    page.get_by_role("link", name=re.compile("Benefits and savings this project claims")).click()
    expect(page).to_have_url(re.compile(rf"/register/{key}/benefits$"))
    visitor.check("project-benefits")
    page.get_by_label("Amount in pounds").fill("not money")
    page.get_by_role("button", name="Record the claim").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the amount in pounds")
    visitor.check()
    page.get_by_label("Amount in pounds").fill("25000")
    page.get_by_label("Period from").fill("2025-04-01")
    page.get_by_label("Period to").fill("2026-03-31")
    page.get_by_label("Evidence", exact=True).fill("Contact centre call volumes fell by a third.")
    page.get_by_role("button", name="Record the claim").click()
    expect(page.locator("#claims + table")).to_contain_text("£25,000.00")
    visitor.open("/benefits")
    expect(page.locator("#benefits")).to_contain_text("£25,000")
    visitor.check("benefits-by-organisation")
