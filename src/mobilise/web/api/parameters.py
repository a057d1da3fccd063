"""Limits every API parameter shares, because the stores refuse what lies beyond them.

PostgreSQL cannot store or compare text with a NUL character, and its integer columns hold 32 bits
(SQLite's 64): such values reached the database and came back as a 500 instead of a 422.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError

# The largest id (or other integer) any store column holds: PostgreSQL's `integer`.
MAX_STORED_INT = 2**31 - 1
NO_NUL_PATTERN = r"^[^\x00]*$"
NUL_REASON = "must not contain a NUL character"


async def refuse_nul_characters(request: Request) -> None:
    """A router dependency: a path or query parameter with a NUL character is a 422 naming it,
    before any route can hand it to a store."""
    errors = [
        {"loc": ("path", name), "msg": NUL_REASON, "type": "value_error"}
        for name, value in request.path_params.items()
        if isinstance(value, str) and "\x00" in value
    ]
    errors.extend(
        {"loc": ("query", name), "msg": NUL_REASON, "type": "value_error"}
        for name, value in request.query_params.multi_items()
        if "\x00" in name or "\x00" in value
    )
    if errors:
        raise RequestValidationError(errors)
