"""Template files checked for edits at most once a second each, not on every use.

With `auto_reload` on (Jinja's default), each use of a template asks its loader whether the file
changed, and a page uses a dozen (the page, the layout, GOV.UK's base template, each macro file it
imports): those file-system checks were a quarter of a profile page's rendering (bench/RESULTS.md).
Checked at most once a second, an edited template still shows on the next reload in development.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from jinja2 import BaseLoader, Environment

RECHECK_SECONDS = 1.0


class _AtMostEverySecond:
    """A loader's "is this file unchanged?" check, answered from memory for RECHECK_SECONDS."""

    def __init__(self, check: Callable[[], bool]) -> None:
        self._check = check
        self._checked_at = time.monotonic()
        self._unchanged = True

    def __call__(self) -> bool:
        now = time.monotonic()
        if now - self._checked_at >= RECHECK_SECONDS:
            self._unchanged = self._check()
            self._checked_at = now
        return self._unchanged


class RecheckingLoader(BaseLoader):
    """`loader`, with each template's edit check throttled to once a second."""

    def __init__(self, loader: BaseLoader) -> None:
        self.loader = loader

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, unchanged = self.loader.get_source(environment, template)
        return source, filename, None if unchanged is None else _AtMostEverySecond(unchanged)

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()
