"""Communities, events and mentoring in the browser: a person joins a community, joins a full
event's waiting list and gets the place when someone cancels, asks for a mentor; their manager
(a programme admin) offers to mentor, closes the event's registration and runs a mentoring round;
the person sees why they were matched and ends the mentoring. Every page is checked with axe."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mobilise.services.actors import command_line_actor
from mobilise.services.communities import CommunitySpec, create_community
from mobilise.services.events import EventSpec, cancel_registration, create_event, register
from mobilise.services.programme_demo import DemoPerson, person_actor
from mobilise.store.database import reading
from mobilise.store.models import Organisation, Person
from tests.browser.conftest import DemoPeople, LiveServer
from tests.browser.visitor import Visitor, sign_in
from tests.support.communities import claim_skill

pytestmark = pytest.mark.browser
SKILL = "data-visualisation"


def _set_up(live_server: LiveServer, demo_people: DemoPeople, suffix: str) -> DemoPerson:
    """A community and its full one-place event (taken by someone else), organised by the
    manager's organisation; the manager assessed expert in the skill, the report at awareness.
    Returns the person holding the place."""
    engine = live_server.engine
    with reading(engine) as session:
        manager = session.scalars(select(Person).where(Person.key == demo_people.manager.key)).one()
        organisation = session.get(Organisation, manager.organisation_id)
        assert organisation is not None
        row = session.execute(
            select(Person.id, Person.key, Person.display_name)
            .where(Person.key.not_in([demo_people.manager.key, demo_people.report.key]))
            .order_by(Person.id)
            .limit(1)
        ).one()
        organiser = organisation.key
    operator = command_line_actor()
    create_community(
        engine,
        operator,
        CommunitySpec(
            key=f"browser-community{suffix}",
            name=f"Browser community{suffix}",
            organisation=None,
            description="Testing communities in a browser.",
            topics=["data visualisation"],
            skills=[SKILL],
        ),
    )
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)
    create_event(
        engine,
        operator,
        EventSpec(
            key=f"browser-meetup{suffix}",
            title=f"Browser meet-up{suffix}",
            organisation=organiser,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            capacity=1,
            community=f"browser-community{suffix}",
            online=True,
        ),
    )
    holder = DemoPerson(int(row[0]), str(row[1]), str(row[2]))
    register(engine, person_actor(holder), f"browser-meetup{suffix}")
    today = date.today() - timedelta(days=1 if suffix else 0)  # one assessment a day
    claim_skill(engine, demo_people.manager.key, SKILL, 4, source="assessed", claimed_on=today)
    claim_skill(engine, demo_people.report.key, SKILL, 1, source="assessed", claimed_on=today)
    return holder


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_join_wait_for_a_place_and_be_mentored(
    live_server: LiveServer,
    demo_people: DemoPeople,
    request: pytest.FixtureRequest,
    javascript: bool,
) -> None:
    suffix = "" if javascript else "-no-js"
    holder = _set_up(live_server, demo_people, suffix)
    visitor: Visitor = request.getfixturevalue(
        "visitor" if javascript else "visitor_without_javascript"
    )
    page = visitor.page
    report, manager = demo_people.report.key, demo_people.manager.key

    sign_in(visitor, report)
    page.get_by_role("link", name="Communities").first.click()
    visitor.check("communities" + suffix)
    page.get_by_role("link", name=f"Browser community{suffix}", exact=True).click()
    page.get_by_role("button", name=f"Join Browser community{suffix}").click()
    expect(page.locator("#membership")).to_contain_text("You are a member")
    visitor.check("community" + suffix)
    page.get_by_role("link", name=f"Browser meet-up{suffix}", exact=True).click()
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.locator("#my-registration")).to_contain_text("You are number 1")
    visitor.check("event-waiting" + suffix)

    cancel_registration(live_server.engine, person_actor(holder), f"browser-meetup{suffix}")
    page.reload()
    expect(page.locator("#my-registration")).to_contain_text("You have a place")
    visitor.check("event-place" + suffix)

    visitor.open("/mentoring")
    visitor.check("mentoring" + suffix)
    page.get_by_label("Skills you want to grow").fill(SKILL)
    page.get_by_label("Your goals").fill("Build dashboards for ministers")
    page.get_by_role("button", name="Ask for a mentor").click()
    expect(page.locator("#my-request")).to_contain_text("open for the next round")

    page.context.clear_cookies()
    sign_in(visitor, manager, ("Programme admin",))
    visitor.open("/events/new")
    visitor.check("event-new" + suffix)
    page.get_by_role("button", name="Set up the event").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    visitor.check("event-new-error" + suffix)
    visitor.open(f"/events/browser-meetup{suffix}")
    visitor.check("event-organiser" + suffix)
    page.get_by_role("button", name="Close registration").click()
    expect(page.get_by_role("button", name="Open registration")).to_be_visible()
    visitor.open("/mentoring")
    page.get_by_label("Skills you can mentor in").fill(SKILL)
    page.get_by_label("How many mentees at a time").fill("1")
    page.get_by_role("button", name="Offer to mentor").click()
    expect(page.locator("#my-offer")).to_contain_text("1 person at a time")
    page.get_by_label("A key for the round").fill(f"browser-round{suffix}")
    page.get_by_role("button", name="Run the round").click()
    expect(page.locator("#round-outcome")).to_contain_text("matched 1")
    visitor.check("mentoring-admin" + suffix)

    page.context.clear_cookies()
    sign_in(visitor, report)
    visitor.open("/mentoring")
    expect(page.get_by_role("main")).to_contain_text("Matched with")
    visitor.check("mentoring-matched" + suffix)
    page.get_by_role("button", name="End this mentoring").click()
    expect(page.get_by_role("main")).to_contain_text("Ended")
