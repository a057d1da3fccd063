"""The marketplace journey in the browser: a person browses opportunities ranked by fit and
applies, their line manager releases them, the opportunity's owner sees the applicants ranked by
fit, closes and allocates the round, the applicant accepts, and starting the round records the
move; every page on the way is checked with axe-core."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mobilise.services.actors import command_line_actor
from mobilise.services.allocation import allocate_document
from mobilise.services.marketplace_rounds import RoundSpec, open_round
from mobilise.services.opportunities import OpportunitySpec, RequiredSkill, post_opportunity
from mobilise.store.database import reading
from mobilise.store.models import Organisation, Person, SkillClaim, SkillRecord
from tests.browser.conftest import DemoPeople, LiveServer
from tests.browser.visitor import Visitor, sign_in

pytestmark = pytest.mark.browser
ROUND = "browser-round"
LOAN = "browser-loan"


@pytest.fixture(scope="module")
def market(live_server: LiveServer, demo_people: DemoPeople) -> tuple[str, str, str, str]:
    """A round and a loan run by another organisation than the applicant's, asking for a skill
    the applicant has. Returns the applicant's, their manager's and the owner's keys and the
    applicant's name."""
    engine = live_server.engine
    with reading(engine) as session:
        applicant = session.scalars(
            select(Person).where(Person.key == demo_people.report.key)
        ).one()
        manager = session.get(Person, applicant.manager_id)
        assert manager is not None
        owner = session.scalars(
            select(Person)
            .join(Organisation, Organisation.id == Person.organisation_id)
            .where(
                Person.organisation_id != applicant.organisation_id,
                Organisation.kind != "private_firm",
                Person.left_on.is_(None),
            )
            .order_by(Person.id)
            .limit(1)
        ).one()
        host = session.get(Organisation, owner.organisation_id)
        assert host is not None
        skill = session.scalars(
            select(SkillRecord.key)
            .join(SkillClaim, SkillClaim.skill_id == SkillRecord.id)
            .where(SkillClaim.person_id == applicant.id, SkillClaim.status == "active")
            .limit(1)
        ).one()
        keys = (applicant.key, manager.key, owner.key, applicant.display_name, host.key)
    # The stable method's compiled kernels are built on first use: build them here, not while the
    # browser waits for the allocation page.
    allocate_document(
        {
            "applicants": [{"id": "a", "preferences": ["o"]}],
            "opportunities": [{"id": "o", "capacity": 1, "ranking": ["a"]}],
        },
        "stable",
    )
    operator = command_line_actor()
    open_round(engine, operator, RoundSpec(ROUND, "Browser round", keys[4]))
    starts = date.today() + timedelta(weeks=8)
    post_opportunity(
        engine,
        operator,
        OpportunitySpec(
            key=LOAN,
            round=ROUND,
            organisation=keys[4],
            kind="loan",
            title="Browser loan",
            starts_on=starts,
            ends_on=starts + timedelta(weeks=26),
            capacity=1,
            skills=(RequiredSkill(skill, "awareness"),),
        ),
    )
    return keys[0], keys[1], keys[2], keys[3]


def test_browse_apply_release_rank_allocate_move(
    visitor: Visitor, market: tuple[str, str, str, str]
) -> None:
    applicant, manager, owner, name = market
    page = visitor.page
    sign_in(visitor, applicant)
    page.get_by_role("link", name="Opportunities").first.click()
    visitor.check("opportunities")
    expect(page.locator("#opportunities")).to_contain_text("Browser loan")
    page.get_by_role("link", name="Browser loan").click()
    expect(page.locator("#fit")).to_contain_text("100%")
    visitor.check("opportunity")
    page.get_by_role("button", name="Apply").click()
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a statement")
    visitor.check("apply-error")
    page.get_by_label("Why you are applying").fill("I want to help another department.")
    page.get_by_label(re.compile("I consent")).check()
    page.get_by_role("button", name="Send application").click()
    expect(page.locator("#application-state")).to_contain_text("Awaiting release")
    application = page.url
    visitor.check("application")

    page.context.clear_cookies()
    sign_in(visitor, manager)
    visitor.open("/opportunities/applications")
    visitor.check("releases")
    visitor.open(application)
    page.get_by_role("button", name="Endorse and release").click()
    expect(page).to_have_url(re.compile("/opportunities/applications"))

    page.context.clear_cookies()
    sign_in(visitor, owner, ("Programme admin",))
    visitor.open(f"/opportunities/{LOAN}")
    expect(page.locator("main")).to_contain_text("Applicants, best fit first")
    expect(page.locator("main")).to_contain_text(name)
    visitor.check("owner-opportunity")
    visitor.open(f"/rounds/{ROUND}")
    page.get_by_role("button", name="Close applications").click()
    page.get_by_role("button", name="Allocate the round").click()
    expect(page.locator("#round-state")).to_contain_text("Offers published")
    visitor.check("round")

    page.context.clear_cookies()
    sign_in(visitor, applicant)
    visitor.open(application)
    page.get_by_role("button", name="Accept the place").click()
    expect(page.locator("#application-state")).to_contain_text("Accepted")

    page.context.clear_cookies()
    sign_in(visitor, owner, ("Programme admin",))
    visitor.open(f"/rounds/{ROUND}")
    page.get_by_role("button", name="Start: record the moves").click()
    expect(page.locator("#moves")).to_be_visible()
    expect(page.locator("main")).to_contain_text(name)
    visitor.check("moves")
