"""A person at a browser: opens pages, and checks each one with axe-core and a screenshot.

Every page checked must have 0 serious or critical axe violations of WCAG 2.0, 2.1 and 2.2 A/AA,
no JavaScript errors, no console errors (a Content-Security-Policy refusal is one) and no failed
sub-resource (a stylesheet, script, font or image that did not load).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import (
    CDPSession,
    ConsoleMessage,
    Error,
    Locator,
    Page,
    Request,
    Response,
    expect,
)

VENDOR = Path(__file__).parent / "vendor"
AXE_SOURCE = (VENDOR / "axe.min.js").read_text(encoding="utf-8")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
FAILING_IMPACTS = frozenset({"serious", "critical"})
AXE_RUN = """(tags) => axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
})"""


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]

    def describe(self) -> str:
        nodes = "\n".join(f"      {target}" for target in self.targets)
        return f"  {self.impact}: {self.rule}: {self.help} ({self.help_url})\n{nodes}"


def axe_violations(page: Page) -> list[Violation]:
    """Run axe-core in the page as it stands (injected, so it needs no script the page allows)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    results: dict[str, Any] = page.evaluate(AXE_RUN, list(WCAG_TAGS))
    return [
        Violation(
            rule=item["id"],
            impact=item["impact"] or "unknown",
            help=item["help"],
            help_url=item["helpUrl"],
            targets=tuple(json.dumps(node["target"]) for node in item["nodes"]),
        )
        for item in results["violations"]
    ]


@dataclass
class Visitor:
    """One browser tab, with what went wrong in it since the last check."""

    page: Page
    # Set for a tab whose pages' scripts are switched off through the DevTools protocol.
    scripts_off: CDPSession | None = None
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._console)
        self.page.on("pageerror", self._page_error)
        self.page.on("response", self._response)
        self.page.on("requestfailed", self._request_failed)

    def _console(self, message: ConsoleMessage) -> None:
        # A failed load is reported by _response with its address; the console repeats it without.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console error: {message.text}")

    def _page_error(self, error: Error) -> None:
        self.problems.append(f"script error: {error.message}")

    def _response(self, response: Response) -> None:
        # The page itself may be an error page on purpose; what it loads may not fail.
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} for {response.url}")

    def _request_failed(self, request: Request) -> None:
        # Leaving a page cancels what it was still loading (ERR_ABORTED): that is not a fault.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def open(self, path: str, status: int = 200) -> None:
        response = self.page.goto(path)
        assert response is not None, path
        assert response.status == status, f"{path}: {response.status}, expected {status}"

    def follow_error_link(self, link: Locator, field_id: str) -> None:
        """Follow a link in an error summary to the field it names: GOV.UK Frontend's script moves
        the focus to the field; without scripts the link is a plain #fragment link."""
        link.click()
        if self.scripts_off is None:
            expect(self.page.locator(f"#{field_id}")).to_be_focused()
        else:
            expect(self.page).to_have_url(re.compile(f"#{re.escape(field_id)}$"))

    def _axe(self) -> list[Violation]:
        if self.scripts_off is None:
            return axe_violations(self.page)
        # axe.run settles its promise from timers, which never fire while scripts are off. The
        # page's own scripts were skipped as it loaded and do not run later, so switching scripts
        # on for axe alone leaves the page as a browser without JavaScript shows it.
        self.scripts_off.send("Emulation.setScriptExecutionDisabled", {"value": False})
        try:
            return axe_violations(self.page)
        finally:
            self.scripts_off.send("Emulation.setScriptExecutionDisabled", {"value": True})

    def check(self, name: str | None = None) -> None:
        """Check the page now shown: no problems while loading, no serious axe violations; then,
        if named, save a full-page screenshot to var/screenshots/<name>.png."""
        self.page.wait_for_load_state("load")
        url = self.page.url
        problems, self.problems = self.problems, []
        assert problems == [], f"{url}:\n" + "\n".join(problems)
        failing = [v for v in self._axe() if v.impact in FAILING_IMPACTS]
        assert failing == [], (
            f"axe found {len(failing)} serious or critical WCAG 2.2 AA violations on {url}:\n"
            + "\n".join(v.describe() for v in failing)
        )
        self.checked.append(url)
        if name is not None:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def sign_in(visitor: Visitor, person_key: str, roles: tuple[str, ...] = ()) -> None:
    """Sign in through the development sign-in form as a person would, ticking roles by their
    labels (e.g. "Organisation admin"); lands wherever the form sends them (their profile)."""
    page = visitor.page
    if "/sign-in" not in page.url:
        visitor.open("/sign-in")
    page.get_by_label("Person's key").fill(person_key)
    for role in roles:
        page.get_by_label(role, exact=True).check()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    assert "/sign-in" not in page.url, f"sign-in as {person_key} failed: {page.url}"
