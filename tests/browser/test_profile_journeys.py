"""Issue 4's journeys in the browser: career and pathway, self-assessment, the manager's
validation queue and team heatmap; every page on the way is checked with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DemoPeople
from tests.browser.visitor import Visitor, sign_in

pytestmark = pytest.mark.browser


def test_a_person_explores_their_career_and_assesses_a_skill(
    visitor: Visitor, demo_people: DemoPeople
) -> None:
    page = visitor.page
    person = demo_people.report
    sign_in(visitor, person.key)
    page.get_by_role("link", name="Gaps to role levels and career paths").click()
    expect(page).to_have_url(re.compile(r"/career$"))
    visitor.check("career")
    page.locator("#nearest").locator("xpath=following::table[1]//a").first.click()
    expect(page).to_have_url(re.compile(r"/career\?target="))
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Gap to")
    visitor.check("career-gap")
    learning = page.get_by_role("link", name=re.compile("See the learning"))
    if learning.count():
        learning.click()
        expect(page).to_have_url(re.compile(r"/pathway\?target="))
        visitor.check("pathway")

    visitor.open("/me/assess")
    page.get_by_role("button", name="Save assessment").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Select a skill")
    visitor.check("assess-error")
    visitor.follow_error_link(summary.get_by_role("link").first, "skill")
    page.get_by_label("Skill").select_option(index=1)
    page.get_by_label("Practitioner").check()
    page.get_by_label("Evidence", exact=True).fill("Led the data migration.")
    page.get_by_role("button", name="Save assessment").click()
    expect(page).to_have_url(re.compile(rf"/people/{re.escape(person.key)}"))
    expect(page.get_by_role("main")).to_contain_text("Led the data migration.")
    visitor.check("profile-after-assessment")


def test_a_manager_validates_and_sees_their_team(visitor: Visitor, demo_people: DemoPeople) -> None:
    page = visitor.page
    sign_in(visitor, demo_people.manager.key)
    page.get_by_role("link", name="Validation").click()
    expect(page).to_have_url(re.compile(r"/validation$"))
    visitor.check("validation")
    page.get_by_role("link", name="Team", exact=True).click()
    expect(page).to_have_url(re.compile(r"/team$"))
    visitor.check("team")
    page.get_by_role("link", name="Show your whole reporting line").click()
    visitor.check("team-line")
    visitor.open("/learning")
    visitor.check("learning")
