"""The guidance hub and the search across guidance, the register and learning in the browser:
filter the hub, open replaced guidance and follow it to its replacement, search all three
together and page on (with and without JavaScript: plain GET forms), and a service admin adding
guidance through the form, errors first; every page checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mobilise.services.guidance import seed_guidance
from mobilise.services.register_transfer import import_register
from tests.browser.conftest import DemoPeople, LiveServer
from tests.browser.visitor import Visitor, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def library(live_server: LiveServer) -> None:
    import_register(live_server.engine)
    seed_guidance(live_server.engine)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_hub_replaced_guidance_and_search(
    library: None, request: pytest.FixtureRequest, javascript: bool
) -> None:
    reader: Visitor = request.getfixturevalue(
        "visitor" if javascript else "visitor_without_javascript"
    )
    page = reader.page
    suffix = "" if javascript else "-no-js"
    reader.open("/guidance")
    reader.check("guidance" + suffix)

    page.get_by_label("Project phase").select_option(value="retired")
    page.get_by_role("button", name="Filter").click()
    expect(
        page.get_by_role("link", name="Algorithmic Transparency Recording Standard")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Guidelines for AI procurement")).to_have_count(0)
    reader.check("guidance-filtered" + suffix)

    reader.open("/guidance/generative-ai-framework-for-hmg")
    reader.check("guidance-replaced" + suffix)
    page.get_by_role("link", name="AI Playbook for the UK Government").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("AI Playbook for the UK Government")
    reader.check("guidance-item" + suffix)

    reader.open("/search")
    reader.check("site-search" + suffix)
    page.get_by_label("Search words").fill("data ethics framework")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("ol.govuk-list > li h2 a").first).to_have_text("Data Ethics Framework")
    reader.check("site-search-results" + suffix)
    page.get_by_label("Search words").fill("data tool model service")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_role("status")).to_contain_text("page 2 of")
    reader.check("site-search-page-2" + suffix)


def test_a_service_admin_adds_guidance(
    library: None, visitor: Visitor, demo_people: DemoPeople
) -> None:
    page = visitor.page
    sign_in(visitor, demo_people.report.key, ("Service admin",))
    visitor.open("/guidance/new")
    visitor.check("guidance-new")
    page.get_by_role("button", name="Add guidance").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    visitor.check("guidance-new-errors")

    page.get_by_label("Key").fill("browser-chatbot-testing")
    page.get_by_label("Title").fill("Testing chatbots before launch")
    page.get_by_label("Publisher").fill("Example Department")
    page.get_by_label("Link").fill("https://www.gov.uk/guidance/testing-chatbots")
    page.get_by_label("Summary").fill("How to test a chatbot with real users first.")
    page.get_by_label("Date published").fill("2026-01-05")
    page.get_by_label("Beta or pilot").check()
    page.get_by_label("Projects").check()
    page.get_by_role("button", name="Add guidance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Testing chatbots before launch")
    visitor.check("guidance-added")
