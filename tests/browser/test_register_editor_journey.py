"""Issue 9's team journey in the browser: register a project (the most similar published
projects shown first), write the ATRS record in the task list (a field refused, then fixed),
publishing refused with the missing fields named, the record completed, preview, publish, the
public page; and the data-ethics self-assessment. Every page checked with axe-core, with and
without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mobilise.core.register.registration import ProjectDetails
from mobilise.services.accounts import development_sign_in
from mobilise.services.register_editing import register_project, save_section
from mobilise.services.register_transfer import import_register
from tests.browser.conftest import DemoPeople, LiveServer
from tests.browser.visitor import Visitor, sign_in
from tests.support.atrs_answers import complete_answers

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def register(live_server: LiveServer) -> None:
    import_register(live_server.engine)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_register_write_publish_and_assess_a_project(
    register: None,
    live_server: LiveServer,
    demo_people: DemoPeople,
    request: pytest.FixtureRequest,
    javascript: bool,
) -> None:
    team: Visitor = request.getfixturevalue(
        "visitor" if javascript else "visitor_without_javascript"
    )
    suffix = "" if javascript else "-no-js"
    title = f"Webchat assistant for parking permits{suffix}"
    page = team.page
    sign_in(team, demo_people.report.key)

    team.open("/register")
    page.get_by_role("link", name="Register a project or challenge").click()
    team.check("register-new" + suffix)
    page.get_by_label("Title").fill(title)
    page.get_by_label("A project: a tool the team is building or running").check()
    page.get_by_label("Beta or pilot").check()
    page.get_by_label("Description").fill(
        "A chatbot on the council website answers residents' questions about parking "
        "permits and renewals, and hands over to an adviser."
    )
    page.get_by_label("Links (optional)").fill(
        "Repository | https://github.com/example/permits\nService | https://www.gov.uk/permits"
    )
    page.get_by_role("button", name="Continue").click()

    # The most similar published projects, with why, before the team commits.
    expect(page.get_by_role("heading", level=1)).to_have_text("Projects like yours")
    assert page.locator("#similar-projects > li").count() == 5
    expect(page.locator("#similar-projects")).to_contain_text("Why: they share")
    team.check("register-similar" + suffix)
    page.get_by_role("button", name="Register it").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    key = page.url.split("/")[-2]
    # Both links survived the confirmation step's hidden fields, one a line.
    expect(page.get_by_role("link", name="Repository")).to_be_visible()
    expect(page.get_by_role("link", name="Service", exact=True)).to_be_visible()
    team.check("register-task-list" + suffix)

    page.get_by_role("link", name="Summary (tier 1)").click()
    page.get_by_label("4 Contact email").fill("not an email")
    page.get_by_label("Yes, I have completed this section").check()
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Contact email must be an email address")
    team.check("register-section-error" + suffix)
    team.follow_error_link(summary.get_by_role("link").first, "contact_email")
    page.get_by_label("4 Contact email").fill("permits@example.gov.uk")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#section-summary-status")).to_have_text("Completed")

    page.get_by_role("button", name="Publish the record").click()
    refused = page.locator(".govuk-error-summary")
    expect(refused).to_contain_text("Publishing needs every required field")
    expect(refused).to_contain_text("Senior responsible owner")
    team.check("register-publish-refused" + suffix)

    # The rest of the record as the team would write it through the API (section by section).
    engine = live_server.engine
    actor = development_sign_in(engine, demo_people.report.key, [])
    answers = complete_answers()
    answers["metadata"]["title"] = answers["summary"]["name"] = title
    answers["summary"]["contact_email"] = "permits@example.gov.uk"
    answers["summary"]["description"] = "A chatbot answers residents' parking permit questions."
    for slug, values in answers.items():
        assert save_section(engine, actor, key, slug, values, complete=True) == [], slug

    team.open(f"/register/{key}/edit/details")
    team.check("register-details" + suffix)
    page.get_by_label("Users (optional)").fill("Residents who park in the borough")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#publish-missing")).to_contain_text("Every required field is answered")

    page.get_by_role("link", name="Preview the published record").click()
    expect(page.locator("#preview-title")).to_have_text("Preview")
    team.check("register-preview" + suffix)
    page.get_by_role("link", name="Back to the task list").click()

    page.get_by_role("link", name="Start the self-assessment").click()
    team.check("register-ethics" + suffix)
    page.get_by_label("Notes on transparency: public benefit and user need").fill(
        "User research with residents and the parking team."
    )
    page.locator("#transparency-public-benefit-and-user-need-score-3").check()
    page.locator("#fairness-data-quality-and-limitations-score-1").check()
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator("#ethics-state")).to_contain_text("1 of 15 answered")
    expect(page.locator("#ethics-state")).to_contain_text("In progress")

    page.get_by_role("button", name="Publish the record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page).to_have_url(re.compile(f"/register/{key}$"))
    team.check("register-published" + suffix)

    # Signed out, anyone finds it in the public register.
    page.context.clear_cookies()
    team.open("/register")
    page.get_by_label("Search words").fill("webchat assistant parking")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("Draft", exact=True)).to_have_count(0)
    team.check("register-public" + suffix)


def test_a_published_record_is_public_and_a_draft_is_not(
    register: None, live_server: LiveServer, demo_people: DemoPeople, visitor: Visitor
) -> None:
    engine = live_server.engine
    actor = development_sign_in(engine, demo_people.report.key, [])
    key = register_project(
        engine, actor, ProjectDetails("Draft tool", "challenge", "idea", "Still an idea.")
    )
    visitor.open(f"/register/{key}", status=404)
    visitor.check("register-draft-hidden")
