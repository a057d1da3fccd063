"""Limits every API parameter shares, because the stores refuse what lies beyond them.

PostgreSQL cannot store or compare text with a NUL character, and its integer columns hold 32 bits
(SQLite's 64): such values reached the database and came back as a 500 instead of a 422.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

# The largest id (or other integer) any store column holds: PostgreSQL's `integer`.
MAX_STORED_INT = 2**31 - 1
NO_NUL_PATTERN = r"^[^\x00]*$"
NUL_REASON = "must not contain a NUL character"
# JSON can carry a NUL only escaped, so a body without this sequence has none.
JSON_NUL = b"\\u0000"


def _nul_locations(value: Any, location: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, str):
        if "\x00" in value:
            yield location
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                yield (*location, key)
            yield from _nul_locations(item, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_locations(item, (*location, index))


async def refuse_nul_characters(request: Request) -> None:
    """A router dependency: a path or query parameter, a form field, or a string in a JSON body,
    with a NUL
    character is a 422 naming it, before any route can hand it to a store. (FastAPI has read and
    parsed the body before dependencies run, so reading it again costs no I/O.)"""
    errors: list[dict[str, Any]] = [
        {"loc": ("path", name), "msg": NUL_REASON, "type": "value_error"}
        for name, value in request.path_params.items()
        if isinstance(value, str) and "\x00" in value
    ]
    errors.extend(
        {"loc": ("query", name), "msg": NUL_REASON, "type": "value_error"}
        for name, value in request.query_params.multi_items()
        if "\x00" in name or "\x00" in value
    )
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()
        if JSON_NUL in body:
            try:
                document = json.loads(body)
            except ValueError:  # FastAPI has refused it already; nothing to add
                document = None
            errors.extend(
                {"loc": ("body", *location), "msg": NUL_REASON, "type": "value_error"}
                for location in _nul_locations(document, ())
            )
    if request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        errors.extend(
            {"loc": ("body", name), "msg": NUL_REASON, "type": "value_error"}
            for name, value in (await request.form()).multi_items()
            if "\x00" in name or (isinstance(value, str) and "\x00" in value)
        )
    if errors:
        raise RequestValidationError(errors)
