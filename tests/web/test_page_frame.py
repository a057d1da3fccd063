"""The kept breadcrumb trails and chrome are GOV.UK's macros' output (the chrome in ASCII)."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape
from starlette.requests import Request

from mobilise.core.framework import SkillLevel
from mobilise.services.actors import Actor, Role
from mobilise.web.page_frame import Breadcrumbs, Chrome, ascii_html
from mobilise.web.templating import level_label, make_environment

ENVIRONMENT = make_environment()
MACRO = ENVIRONMENT.from_string(
    '{% from "govuk_frontend_jinja/components/breadcrumbs/macro.html" import govukBreadcrumbs %}'
    '{{ govukBreadcrumbs({"items": items, "collapseOnMobile": true}) }}'
)

words = st.text(min_size=1, max_size=10)
items = st.one_of(
    st.fixed_dictionaries({"text": words, "href": words}),
    st.fixed_dictionaries({"text": words}),  # the current page: no link
    st.fixed_dictionaries({"html": words.map(Markup), "href": words}),
    st.fixed_dictionaries({"text": words, "href": words, "attributes": st.just({"lang": "cy"})}),
)


@given(trail=st.lists(items, max_size=4))
def test_the_same_html_as_the_macro_every_time(trail: list[dict[str, Any]]) -> None:
    kept = Breadcrumbs(ENVIRONMENT)
    expected = MACRO.render(items=trail)

    assert kept(trail) == expected
    assert kept(trail) == expected  # kept, or (with attributes) rendered afresh


def test_text_and_html_of_the_same_characters_are_kept_apart() -> None:
    kept = Breadcrumbs(ENVIRONMENT)

    as_text = kept([{"text": "<b>Team</b>", "href": "/team"}])
    as_html = kept([{"text": Markup("<b>Team</b>"), "href": "/team"}])

    assert "&lt;b&gt;Team&lt;/b&gt;" in as_text
    assert "<b>Team</b>" in as_html


@given(text=st.text(max_size=30))
def test_ascii_html_writes_only_characters_beyond_ascii_as_references(text: str) -> None:
    html = escape(text)  # as a template would write the text

    converted = ascii_html(html)

    assert isinstance(converted, Markup)
    assert unescape(converted) == text
    assert converted.isascii() or any(0x80 <= ord(c) <= 0x9F for c in text)
    if html.isascii():
        assert converted == html


def test_the_chrome_is_what_chrome_html_renders_in_ascii() -> None:
    module: Any = ENVIRONMENT.get_template("chrome.html").module
    chrome = Chrome(ENVIRONMENT)

    assert chrome.footer == ascii_html(module.footer)
    assert "&#169; Crown copyright" in chrome.footer
    assert chrome.header == module.header
    assert 'class="govuk-header"' in chrome.header
    assert 'href="#main-content"' in chrome.skip_link
    assert "govuk-phase-banner" in chrome.phase_banner
    assert "govuk-footer" in chrome.footer


def test_level_labels_are_the_levels_names() -> None:
    for level in SkillLevel:
        assert level_label(level) == level_label(int(level)) == level.name.capitalize()
    assert level_label(None) == ""
    with pytest.raises(ValueError, match="not a valid SkillLevel"):
        level_label(9)


def test_the_readers_part_escapes_their_name_and_carries_their_csrf_token() -> None:
    part = ENVIRONMENT.from_string("{{ account_part() }}")
    request = Request({"type": "http", "session": {"csrf": "the-token"}})
    eve = Actor(1, "<b>Eve</b>", person_id=1, roles=frozenset({Role.PERSON}))

    signed_in = part.render(actor=eve, request=request)
    visitor = part.render(actor=None, request=Request({"type": "http", "session": {}}))

    assert "&lt;b&gt;Eve&lt;/b&gt;" in signed_in
    assert 'name="csrf_token" value="the-token"' in signed_in
    assert 'action="/sign-out"' in signed_in
    assert 'href="/sign-in"' in visitor
    assert "csrf_token" not in visitor
