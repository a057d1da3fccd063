"""Every public page, as Chromium renders it: 0 serious or critical axe-core violations of
WCAG 2.2 AA, no script or console errors, nothing failing to load; a screenshot of each is saved
in var/screenshots."""

from __future__ import annotations

import pytest

from tests.browser.visitor import Visitor

pytestmark = pytest.mark.browser

PAGES = [
    ("home", "/", 200),
    ("about", "/about", 200),
    ("about-skills", "/about/skills", 200),
    ("framework", "/framework", 200),
    ("role", "/framework/roles/business-architect", 200),
    ("role-without-levels", "/framework/roles/chief-data-officer", 200),
    ("role-level", "/framework/role-levels/lead-business-architect", 200),
    ("skills", "/framework/skills", 200),
    ("skill", "/framework/skills/accessibility", 200),
    ("search-empty", "/framework/search", 200),
    ("search-results", "/framework/search?q=data", 200),
    ("search-results-page-2", "/framework/search?q=data&page=2", 200),
    ("search-no-results", "/framework/search?q=quantum+basket+weaving", 200),
    ("compare", "/framework/compare", 200),
    (
        "compare-results",
        "/framework/compare?a=trainee-business-architect&b=lead-business-architect",
        200,
    ),
    ("compare-error", "/framework/compare?a=trainee-business-architect", 400),
    ("problem-type", "/problems/not-found", 200),
    ("not-found", "/no-such-page", 404),
    ("role-not-found", "/framework/roles/no-such-role", 404),
]


@pytest.mark.parametrize(("name", "path", "status"), PAGES, ids=[name for name, _, _ in PAGES])
def test_page_is_accessible(visitor: Visitor, name: str, path: str, status: int) -> None:
    visitor.open(path, status)

    visitor.check(name)


def test_narrow_screen_pages_are_accessible(visitor: Visitor) -> None:
    # A phone-sized window: the service navigation collapses behind its menu button.
    visitor.page.set_viewport_size({"width": 375, "height": 740})
    visitor.open("/framework/role-levels/lead-business-architect")
    visitor.check("role-level-narrow")
    menu = visitor.page.get_by_role("button", name="Menu")
    menu.click()
    visitor.page.get_by_role("link", name="Search").wait_for()
    visitor.check("role-level-narrow-menu-open")


# Elements reaching past the right edge of the window, other than data tables, which WCAG 1.4.10
# (Reflow) lets scroll sideways because their meaning needs two dimensions.
OVERFLOWING = """() => [...document.body.querySelectorAll("*")]
    .filter((e) => !e.closest("table") && e.getBoundingClientRect().right > window.innerWidth + 1)
    .map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + "." + e.className)"""


def test_pages_reflow_in_a_window_320_pixels_wide(visitor: Visitor) -> None:
    visitor.page.set_viewport_size({"width": 320, "height": 640})
    overflowing = {}
    for _, path, status in PAGES:
        visitor.open(path, status)
        if found := visitor.page.evaluate(OVERFLOWING):
            overflowing[path] = found[:5]

    assert overflowing == {}
