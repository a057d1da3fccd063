"""The checks themselves fail when they should: a page with a serious axe violation, a script
error, or a stylesheet that does not load is refused (pages served by the test, not the app)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Route

from tests.browser.visitor import Visitor

pytestmark = pytest.mark.browser

PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>A test page</title>{head}</head>
<body><main><h1>A test page</h1>{body}</main></body></html>"""


def _serve(visitor: Visitor, path: str, html: str) -> None:
    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=html)

    visitor.page.route(f"**{path}", fulfil)


def test_a_clean_page_passes(visitor: Visitor) -> None:
    _serve(visitor, "/test-clean", PAGE.format(head="", body="<p>Nothing wrong here.</p>"))
    visitor.open("/test-clean")

    visitor.check()

    assert visitor.checked == [visitor.page.url]


def test_a_serious_violation_fails_naming_rule_and_nodes(visitor: Visitor) -> None:
    body = '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="unlabelled">'
    _serve(visitor, "/test-axe", PAGE.format(head="", body=body))
    visitor.open("/test-axe")

    with pytest.raises(AssertionError) as failure:
        visitor.check()

    message = str(failure.value)
    assert "critical: image-alt: Images must have alternative text" in message
    assert '["#unlabelled"]' in message


def test_a_script_error_fails(visitor: Visitor) -> None:
    body = "<script>null.boom()</script>"
    _serve(visitor, "/test-script", PAGE.format(head="", body=body))
    visitor.open("/test-script")

    with pytest.raises(AssertionError, match=r"script error: .*null"):
        visitor.check()


def test_a_missing_stylesheet_or_image_fails(visitor: Visitor) -> None:
    head = '<link rel="stylesheet" href="/static/no-such.css">'
    body = '<img src="/static/no-such.png" alt="A picture">'
    _serve(visitor, "/test-missing", PAGE.format(head=head, body=body))
    visitor.open("/test-missing")

    with pytest.raises(AssertionError) as failure:
        visitor.check()

    # The app's 404 page is HTML, so nosniff makes Chromium refuse it as a stylesheet (a console
    # error) before any response event; the image's 404 arrives as a response.
    assert "Refused to apply style from 'http" in str(failure.value)
    assert "404 for http" in str(failure.value)
    assert "/static/no-such.png" in str(failure.value)
