"""People outside government in the browser, with and without JavaScript, every page checked
with axe-core: a newcomer creates their account (errors first), lands on their profile, asks to be
told when a job family's cohorts open (errors first) and stops."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.visitor import Visitor

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_newcomer_joins(request: pytest.FixtureRequest, javascript: bool) -> None:
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
