"""Issue 8's main journey in the browser: a person applies, their line manager releases them, the
panel scores, the programme admin runs the selection, and the applicant accepts the offer; every
page on the way is checked with axe-core."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mobilise.services.actors import command_line_actor
from mobilise.services.programmes import (
    CohortSpec,
    ProgrammeSpec,
    add_panel_member,
    create_programme,
    open_cohort,
)
from mobilise.store.database import reading
from mobilise.store.models import Organisation, Person
from tests.browser.conftest import DemoPeople, LiveServer
from tests.browser.visitor import Visitor, sign_in

pytestmark = pytest.mark.browser
COHORT = "browser-journey"
RUBRIC = [{"key": "motivation", "name": "Motivation", "max_points": 5}]


@pytest.fixture(scope="module")
def journey(live_server: LiveServer, demo_people: DemoPeople) -> tuple[str, str]:
    """A cohort of one place run by the applicant's organisation; their manager releases them,
    sits on the panel and is the programme's admin. Returns (applicant, manager) keys."""
    engine = live_server.engine
    with reading(engine) as session:
        applicant = session.scalars(
            select(Person).where(Person.key == demo_people.report.key)
        ).one()
        manager = session.get(Person, applicant.manager_id)
        organisation = session.get(Organisation, applicant.organisation_id)
        assert manager is not None
        assert organisation is not None
        keys = (applicant.key, manager.key, organisation.key)
    operator = command_line_actor()
    create_programme(
        engine,
        operator,
        ProgrammeSpec(
            key="browser-programme",
            name="Browser programme",
            kind="academy",
            organisation=keys[2],
            rubric=RUBRIC,
        ),
    )
    starts = date.today() + timedelta(weeks=4)
    open_cohort(
        engine,
        operator,
        "browser-programme",
        CohortSpec(
            key=COHORT,
            name="Browser cohort",
            starts_on=starts,
            ends_on=starts + timedelta(weeks=12),
            capacity=1,
        ),
    )
    add_panel_member(engine, operator, COHORT, keys[1])
    return keys[0], keys[1]


def test_apply_release_score_select_accept(visitor: Visitor, journey: tuple[str, str]) -> None:
    applicant, manager = journey
    page = visitor.page
    sign_in(visitor, applicant)
    page.get_by_role("link", name="Programmes").first.click()
    visitor.check("programmes")
    page.get_by_role("link", name="Browser cohort").click()
    visitor.check("cohort")
    page.get_by_role("button", name="Apply to Browser cohort").click()
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a statement")
    visitor.check("apply-error")
    page.get_by_label("Why you are applying").fill("I want to build digital services.")
    page.get_by_label(re.compile("I consent")).check()
    page.get_by_role("button", name="Send application").click()
    expect(page.locator("#application-state")).to_contain_text("Awaiting release")
    application = page.url
    visitor.check("application")

    page.context.clear_cookies()
    sign_in(visitor, manager, ("Programme admin",))
    visitor.open("/applications")
    visitor.check("applications")
    visitor.open(application)
    page.get_by_role("button", name="Endorse and release").click()
    visitor.open(f"/cohorts/{COHORT}")
    page.get_by_role("button", name="Close applications").click()
    visitor.open(application)
    page.get_by_label("Motivation (0 to 5)").fill("4")
    page.get_by_role("button", name="Save scores").click()
    expect(page).to_have_url(re.compile(f"/cohorts/{COHORT}"))
    visitor.check("cohort-owner")
    page.get_by_role("button", name="Run the selection").click()
    expect(page.locator("#cohort-state")).to_contain_text("Offers published")

    page.context.clear_cookies()
    sign_in(visitor, applicant)
    visitor.open(application)
    page.get_by_role("button", name="Accept the place").click()
    expect(page.locator("#application-state")).to_contain_text("Accepted")
    visitor.open("/me/messages")
    expect(page.get_by_role("main")).to_contain_text("You have a place on Browser cohort")
    visitor.check("messages")
