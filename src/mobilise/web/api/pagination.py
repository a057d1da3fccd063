"""Opaque cursors for keyset paging, and the page envelope every list returns."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

from mobilise.web.api.parameters import MAX_STORED_INT

T = TypeVar("T")

MAX_LIMIT = 200
Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT}).")
]
Cursor = Annotated[
    str | None,
    Query(
        max_length=600, description="The `next` cursor of the previous page; absent for the first."
    ),
]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="How many items the whole list has.")
    limit: int
    next: str | None = Field(description="URL of the next page, or null on the last page.")


def encode_cursor(position: list[Any]) -> str:
    raw = json.dumps(position, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, shape: tuple[type, ...]) -> list[Any]:
    """The position in `cursor`, checked against the expected item types, or a 422 naming it."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        position = None
    if (
        not isinstance(position, list)
        or len(position) != len(shape)
        or not all(
            isinstance(v, t) and not isinstance(v, bool)
            for v, t in zip(position, shape, strict=True)
        )
        # A forged cursor must not carry a value no store column can hold.
        or any(isinstance(v, int) and not -MAX_STORED_INT <= v <= MAX_STORED_INT for v in position)
        or any(isinstance(v, str) and "\x00" in v for v in position)
    ):
        raise RequestValidationError(
            [
                {
                    "loc": ("query", "cursor"),
                    "msg": "is not a cursor this list handed out",
                    "type": "value_error",
                }
            ]
        )
    return position


def next_link(request: Request, position: list[Any] | None) -> str | None:
    if position is None:
        return None
    return str(request.url.include_query_params(cursor=encode_cursor(position)))
