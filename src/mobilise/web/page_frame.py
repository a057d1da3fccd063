"""The parts of every page's frame that are rendered once and kept (templates/layout.html).

The GOV.UK skip link, header, phase banner and footer are the same on every page; a breadcrumb
trail is one of a few hundred. Rendering them through GOV.UK's macros on every page (each macro
importing others and building its attributes) cost more than a profile page's own content
(bench/RESULTS.md), so each is rendered once per process and its HTML reused.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from mobilise.web.access import csrf_token
from mobilise.web.template_loader import RECHECK_SECONDS

CHROME = "chrome.html"
BREADCRUMBS = "govuk_frontend_jinja/components/breadcrumbs/macro.html"
MAX_KEPT = 1024
BEYOND_ASCII = re.compile(r"[^\x00-\x9f]")

Trail = tuple[tuple[tuple[str, type, Any], ...], ...]

# The reader's own end of the service navigation: who is signed in, and the sign-out form.
SIGN_OUT = Markup(
    '<li class="govuk-service-navigation__item">'
    '<form method="post" action="/sign-out" class="mobilise-sign-out">'
    '<input type="hidden" name="csrf_token" value="%s">'
    '<span class="govuk-body-s mobilise-signed-in-as">%s</span>'
    '<button type="submit" class="govuk-service-navigation__link mobilise-link-button">'
    "Sign out</button></form></li>"
)
SIGN_IN = Markup(
    '<li class="govuk-service-navigation__item">'
    '<a class="govuk-service-navigation__link" href="/sign-in">Sign in</a></li>'
)


@pass_context
def account_part(context: Context) -> Markup:
    """A template global: the sign-out form for a signed-in reader, else the sign-in link (no
    session, and so no cookie, is made for a reader who is not signed in)."""
    actor = context.get("actor")
    if actor is None:
        return SIGN_IN
    # Markup's % escapes what it puts in, at a third of the cost of Markup.format.
    return SIGN_OUT % (csrf_token(context["request"]), actor.display_name)


def ascii_html(html: str) -> Markup:
    """The same HTML with every character beyond ASCII written as a character reference.

    A page whose text is all ASCII is stored one byte a character, joined by copying and encoded
    for the response as it stands; one "©" or "–" anywhere (GOV.UK's footer and the title have
    them) makes Python widen the whole 25 KB page and encode it character by character: a
    twentieth of a profile page's instructions (bench/RESULTS.md).
    """
    # Not the C1 controls (U+0080 to U+009F): HTML reads their references as Windows-1252.
    written = BEYOND_ASCII.sub(lambda found: f"&#{ord(found[0])};", html)
    return Markup(written)  # noqa: S704 (the same HTML, with characters written as references)


class Chrome:
    """A template global: `chrome.header` and the rest are the parts chrome.html sets, in ASCII.

    Jinja keeps the module of a template once rendered, and renders it again only when the file
    changes (in development); it is asked for at most once a second (as template_loader checks
    files), and each part converted once per rendering of the module.
    """

    def __init__(self, environment: Environment) -> None:
        self._environment = environment
        self._module: Any = None
        self._parts: dict[str, Any] = {}
        self._asked_at = -RECHECK_SECONDS

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        now = time.monotonic()
        if now - self._asked_at >= RECHECK_SECONDS:
            module = self._environment.get_template(CHROME).module
            if module is not self._module:
                self._module, self._parts = module, {}
            self._asked_at = now
        parts = self._parts  # one dictionary, though another thread may start a new one
        if name not in parts:
            part = getattr(self._module, name)
            parts[name] = ascii_html(part) if isinstance(part, str) else part
        return parts[name]


class Breadcrumbs:
    """A template global: `govuk_breadcrumbs(items)`, GOV.UK's breadcrumbs macro (collapsing on
    mobile) with each distinct trail rendered once and kept."""

    def __init__(self, environment: Environment) -> None:
        self._environment = environment
        self._kept = lru_cache(maxsize=MAX_KEPT)(self._render_trail)

    def __call__(self, items: Sequence[Mapping[str, Any]]) -> Markup:
        try:
            # The type is part of the key: the text "<b>" and Markup("<b>") render differently.
            trail: Trail = tuple(
                tuple(sorted((name, type(value), value) for name, value in item.items()))
                for item in items
            )
            hash(trail)
        except TypeError:  # a value that cannot be kept as a key (attributes): render it afresh
            return self._render(list(items))
        return self._kept(trail)

    def _render_trail(self, trail: Trail) -> Markup:
        return self._render([{name: value for name, _, value in item} for item in trail])

    def _render(self, items: list[Mapping[str, Any]]) -> Markup:
        macro = self._environment.get_template(BREADCRUMBS).module.govukBreadcrumbs  # type: ignore[attr-defined]
        rendered: Markup = macro({"items": items, "collapseOnMobile": True})
        return rendered
