"""Organisations (being built; see issue 3)."""

from __future__ import annotations

from sqlalchemy import Engine


def ensure_default_organisations(engine: Engine) -> int:
    return 0
