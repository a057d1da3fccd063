"""The kept service navigation is GOV.UK's macro's output, with the reader's own part put in."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from mobilise.services.actors import Actor, Role
from mobilise.web.rendering import _navigation
from mobilise.web.service_navigation import ServiceNavigation
from mobilise.web.templating import make_environment

ENVIRONMENT = make_environment()
MACRO = ENVIRONMENT.from_string(
    '{% from "govuk_frontend_jinja/components/service-navigation/macro.html" '
    "import govukServiceNavigation %}"
    '{{ govukServiceNavigation({"serviceName": name, "serviceUrl": url, '
    '"navigation": navigation, "slots": {"navigationEnd": account}}) }}'
)

items = st.fixed_dictionaries(
    {
        "text": st.text(min_size=1, max_size=12),
        "href": st.text(min_size=1, max_size=12),
        "active": st.booleans(),
        "current": st.booleans(),
    }
)


@given(
    navigation=st.lists(items, max_size=4),
    name=st.text(max_size=12),
    account=st.text(max_size=20),
)
def test_the_same_html_as_the_macro_every_time(
    navigation: list[dict[str, Any]], name: str, account: str
) -> None:
    kept = ServiceNavigation(ENVIRONMENT)
    # The layout's account part is Markup (a rendered block); anything else would be escaped.
    part = Markup("<li>{}</li>").format(account)
    expected = MACRO.render(name=name, url="/", navigation=navigation, account=part)

    assert kept(name, "/", navigation, part) == expected
    assert kept(name, "/", navigation, part) == expected  # from the kept frame
    as_tuples = tuple((i["text"], i["href"], i["active"], i["current"]) for i in navigation)
    assert kept(name, "/", as_tuples, part) == expected  # the shape rendering.py passes


def test_each_reader_gets_their_own_part_in_a_shared_frame() -> None:
    kept = ServiceNavigation(ENVIRONMENT)
    navigation = [{"text": "Your profile", "href": "/me", "active": True, "current": False}]

    ann = kept("Mobilise", "/", navigation, Markup("<li>Ann</li>"))
    bob = kept("Mobilise", "/", navigation, Markup("<li>Bob</li>"))
    raw = kept("Mobilise", "/", navigation, "<li>Eve</li>")

    assert "<li>Ann</li>" in ann
    assert "Bob" not in ann
    assert "<li>Bob</li>" in bob
    assert "Ann" not in bob
    assert "&lt;li&gt;Eve&lt;/li&gt;" in raw  # a plain string is text, not HTML


def test_the_reader_is_in_the_longest_section_their_page_is_under() -> None:
    manager = Actor(1, "Lead", person_id=1, roles=frozenset({Role.PERSON, Role.LINE_MANAGER}))
    visitor = None

    def marks(path: str, actor: Actor | None) -> dict[str, tuple[bool, bool]]:
        return {href: (active, current) for _, href, active, current in _navigation(path, actor)}

    assert marks("/people/someone", manager)["/people"] == (True, False)
    assert marks("/people", manager)["/people"] == (True, True)
    assert marks("/framework/search", visitor)["/framework/search"] == (True, True)
    assert marks("/framework/search", visitor)["/framework"] == (False, False)
    assert marks("/framework/skills/x", visitor)["/framework"] == (True, False)
    assert "/people" not in marks("/people", visitor)
    assert not any(active for active, _ in marks("/nowhere", manager).values())
