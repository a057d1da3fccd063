"""Your data in the browser: a person opens their data page, corrects their name (a mistake
first, shown in the error summary), withdraws consent for sensitive information and asks to be
erased; their organisation's admin approves it on the requests page. Every page is checked with
axe-core, with and without JavaScript."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mobilise.store.database import reading, transaction
from mobilise.store.models import ErasureRequest, Person, SensitiveAttributes
from tests.browser.conftest import DemoPeople, LiveServer
from tests.browser.visitor import Visitor, sign_in

pytestmark = pytest.mark.browser


def _new_person(live_server: LiveServer, demo_people: DemoPeople, key: str) -> None:
    """A person of their own (erasing one of the shared demo people would change other tests)."""
    with transaction(live_server.engine) as session:
        manager = session.scalars(select(Person).where(Person.key == demo_people.manager.key)).one()
        person = Person(
            key=key,
            display_name="Browser Erasable",
            email=f"{key}@example.gov.uk",
            organisation_id=manager.organisation_id,
        )
        session.add(person)
        session.flush()
        session.add(
            SensitiveAttributes(
                person_id=person.id, consent=True, consented_on=date(2025, 1, 1), sex="Female"
            )
        )


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_correct_withdraw_and_be_erased(
    live_server: LiveServer,
    demo_people: DemoPeople,
    request: pytest.FixtureRequest,
    javascript: bool,
) -> None:
    visitor: Visitor = request.getfixturevalue(
        "visitor" if javascript else "visitor_without_javascript"
    )
    page = visitor.page
    suffix = "" if javascript else "-no-js"
    key = f"browser-erasable{suffix}"
    _new_person(live_server, demo_people, key)

    sign_in(visitor, key)
    visitor.open("/me/data")
    visitor.check("my-data" + suffix)
    page.get_by_role("link", name="Your name and email address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct your name and email address")
    visitor.check("my-data-details" + suffix)
    page.get_by_label("Your name").fill("")
    page.get_by_role("button", name="Save your details").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Your name must be given")
    visitor.check("my-data-details-error" + suffix)
    page.get_by_label("Your name").fill("Browser Corrected")
    page.get_by_role("button", name="Save your details").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("corrected")

    page.get_by_role("button", name="Withdraw consent and delete it").click()
    expect(page.locator("#consent ~ p").first).to_contain_text("We hold no sensitive information")
    page.get_by_label("Why (optional)").fill("Moving on")
    page.get_by_role("button", name="Ask to be erased").click()
    expect(page.get_by_role("button", name="Cancel your request")).to_be_visible()
    visitor.check("my-data-pending" + suffix)

    page.context.clear_cookies()
    sign_in(visitor, demo_people.manager.key, ("Organisation admin",))
    visitor.open("/erasure-requests")
    expect(page.get_by_role("heading", name="Browser Corrected")).to_be_visible()
    visitor.check("erasure-requests" + suffix)
    page.get_by_role("button", name="Approve and erase Browser Corrected").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The person was erased")
    visitor.check("erasure-requests-done" + suffix)
    with reading(live_server.engine) as session:
        assert session.scalar(select(Person).where(Person.key == key)) is None
        states = session.scalars(select(ErasureRequest.state)).all()
        assert "erased" in states
