"""Rules of an ATRS record: each field's type and allowed values, links, and what publishing needs.

A draft may leave any field empty; publishing needs every required field answered ("N/A" with a
reason is an answer, as the standard says) and, when a third party is involved, who it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from mobilise.core.problems import Problem
from mobilise.core.register.standard import Standard

# Keys a record may carry besides the standard's fields: provenance kept from the source.
EXTRA_KEY = "extra"
NOT_APPLICABLE = "N/A"
MAX_TEXT = 20_000
MAX_URL = 1000
EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\".]+$")


def link_problem(url: str) -> str | None:
    """Why `url` is not a link a public page may show, or None: only absolute http(s) links to a
    named host (no javascript:, data: or relative links, no spaces or credentials)."""
    if len(url) > MAX_URL:
        return f"must be at most {MAX_URL} characters"
    if any(c.isspace() for c in url) or any(ord(c) < 32 for c in url):
        return "must not contain spaces or control characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "is not a URL"
    if parts.scheme not in ("http", "https"):
        return "must start with https:// (or http://)"
    if not parts.hostname or "." not in parts.hostname:
        return "must name a host, for example https://www.gov.uk/..."
    if parts.username or parts.password:
        return "must not carry a user name or password"
    return None


def is_empty(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str | list) and not value)
        or (isinstance(value, str) and not value.strip())
    )


def _value_problem(standard: Standard, field_id: str, kind: str, value: Any) -> str | None:
    if kind == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "must be a list of texts"
        allowed = standard.allowed(field_id)
        wrong = [v for v in value if allowed and v not in allowed]
        if wrong:
            return f"{wrong[0]!r} is not one of {', '.join(allowed)}"
        return None
    if not isinstance(value, str):
        return "must be a text"
    if len(value) > MAX_TEXT:
        return f"must be at most {MAX_TEXT:,} characters"
    if kind == "text" or value == NOT_APPLICABLE:
        return None
    if kind == "url":
        return link_problem(value)
    if kind == "email":
        return None if EMAIL.match(value) else "must be an email address, for example team@x.gov.uk"
    if kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return "must be a date as YYYY-MM-DD"
        return None if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else "must be YYYY-MM-DD"
    if kind == "enum":
        allowed = standard.allowed(field_id)
        if allowed and value not in allowed:
            return f"must be one of {', '.join(allowed)}"
    return None


def record_problems(
    standard: Standard, record: Mapping[str, Any], *, source: str, publishing: bool
) -> list[Problem]:
    """Every broken rule of `record` (field id -> value; None = not answered), each naming the
    field; `publishing` adds the required-field rules a draft is spared."""
    problems: list[Problem] = []
    for key in record:
        if key != EXTRA_KEY and standard.field(key) is None:
            problems.append(Problem(source, None, key, None, "is not a field of the standard"))
    for spec in standard.fields:
        value = record.get(spec.field_id)
        if is_empty(value):
            if publishing and spec.required:
                problems.append(
                    Problem(source, None, spec.field_id, None, f"{spec.label} is required")
                )
            continue
        why = _value_problem(standard, spec.field_id, spec.type, value)
        if why is not None:
            shown = value if isinstance(value, str) else repr(value)
            problems.append(Problem(source, None, spec.field_id, shown, why))
    if (
        publishing
        and record.get("third_party_involvement") == "Yes"
        and is_empty(record.get("third_party"))
    ):
        problems.append(
            Problem(
                source,
                None,
                "third_party",
                None,
                "Third party is required when third party involvement is Yes",
            )
        )
    return problems


def missing_for_publishing(standard: Standard, record: Mapping[str, Any]) -> list[str]:
    """The field ids a draft still has to answer before it can be published, in the standard's
    order (the task list shows them)."""
    return [
        p.column
        for p in record_problems(standard, record, source="record", publishing=True)
        if p.column is not None and p.value is None and p.rule.endswith("is required")
    ]
