"""The columns of each record file and how a header or a JSON object maps onto them.

A row reaches the checks as a list of strings in layout order: CSV cells rearranged from the
header's order, or JSON values turned into text (null → empty). Absent optional columns are empty.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mobilise.core.records.problem_log import ProblemLog


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    required: bool
    max_length: int
    # Free text that may hold line breaks and tabs (evidence); every other column is one line.
    multiline: bool = False
    # JSON may give the value as an integer rather than a string.
    integer: bool = False
    # JSON may give the value as any number (hours, an amount of money), read as its decimal text.
    number: bool = False


@dataclass(frozen=True)
class Layout:
    kind: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def position(self, name: str) -> int:
        return self.names.index(name)


KEY_LENGTH = 200
EVIDENCE_LENGTH = 10_000

ORGANISATIONS = Layout(
    "organisations",
    (
        Column("key", True, KEY_LENGTH),
        Column("name", True, 300),
        Column("kind", True, 40),
        Column("region", True, 60),
        Column("parent", False, KEY_LENGTH),
        Column("headcount", False, 12, integer=True),
    ),
)

PEOPLE = Layout(
    "people",
    (
        Column("key", True, KEY_LENGTH),
        Column("display_name", True, 300),
        Column("email", False, 320),
        Column("organisation", False, KEY_LENGTH),
        Column("grade", False, 20),
        Column("region", False, 60),
        Column("framework", False, 100),
        Column("role_level", False, KEY_LENGTH),
        Column("manager", False, KEY_LENGTH),
        Column("started_on", False, 10),
        Column("left_on", False, 10),
    ),
)

CLAIMS = Layout(
    "claims",
    (
        Column("person", True, KEY_LENGTH),
        Column("skill", True, KEY_LENGTH),
        Column("framework", False, 100),
        Column("level", True, 20, integer=True),
        Column("source", True, 20),
        Column("status", False, 20),
        Column("evidence", False, EVIDENCE_LENGTH, multiline=True),
        Column("claimed_on", True, 10),
        Column("expires_on", False, 10),
        Column("validated_by", False, KEY_LENGTH),
    ),
)

LAYOUTS: dict[str, Layout] = {layout.kind: layout for layout in (ORGANISATIONS, PEOPLE, CLAIMS)}


def header_positions(
    layout: Layout, header: Sequence[str], log: ProblemLog
) -> tuple[int | None, ...] | None:
    """Where each layout column sits in `header` (None when absent); None if the header is bad."""
    found: dict[str, int] = {}
    bad = False
    for index, raw in enumerate(header):
        name = raw.strip()
        if name in found:
            log.add(None, name, None, "column appears more than once in the header")
            bad = True
        elif name not in layout.names:
            log.add(
                None,
                name,
                None,
                f"is not a column of the {layout.kind} format "
                f"(expected: {', '.join(layout.names)})",
            )
            bad = True
        found[name] = index
    for column in layout.columns:
        if column.required and column.name not in found:
            log.add(None, column.name, None, "required column is missing from the header")
            bad = True
    if bad:
        return None
    return tuple(found.get(name) for name in layout.names)


def arrange(cells: Sequence[str], positions: Sequence[int | None]) -> list[str]:
    """A CSV row's cells in layout order; "" for a column the header does not have."""
    return [cells[p] if p is not None else "" for p in positions]


def object_values(layout: Layout, row: int, item: object, log: ProblemLog) -> list[str] | None:
    """A JSON object's values in layout order, or None after logging why it cannot be one."""
    if not isinstance(item, Mapping):
        log.add(row, None, _shown(item), f"must be a JSON object with the {layout.kind} fields")
        return None
    values: list[str] = []
    ok = True
    for name in item:
        if name not in layout.names:
            log.add(row, str(name), None, f"is not a field of the {layout.kind} format")
            ok = False
    for column in layout.columns:
        if column.name not in item:
            if column.required:
                log.add(row, column.name, None, "required field is missing")
                ok = False
            values.append("")
            continue
        value = item[column.name]
        if value is None:
            values.append("")
        elif isinstance(value, str):
            values.append(value)
        elif (column.integer or column.number) and _is_integer(value):
            values.append(str(value))
        elif column.number and isinstance(value, float) and math.isfinite(value):
            # repr is the shortest text that reads back as the same float: 1.5, not 1.500000001.
            values.append(repr(value))
        else:
            kind = (
                "a string or a number"
                if column.number
                else "a string or an integer"
                if column.integer
                else "a string"
            )
            log.add(row, column.name, _shown(value), f"must be {kind} or null")
            ok = False
    return values if ok else None


def _is_integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"
