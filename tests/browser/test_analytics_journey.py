"""Issue 10 in the browser: an analyst walks the dashboards and a target, with and without
JavaScript; every page on the way is checked with axe-core and screenshotted."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DemoPeople
from tests.browser.visitor import Visitor, sign_in

pytestmark = pytest.mark.browser


def test_an_analyst_walks_the_dashboards_and_a_target(
    visitor: Visitor, demo_people: DemoPeople
) -> None:
    page = visitor.page
    sign_in(visitor, demo_people.report.key, ("Analyst",))
    page.get_by_role("link", name="Analytics", exact=True).click()
    expect(page).to_have_url(re.compile(r"/analytics$"))
    visitor.check("analytics")
    page.get_by_role("link", name="People in DDaT roles by organisation").click()
    expect(
        page.get_by_role("img", name=re.compile("Share of people in DDaT roles"))
    ).to_be_visible()
    expect(page.locator("#headcount-table")).to_be_visible()
    visitor.check("analytics-headcount")
    page.get_by_label("Break down by").select_option("grade")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"by=grade"))
    expect(page.locator("#headcount-table")).to_contain_text("G7")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this table as CSV").click()
    assert download.value.suggested_filename == "headcount-by-grade.csv"

    visitor.open("/analytics/skills")
    expect(page.locator("#skills-table")).to_be_visible()
    visitor.check("analytics-skills")

    visitor.open("/analytics/targets")
    visitor.check("analytics-targets")
    page.get_by_role("link", name=re.compile("1 in 10 civil servants")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("1 in 10")
    expect(page.locator("#trajectory-table")).to_be_visible()
    # 200 people: about ten in DDaT roles, moving by one or two a month, so every change between
    # months is below the threshold and only the latest month is published (docs/disclosure.md):
    # too little to project from, and the page says so.
    expect(page.get_by_text("No projection yet.")).to_be_visible()
    visitor.check("analytics-target")

    visitor.open("/analytics/programmes")
    expect(page.locator("#funnel-table")).to_be_visible()
    expect(page.locator("#spread-table")).to_be_visible()
    visitor.check("analytics-programmes")


def test_the_dashboards_work_without_javascript(
    visitor_without_javascript: Visitor, demo_people: DemoPeople
) -> None:
    visitor = visitor_without_javascript
    page = visitor.page
    sign_in(visitor, demo_people.report.key, ("Analyst",))
    visitor.open("/analytics/headcount?by=organisation")
    page.get_by_label("Break down by").select_option("age_band")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"by=age_band"))
    expect(page.get_by_role("main")).to_contain_text("consented")
    visitor.check()
