"""Issue 6's journey in the browser: paste a CV, confirm a suggested skill at a level, see it on
the profile; every page on the way is checked with axe-core, with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mobilise.services.skill_crosswalk import import_reviews, shipped_reviews_file
from mobilise.services.skill_inference import inferencer_for
from tests.browser.conftest import DemoPeople, LiveServer
from tests.browser.visitor import Visitor, sign_in
from tests.support.skill_texts import CV

pytestmark = pytest.mark.browser


def _journey(visitor: Visitor, live_server: LiveServer, demo_people: DemoPeople, name: str) -> None:
    import_reviews(live_server.engine, None, shipped_reviews_file())
    # The server runs in this process: build the ESCO inferencer now (half a minute on a busy
    # machine), so that the page's first reading is not timed against it.
    inferencer_for("esco")
    page = visitor.page
    person = demo_people.report
    sign_in(visitor, person.key)
    visitor.open(f"/people/{person.key}")
    page.get_by_role("link", name="Find skills in your CV").click()
    expect(page).to_have_url(re.compile(r"/me/skills/from-text$"))
    visitor.check(f"{name}-paste")

    page.get_by_role("button", name="Find skills").click()
    expect(page.get_by_role("alert")).to_contain_text("is empty")
    visitor.check(f"{name}-paste-error")

    page.get_by_label("Your CV or summary").fill(CV)
    page.get_by_role("button", name="Find skills").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skills found in your text")
    expect(page.locator("mark").first).to_be_visible()
    visitor.check(f"{name}-suggestions")

    box = page.locator("input[name=skill]:not([disabled])").first
    box_id = box.get_attribute("id")
    skill = page.locator(f"label[for='{box_id}']").inner_text().split(" (")[0]
    box.check()
    page.locator(f"#level-{box_id.removeprefix('skill-') if box_id else ''}").select_option("3")
    page.get_by_label("Forget them").check()
    page.get_by_role("button", name="Save to my profile").click()

    expect(page).to_have_url(re.compile(rf"/people/{re.escape(person.key)}"))
    row = page.locator("#skills ~ table tr", has_text=skill).first
    expect(row).to_contain_text("Practitioner")
    expect(row).to_contain_text("Inferred from your CV")
    visitor.check(f"{name}-profile")


def test_a_person_finds_skills_in_their_cv_and_confirms_one(
    visitor: Visitor, live_server: LiveServer, demo_people: DemoPeople
) -> None:
    _journey(visitor, live_server, demo_people, "skills")


def test_the_same_journey_works_without_javascript(
    visitor_without_javascript: Visitor, live_server: LiveServer, demo_people: DemoPeople
) -> None:
    _journey(visitor_without_javascript, live_server, demo_people, "skills-no-js")
