"""TechTrack in the browser: a department's bid for an apprentice, a candidate with no
organisation applies, the department scores its candidates, the intake is allocated by the fair
method with its quota, the candidate accepts, and the programme page shows the progress towards
its target; every page on the way is checked with axe-core."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mobilise.services.actors import command_line_actor
from mobilise.services.allocation import allocate_document
from mobilise.services.marketplace_rounds import RoundSpec, open_round
from mobilise.services.opportunities import OpportunitySpec, post_opportunity
from mobilise.services.programmes import DEFAULT_RUBRIC, ProgrammeSpec, create_programme
from mobilise.store.database import reading, transaction
from mobilise.store.models import Organisation, Person
from tests.browser.conftest import DemoPeople, LiveServer
from tests.browser.visitor import Visitor, sign_in

pytestmark = pytest.mark.browser
BID = "browser-tt-bid"
INTAKE = "browser-tt-intake"
QUOTAS = [
    {"id": "outside-london", "attribute": "region", "not_values": ["London"], "min_share": 0.5}
]


@pytest.fixture(scope="module")
def intake(live_server: LiveServer, demo_people: DemoPeople) -> tuple[str, str]:
    """TechTrack run by the manager's organisation, which bids for one apprentice, and a
    candidate with no organisation. Returns (candidate, owner) keys."""
    engine = live_server.engine
    with reading(engine) as session:
        owner = session.scalars(select(Person).where(Person.key == demo_people.manager.key)).one()
        organisation = session.get(Organisation, owner.organisation_id)
        assert organisation is not None
        keys = (owner.key, organisation.key)
    with transaction(engine) as session:
        session.add(
            Person(
                key="browser-candidate",
                display_name="Browser Candidate",
                region="Yorkshire and The Humber",
            )
        )
    # The fair method's solver and kernels start up here, not while the browser waits.
    allocate_document(
        {
            "applicants": [{"id": "a", "preferences": ["o"], "attributes": {"region": "Wales"}}],
            "opportunities": [{"id": "o", "capacity": 1, "ranking": ["a"]}],
            "constraints": {"quotas": QUOTAS},
        },
        "fair",
    )
    operator = command_line_actor()
    create_programme(
        engine,
        operator,
        ProgrammeSpec(
            key="browser-techtrack",
            name="Browser TechTrack",
            kind="apprenticeship",
            organisation=keys[1],
            rubric=DEFAULT_RUBRIC,
            target_people=2000,
            target_year=2030,
        ),
    )
    open_round(
        engine,
        operator,
        RoundSpec(INTAKE, "Browser intake", keys[1], programme="browser-techtrack", quotas=QUOTAS),
    )
    starts = date.today() + timedelta(weeks=20)
    post_opportunity(
        engine,
        operator,
        OpportunitySpec(
            key=BID,
            round=INTAKE,
            organisation=keys[1],
            kind="apprenticeship",
            role="DevOps engineer",
            title="DevOps engineer apprentice, Leeds",
            region="Yorkshire and The Humber",
            starts_on=starts,
            ends_on=starts + timedelta(weeks=104),
            capacity=1,
        ),
    )
    return "browser-candidate", keys[0]


def test_bid_apply_score_allocate_accept_progress(
    visitor: Visitor, intake: tuple[str, str]
) -> None:
    candidate, owner = intake
    page = visitor.page
    sign_in(visitor, candidate)
    visitor.open("/opportunities?kind=apprenticeship")
    expect(page.locator("#opportunities")).to_contain_text("DevOps engineer apprentice")
    visitor.check("apprenticeships")
    page.get_by_role("link", name="DevOps engineer apprentice, Leeds").click()
    page.get_by_role("button", name="Apply").click()
    page.get_by_label("Why you are applying").fill("I want to start a career in technology.")
    page.get_by_label(re.compile("I consent")).check()
    page.get_by_role("button", name="Send application").click()
    # No organisation and no manager: no release step.
    expect(page.locator("#application-state")).to_contain_text("Released")
    application = page.url
    visitor.check("candidate-application")

    page.context.clear_cookies()
    sign_in(visitor, owner, ("Programme admin",))
    visitor.open(f"/opportunities/{BID}")
    page.get_by_label(re.compile("Your score for Browser Candidate")).fill("80")
    page.get_by_role("button", name=re.compile("score for Browser Candidate")).click()
    expect(page.get_by_label(re.compile("Your score for Browser Candidate"))).to_have_value("80")
    visitor.check("bid-owner")
    visitor.open(f"/rounds/{INTAKE}")
    expect(page.locator("main")).to_contain_text("fair method")
    page.get_by_role("button", name="Close applications").click()
    page.get_by_role("button", name="Allocate the round").click()
    expect(page.locator("#round-state")).to_contain_text("Offers published")
    visitor.check("intake")

    page.context.clear_cookies()
    sign_in(visitor, candidate)
    visitor.open(application)
    page.get_by_role("button", name="Accept the place").click()
    expect(page.locator("#application-state")).to_contain_text("Accepted")
    visitor.open("/programmes/browser-techtrack")
    expect(page.locator("#progress-browser-techtrack")).to_contain_text("a year until the end")
    expect(page.locator("main")).to_contain_text("1 of a target of 2,000 by 2030")
    visitor.check("progress")
