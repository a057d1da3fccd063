"""Issue 6's product pages in the browser: a service admin confirms a learning item's skill tag
and the item then teaches its framework skills; an opportunity's owner asks for suggested required
skills while writing one. Every page on the way is checked with axe-core, with and without
JavaScript."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import Engine

from mobilise.services.skill_crosswalk import import_reviews, shipped_reviews_file
from mobilise.services.skill_inference import inferencer_for
from mobilise.store.database import transaction
from mobilise.store.models import LearningItem, LearningItemTag
from tests.browser.conftest import DemoPeople, LiveServer
from tests.browser.visitor import Visitor, sign_in
from tests.support.learning_tags import PYTHON

pytestmark = pytest.mark.browser
DESCRIPTION = "Write Python (computer programming) scripts to clean survey data."


def _tagged_item(engine: Engine, key: str) -> None:
    """An item with one tag, written directly: tagging the whole demo catalogue is not the point."""
    import_reviews(engine, None, shipped_reviews_file())
    title = "Python for survey data"
    start = len(title) + 2 + DESCRIPTION.index("Python")
    with transaction(engine) as session:
        item = LearningItem(
            key=key,
            title=title,
            provider="Made up here",
            format="course",
            hours=Decimal("3"),
            description=DESCRIPTION,
        )
        session.add(item)
        session.flush()
        session.add(
            LearningItemTag(
                item_id=item.id,
                esco_key=PYTHON,
                esco_label="Python (computer programming)",
                score=0.9,
                span_start=start,
                span_end=start + len("Python (computer programming)"),
                tagged_at=datetime.now(UTC),
            )
        )


def _journey(visitor: Visitor, live_server: LiveServer, demo_people: DemoPeople, name: str) -> None:
    key = f"browser-python-{name}"
    _tagged_item(live_server.engine, key)
    page = visitor.page
    visitor.open(f"/learning/{key}")
    expect(page.locator("#skill-tags")).to_be_visible()
    visitor.check(f"{name}-learning-tags-public")

    sign_in(visitor, demo_people.report.key, ("Service admin",))
    visitor.open(f"/learning/{key}")
    page.get_by_label("Teaches to").select_option("3")
    page.get_by_role("button", name="Confirm Python (computer programming)").click()
    expect(page.locator("#skill-tags ~ table")).to_contain_text("Confirmed")
    expect(page.locator("#teaches ~ ul").first).to_contain_text("to practitioner")
    visitor.check(f"{name}-learning-tags-confirmed")


def test_a_service_admin_confirms_a_learning_items_tag(
    visitor: Visitor, live_server: LiveServer, demo_people: DemoPeople
) -> None:
    _journey(visitor, live_server, demo_people, "tags")


def test_the_same_review_works_without_javascript(
    visitor_without_javascript: Visitor, live_server: LiveServer, demo_people: DemoPeople
) -> None:
    _journey(visitor_without_javascript, live_server, demo_people, "tags-no-js")


def test_an_owner_asks_for_suggested_skills_while_writing_an_opportunity(
    visitor_without_javascript: Visitor, live_server: LiveServer, demo_people: DemoPeople
) -> None:
    import_reviews(live_server.engine, None, shipped_reviews_file())
    inferencer_for("esco")  # built now, so the page's first reading is not timed against it
    visitor = visitor_without_javascript
    page = visitor.page
    sign_in(visitor, demo_people.manager.key, ("Programme admin",))
    visitor.open("/opportunities/new")
    page.get_by_label("Title").fill("Survey data engineer")
    page.get_by_label("What it involves").fill(DESCRIPTION + " Create data models.")
    page.get_by_role("button", name="Suggest required skills from the description").click()
    expect(page.locator("#suggested-skills")).to_be_visible()
    expect(page.get_by_label("What it involves")).to_have_value(
        DESCRIPTION + " Create data models."
    )
    visitor.check("opportunity-suggested-skills")
