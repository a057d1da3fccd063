"""People outside government in the browser, with and without JavaScript, every page checked
with axe-core: a newcomer creates their account (errors first), lands on their profile, asks to be
told when a job family's cohorts open (errors first) and stops; a programme admin opens a cohort
to outsiders and names its funding (errors first); a provider sees the cohorts it delivers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mobilise.services.actors import command_line_actor
from mobilise.services.cohort_terms import set_cohort_terms
from mobilise.services.programmes import CohortSpec, ProgrammeSpec, create_programme, open_cohort
from mobilise.store.database import reading, transaction
from mobilise.store.models import LearningItem, Organisation, Person
from tests.browser.conftest import DemoPeople, LiveServer
from tests.browser.visitor import Visitor, sign_in

COHORT = "pb-apprentices"
COURSE = "pb-open-course"


def an_open_course(live_server: LiveServer) -> str:
    """A course in the catalogue (the browser database has none of its own)."""
    with transaction(live_server.engine) as session:
        if session.scalar(select(LearningItem.id).where(LearningItem.key == COURSE)) is None:
            session.add(
                LearningItem(
                    key=COURSE,
                    title="Data foundations for newcomers",
                    provider="Open academy",
                    format="course",
                    hours=Decimal("4"),
                    cost_pence=0,
                    description="",
                )
            )
    return COURSE


pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_newcomer_joins(
    live_server: LiveServer, request: pytest.FixtureRequest, javascript: bool
) -> None:
    newcomer: Visitor = request.getfixturevalue(
        "visitor" if javascript else "visitor_without_javascript"
    )
    page = newcomer.page
    suffix = "" if javascript else "-no-js"
    newcomer.open("/join")
    newcomer.check("join" + suffix)
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    newcomer.check("join-errors" + suffix)
    newcomer.follow_error_link(page.get_by_role("link", name="Enter your full name"), "name")
    page.get_by_label("Full name").fill("Jo Newcomer")
    page.get_by_label("Email address").fill(f"jo{suffix}@example.org")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.get_by_text("Jo Newcomer").first).to_be_visible()
    newcomer.check()

    newcomer.open("/me/interests")
    newcomer.check("interests" + suffix)
    page.get_by_role("button", name="Tell me about this programme").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    newcomer.check("interests-errors" + suffix)
    newcomer.follow_error_link(page.get_by_role("link", name="Choose a programme"), "programme")
    page.get_by_label("Job family").select_option(index=1)
    page.get_by_role("button", name="Tell me about this job family").click()
    expect(page.get_by_role("button", name="Stop")).to_have_count(1)
    newcomer.check("interests-added" + suffix)
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_text("Nothing yet.")).to_be_visible()

    course = an_open_course(live_server)
    newcomer.open("/me/courses")
    newcomer.check("courses" + suffix)
    page.get_by_label("Course key").fill(course)
    page.get_by_role("button", name="Enrol").click()
    page.locator(f"#week-{course}").fill("0")
    page.locator(f"#percent_done-{course}").fill("40")
    page.get_by_role("button", name="Save week").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    newcomer.check("courses-errors" + suffix)
    page.locator(f"#week-{course}").fill("1")
    page.locator(f"#percent_done-{course}").fill("40")
    page.get_by_role("button", name="Save week").click()
    expect(page.get_by_role("cell", name="40%")).to_be_visible()
    newcomer.check("courses-week" + suffix)


@pytest.fixture(scope="module")
def apprentices(live_server: LiveServer, demo_people: DemoPeople) -> str:
    """A programme run by the demo manager's organisation with one cohort: "manager|organisation"
    (their keys)."""
    engine = live_server.engine
    with reading(engine) as session:
        organisation = session.scalar(
            select(Organisation.key)
            .join(Person, Person.organisation_id == Organisation.id)
            .where(Person.key == demo_people.manager.key)
        )
    assert organisation is not None
    operator = command_line_actor()
    create_programme(
        engine,
        operator,
        ProgrammeSpec(
            key="pb-apprenticeships",
            name="Digital apprenticeships",
            kind="apprenticeship",
            organisation=organisation,
            rubric=[{"key": "motivation", "name": "Motivation", "max_points": 5, "weight": 1}],
        ),
    )
    starts = date.today() + timedelta(days=60)
    open_cohort(
        engine,
        operator,
        "pb-apprenticeships",
        CohortSpec(key=COHORT, name="Apprentices", starts_on=starts, ends_on=starts, capacity=10),
    )
    return f"{demo_people.manager.key}|{organisation}"


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_an_admin_opens_a_cohort_to_outsiders(
    apprentices: str, request: pytest.FixtureRequest, javascript: bool
) -> None:
    admin: Visitor = request.getfixturevalue(
        "visitor" if javascript else "visitor_without_javascript"
    )
    page = admin.page
    suffix = "" if javascript else "-no-js"
    sign_in(admin, apprentices.split("|")[0], ("Programme admin",))
    admin.open(f"/cohorts/{COHORT}/terms")
    admin.check("cohort-terms" + suffix)
    page.get_by_label("Open to people outside government").check()
    page.get_by_label("Training provider").fill("no-such-organisation")
    page.get_by_label("Funding source").select_option(label="Apprenticeship levy")
    page.get_by_role("button", name="Save terms").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    admin.check("cohort-terms-errors" + suffix)
    admin.follow_error_link(
        page.get_by_role("link", name="Enter the key of an organisation"), "provider"
    )
    page.get_by_label("Training provider").fill("")
    page.get_by_role("button", name="Save terms").click()
    expect(page).to_have_url(f"{page.url.split('/cohorts/')[0]}/cohorts/{COHORT}")
    admin.open(f"/cohorts/{COHORT}/terms")
    expect(page.get_by_label("Open to people outside government")).to_be_checked()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_provider_sees_the_cohorts_it_delivers(
    apprentices: str, live_server: LiveServer, request: pytest.FixtureRequest, javascript: bool
) -> None:
    manager, organisation = apprentices.split("|")
    set_cohort_terms(
        live_server.engine,
        command_line_actor(),
        COHORT,
        open_to_outsiders=True,
        provider_key=organisation,
        funding_source="apprenticeship_levy",
    )
    provider: Visitor = request.getfixturevalue(
        "visitor" if javascript else "visitor_without_javascript"
    )
    page = provider.page
    suffix = "" if javascript else "-no-js"
    sign_in(provider, manager, ("Programme admin",))
    provider.open("/provider")
    provider.check("provider" + suffix)
    page.get_by_role("link", name="Apprentices").click()
    expect(page.get_by_text("No participants yet.")).to_be_visible()
    provider.check("provider-cohort" + suffix)
