"""The main journeys, by clicking links and filling forms as a person would, with and without
JavaScript; every page on the way is checked with axe-core (tests/browser/visitor.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DemoPeople
from tests.browser.visitor import Visitor, sign_in

pytestmark = pytest.mark.browser


def _shot(prefix: str | None, name: str) -> str | None:
    """A screenshot name, or None where the public page tests keep the same page already."""
    return None if prefix is None else f"{prefix}-{name}"


def _heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def _browse_framework(visitor: Visitor, prefix: str | None) -> None:
    """Home → framework → role → role level → skill, checking each page."""
    page = visitor.page
    visitor.open("/")
    visitor.check(_shot(prefix, "home"))
    page.get_by_role("link", name="Browse job families, roles and role levels").click()
    expect(page).to_have_url(re.compile(r"/framework$"))
    visitor.check(_shot(prefix, "framework"))
    page.get_by_role("link", name="Business architect", exact=True).click()
    expect(page).to_have_url(re.compile(r"/framework/roles/business-architect$"))
    assert _heading(page) == "Business architect"
    visitor.check(_shot(prefix, "role"))
    page.get_by_role("link", name="Lead business architect").first.click()
    expect(page).to_have_url(re.compile(r"/framework/role-levels/lead-business-architect$"))
    assert _heading(page) == "Lead business architect"
    visitor.check(_shot(prefix, "role-level"))
    page.get_by_role("link", name="Business architecture", exact=True).click()
    expect(page).to_have_url(re.compile(r"/framework/skills/business-architecture$"))
    assert _heading(page) == "Business architecture"
    visitor.check(_shot(prefix, "skill"))
    # Back up the breadcrumbs to the skills list.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Skills").click()
    expect(page).to_have_url(re.compile(r"/framework/skills$"))
    visitor.check(_shot(prefix, "skills"))


def _search(visitor: Visitor, prefix: str | None) -> None:
    """Search from the home page, follow a result; then a search that finds nothing."""
    page = visitor.page
    visitor.open("/")
    page.get_by_label("Role, skill or job family").fill("data engineer")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/framework/search\?q=data\+engineer"))
    expect(page).to_have_title(re.compile(r"^Search results for ‘data engineer’"))
    expect(page.locator("#results-heading")).to_contain_text("results for ‘data engineer’")
    visitor.check(_shot(prefix, "search-results"))
    # The role and its role level share the name; the role is ranked first.
    page.get_by_role("main").get_by_role("link", name="Data engineer", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/framework/roles/data-engineer$"))
    visitor.check(_shot(prefix, "search-result-role"))
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Search").click()
    visitor.check(_shot(prefix, "search"))
    page.get_by_role("main").get_by_role("searchbox").fill("quantum basket weaving")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(page.locator("#results-heading")).to_have_text("No results for ‘quantum basket weaving’")
    visitor.check(_shot(prefix, "search-no-results"))


def _compare(visitor: Visitor, prefix: str | None) -> None:
    """Compare two role levels: first forgetting one (the error summary links to the field)."""
    page = visitor.page
    visitor.open("/framework/compare")
    page.get_by_label("First role level").select_option(label="Trainee business architect")
    page.get_by_role("button", name="Compare").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Select the second role level")
    visitor.check(_shot(prefix, "compare-error"))
    visitor.follow_error_link(
        summary.get_by_role("link", name="Select the second role level"), "compare-b"
    )
    page.get_by_label("Second role level").select_option(label="Lead business architect")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("table")).to_contain_text("Business architecture")
    visitor.check(_shot(prefix, "compare-results"))


def test_browse_the_framework_by_links(visitor: Visitor) -> None:
    _browse_framework(visitor, None)


def test_search_the_framework(visitor: Visitor) -> None:
    _search(visitor, None)


def test_compare_role_levels(visitor: Visitor) -> None:
    _compare(visitor, None)


def test_every_journey_works_without_javascript(visitor_without_javascript: Visitor) -> None:
    visitor = visitor_without_javascript
    visitor.open("/")
    # GOV.UK Frontend's inline snippet adds these classes: absent, so no page script ran.
    classes = visitor.page.evaluate("document.body.className")
    assert "js-enabled" not in classes
    _browse_framework(visitor, "no-js")
    _search(visitor, "no-js")
    _compare(visitor, "no-js")


def test_a_person_signs_in_sees_their_profile_and_signs_out(
    visitor: Visitor, demo_people: DemoPeople
) -> None:
    page = visitor.page
    person = demo_people.report
    visitor.open("/")
    page.get_by_role("link", name="Sign in").click()
    visitor.check("sign-in")
    sign_in(visitor, person.key)
    expect(page).to_have_url(re.compile(rf"/people/{re.escape(person.key)}$"))
    assert _heading(page) == "Your profile"
    expect(page.get_by_role("main")).to_contain_text(person.display_name)
    visitor.check("your-profile")
    # Someone with no reports and no admin role has no People section.
    expect(page.get_by_role("link", name="People", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    # Signed out, the profile asks for sign-in again.
    visitor.open(f"/people/{person.key}")
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))


def test_a_wrong_key_is_named_in_an_error_summary(visitor: Visitor) -> None:
    page = visitor.page
    visitor.open("/sign-in")
    page.get_by_label("Person's key").fill("nobody-at-all")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("No person has the key ‘nobody-at-all’")
    visitor.check("sign-in-error")
    visitor.follow_error_link(summary.get_by_role("link").first, "person")


def test_a_line_manager_finds_their_reports(visitor: Visitor, demo_people: DemoPeople) -> None:
    page = visitor.page
    manager, report = demo_people.manager, demo_people.report
    # Asked to sign in on the way to a page, they come back to it afterwards.
    visitor.open("/people")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=%2Fpeople"))
    sign_in(visitor, manager.key)
    expect(page).to_have_url(re.compile(r"/people$"))
    assert _heading(page) == "People"
    visitor.check("people")
    page.get_by_label("Name or key").fill(report.key)
    page.get_by_role("button", name="Search").last.click()
    expect(page.locator("#people-count")).to_contain_text(f"matching ‘{report.key}’")
    visitor.check("people-search")
    page.get_by_role("link", name=report.key, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/people/{re.escape(report.key)}$"))
    assert _heading(page) == report.display_name
    expect(page.get_by_role("main")).to_contain_text(manager.display_name)
    visitor.check("person")
    page.get_by_role("link", name="Your profile").click()
    expect(page).to_have_url(re.compile(rf"/people/{re.escape(manager.key)}$"))
    visitor.check("your-profile-manager")


def test_an_organisation_admin_sees_accounts_and_the_audit_log(
    visitor: Visitor, demo_people: DemoPeople
) -> None:
    page = visitor.page
    sign_in(visitor, demo_people.manager.key, ("Organisation admin",))
    page.get_by_role("link", name="Accounts").click()
    assert _heading(page) == "Accounts"
    visitor.check("admin-accounts")
    page.get_by_role("link", name="Audit log").click()
    assert _heading(page) == "Audit log"
    visitor.check("admin-audit")


def test_signing_in_works_without_javascript(
    visitor_without_javascript: Visitor, demo_people: DemoPeople
) -> None:
    visitor = visitor_without_javascript
    page = visitor.page
    sign_in(visitor, demo_people.manager.key)
    visitor.check("no-js-your-profile")
    page.get_by_role("link", name="People", exact=True).click()
    visitor.check("no-js-people")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def _navigation_links(page: Page) -> list[tuple[str, str]]:
    menu = page.get_by_role("navigation", name="Menu").get_by_role("link")
    return [(link.inner_text().strip(), str(link.get_attribute("href"))) for link in menu.all()]


def test_every_section_in_the_navigation_is_accessible_to_someone_with_every_role(
    visitor: Visitor, demo_people: DemoPeople
) -> None:
    # A manager with every grantable role sees every section the service navigation offers;
    # sections added later are checked here without a change to this test.
    page = visitor.page
    sign_in(
        visitor,
        demo_people.manager.key,
        ("Programme admin", "Organisation admin", "Analyst", "Service admin"),
    )
    sections = _navigation_links(page)
    assert {"Your profile", "People", "Framework", "About"} <= {text for text, _ in sections}
    for text, href in sections:
        visitor.open(href)
        visitor.check("section-" + re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-"))
