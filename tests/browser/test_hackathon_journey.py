"""The hackathon journey in the browser: a person signs up (share grant, name consent), the
organiser forms and publishes the teams, the team submits, a judge scores, the results are
published, and anyone reads them without signing in; every page on the way is checked with
axe-core."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mobilise.services.actors import command_line_actor
from mobilise.services.hackathon_signups import sign_up
from mobilise.services.hackathon_transitions import change_hackathon
from mobilise.services.hackathons import HackathonSpec, add_challenge, add_judge, create_hackathon
from mobilise.services.programme_demo import DemoPerson, person_actor
from mobilise.store.database import reading
from mobilise.store.models import Organisation, Person
from tests.browser.conftest import DemoPeople, LiveServer
from tests.browser.visitor import Visitor, sign_in

pytestmark = pytest.mark.browser


def open_hackathon(
    live_server: LiveServer, demo_people: DemoPeople, key: str, title: str
) -> tuple[str, str]:
    """An open hackathon run by the manager's organisation, the manager judging it, and three
    other people signed up. Returns (participant, organiser) keys."""
    engine = live_server.engine
    with reading(engine) as session:
        report = session.scalars(select(Person).where(Person.key == demo_people.report.key)).one()
        manager = session.get(Person, report.manager_id)
        assert manager is not None
        organisation = session.get(Organisation, manager.organisation_id)
        assert organisation is not None
        others = session.execute(
            select(Person.id, Person.key, Person.display_name)
            .where(Person.id.not_in([report.id, manager.id]))
            .order_by(Person.id)
            .limit(3)
        ).all()
        keys = (report.key, manager.key, organisation.key)
    operator = command_line_actor()
    starts = date.today() + timedelta(weeks=3)
    create_hackathon(
        engine,
        operator,
        HackathonSpec(
            key=key,
            title=title,
            organisation=keys[2],
            starts_on=starts,
            ends_on=starts + timedelta(days=1),
            capacity=10,
            team_size=2,
            online=True,
        ),
    )
    first = add_challenge(engine, operator, key, title="Find duplicate records")
    add_challenge(engine, operator, key, title="Explain a decision")
    add_judge(engine, operator, key, keys[1])
    change_hackathon(engine, operator, key, "open_sign_up")
    for person_id, person_key, name in others:
        person = person_actor(DemoPerson(int(person_id), str(person_key), str(name)))
        sign_up(engine, person, key, [first], [], consent=False)
    return keys[0], keys[1]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_sign_up_form_teams_submit_judge_and_publish(
    live_server: LiveServer,
    demo_people: DemoPeople,
    request: pytest.FixtureRequest,
    javascript: bool,
) -> None:
    key = "browser-hack" if javascript else "browser-hack-no-js"
    title = "Browser hack" if javascript else "Browser hack without JavaScript"
    participant, organiser = open_hackathon(live_server, demo_people, key, title)
    visitor: Visitor = request.getfixturevalue(
        "visitor" if javascript else "visitor_without_javascript"
    )
    event = f"/hackathons/{key}"
    suffix = "" if javascript else "-no-js"
    page = visitor.page
    sign_in(visitor, participant)
    page.get_by_role("link", name="Hackathons").first.click()
    visitor.check("hackathons" + suffix)
    page.get_by_role("link", name=title, exact=True).click()
    visitor.check("hackathon" + suffix)
    page.get_by_role("button", name=f"Sign up to {title}").click()
    page.get_by_label("Your first choice of challenge").select_option(label="Explain a decision")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_contain_text("Consent is needed")
    visitor.check("sign-up-error" + suffix)
    page.get_by_label(re.compile("I consent")).check()
    page.get_by_label(re.compile("Show my name")).check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("#my-sign-up")).to_contain_text("You have signed up")

    page.context.clear_cookies()
    sign_in(visitor, organiser, ("Programme admin",))
    visitor.open("/hackathons/new")
    visitor.check("hackathon-new" + suffix)
    visitor.open(f"{event}/teams")
    page.get_by_role("button", name="Form the teams").click()
    expect(page.locator("#isolation")).to_contain_text("no one is the only member")
    visitor.check("teams-organiser" + suffix)
    visitor.open(event)
    visitor.check("hackathon-organiser" + suffix)
    page.get_by_role("button", name="Publish teams").click()
    page.get_by_role("button", name="Open submissions").click()
    expect(page.locator("#hackathon-state")).to_contain_text("Submissions open")

    page.context.clear_cookies()
    sign_in(visitor, participant)
    visitor.open(event)
    page.get_by_role("link", name="See your team").click()
    visitor.check("team" + suffix)
    page.get_by_label("Title").fill("Plain letters")
    page.get_by_label("Summary").fill("Explains each automated decision in plain English.")
    page.get_by_label("Link 1: label").fill("Code")
    page.get_by_label("Link 1: address").fill("https://example.org/plain-letters")
    page.get_by_role("button", name="Save the submission").click()
    expect(page.locator("#submission")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Plain letters")
    team = page.url

    page.context.clear_cookies()
    sign_in(visitor, organiser, ("Programme admin",))
    visitor.open(event)
    page.get_by_role("button", name="Start judging").click()
    visitor.open(team)
    for label, points in (
        ("Impact on the challenge", "8"),
        ("Could be built and run", "6"),
        ("Responsible and ethical use of AI", "9"),
        ("Clear presentation", "4"),
    ):
        page.get_by_label(re.compile(label)).fill(points)
    visitor.check("team-judge" + suffix)
    page.get_by_role("button", name="Save scores").click()
    visitor.open(event)
    page.get_by_role("button", name="Publish results").click()
    expect(page.locator("#hackathon-state")).to_contain_text("Results published")

    page.context.clear_cookies()
    visitor.open(f"{event}/results")
    expect(page.get_by_role("main")).to_contain_text("Plain letters")
    visitor.check("results-public" + suffix)
