"""GOV.UK's service navigation, rendered once for each set of sections and kept.

A page's navigation is one of a few dozen (the sections the reader's roles show, and the one they
are in), yet GOV.UK's macro rebuilt it on every page: a sixth of a signed-in profile page's
rendering (bench/RESULTS.md). Each is rendered once per process with a mark where the reader's own
part goes (their name and sign-out form, or the sign-in link), which is put in afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

MACRO = "govuk_frontend_jinja/components/service-navigation/macro.html"
# Where the reader's part goes: a comment, which no escaped navigation text can contain.
ACCOUNT_MARK = Markup("<!--mobilise:account-->")
MAX_KEPT = 512

# A navigation: (text, href, whether the reader is in that section, whether they are on its page).
Navigation = tuple[tuple[str, str, bool, bool], ...]
Frame = tuple[str, str, Navigation]


class ServiceNavigation:
    """A template global: `service_navigation(name, url, navigation, account_html)`."""

    def __init__(self, environment: Environment) -> None:
        self._environment = environment
        self._frame = lru_cache(maxsize=MAX_KEPT)(self._render_frame)

    def __call__(
        self,
        service_name: str,
        service_url: str,
        navigation: Navigation | Sequence[Mapping[str, Any]],
        account_html: Markup | str,
    ) -> Markup:
        if not isinstance(navigation, tuple):  # GOV.UK's macro's shape: a list of dicts
            navigation = tuple(
                (str(item["text"]), str(item["href"]), bool(item["active"]), bool(item["current"]))
                for item in navigation
            )
        before, after = self._frame((service_name, service_url, navigation))
        # escape() leaves the template's Markup as it is and escapes anything else; str.join, as
        # Markup's own + would escape the frame's HTML.
        joined = "".join((before, escape(account_html), after))
        return Markup(joined)  # noqa: S704 (all three parts are HTML)

    def _render_frame(self, frame: Frame) -> tuple[str, str]:
        service_name, service_url, items = frame
        macro = self._environment.get_template(MACRO).module.govukServiceNavigation  # type: ignore[attr-defined]
        params = {
            "serviceName": service_name,
            "serviceUrl": service_url,
            "navigation": [
                {"text": text, "href": href, "active": active, "current": current}
                for text, href, active, current in items
            ],
            "slots": {"navigationEnd": ACCOUNT_MARK},
        }
        rendered: Markup = macro(params)
        before, _, after = str(rendered).partition(ACCOUNT_MARK)
        return before, after
