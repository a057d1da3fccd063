"""The kept breadcrumb trails and chrome are GOV.UK's macros' output."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from mobilise.web.page_frame import Breadcrumbs, Chrome
from mobilise.web.templating import make_environment

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


def test_the_chrome_is_what_chrome_html_renders() -> None:
    module: Any = ENVIRONMENT.get_template("chrome.html").module
    chrome = Chrome(ENVIRONMENT)

    assert chrome.header == module.header
    assert 'class="govuk-header"' in chrome.header
    assert 'href="#main-content"' in chrome.skip_link
    assert "govuk-phase-banner" in chrome.phase_banner
    assert "govuk-footer" in chrome.footer
