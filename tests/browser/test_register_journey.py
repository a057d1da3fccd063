"""The public AI register in the browser: search by words, filter by a facet and an
organisation, open a record, and go on to a similar project; every page checked with axe-core,
with and without JavaScript (the search form is a plain GET form)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mobilise.services.register_transfer import import_register
from tests.browser.conftest import LiveServer
from tests.browser.visitor import Visitor

pytestmark = pytest.mark.browser
OURS = "barnet-browser-parking-chatbot"


@pytest.fixture(scope="module")
def register(live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The shipped published records (as `make run` loads them), and one with a function facet,
    which the published records lack."""
    import_register(live_server.engine)
    directory = tmp_path_factory.mktemp("register")
    (directory / f"{OURS}.json").write_text(
        json.dumps(
            {
                "title": "Parking permit chatbot",
                "summary": "A chatbot answers residents' questions about parking permits.",
                "description": "A webchat chatbot on the council website answers residents' "
                "questions about parking permits and renewals, and hands over to an adviser.",
                "organisation": "Barnet Council",
                "function": ["general-public-services"],
            }
        ),
        encoding="utf-8",
    )
    import_register(live_server.engine, Path(directory))


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_search_filter_record_and_similar_project(
    register: None, request: pytest.FixtureRequest, javascript: bool
) -> None:
    reader: Visitor = request.getfixturevalue(
        "visitor" if javascript else "visitor_without_javascript"
    )
    page = reader.page
    suffix = "" if javascript else "-no-js"
    reader.open("/register")
    reader.check("register" + suffix)

    page.get_by_label("Search words").fill("chatbot")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Parking permit chatbot")).to_be_visible()
    reader.check("register-search" + suffix)

    page.get_by_label("Organisation").select_option(value="london-borough-of-barnet")
    page.get_by_label("General public services").check()
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#register-count")).to_have_text("1 project.")
    reader.check("register-filtered" + suffix)

    page.get_by_role("link", name="Parking permit chatbot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parking permit chatbot")
    reader.check("register-record" + suffix)

    similar = page.locator('ol[aria-labelledby="similar"] > li > a').first
    title = similar.inner_text()
    assert "chat" in title.lower()  # the most similar project is another chatbot
    similar.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    reader.check("register-similar" + suffix)
