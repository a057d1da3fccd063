"""Checks of single values: text without control characters, lengths, dates, e-mail shape."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence

from mobilise.core.records.layouts import Column, Layout
from mobilise.core.records.problem_log import ProblemLog

# C0 and C1 control characters, DEL, Unicode line separators and lone surrogates (JSON can carry
# them) break exports and displays or hide text; tab, line feed and carriage return are allowed in
# multi-line free text only.
_ONE_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
MULTILINE_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")

ENCODING_RULE = "is not valid UTF-8; save the file as UTF-8"
# Readers decode with errors="surrogateescape": each undecodable byte becomes one of these.
_UNDECODABLE = re.compile("[\udc80-\udcff]")
CONTROL_RULE = "must not contain control characters (only tab and line breaks, in evidence)"
DATE_RULE = "must be a date written YYYY-MM-DD (ISO 8601)"
EMAIL_RULE = "must look like an e-mail address (name@domain.example)"
REQUIRED_RULE = "is required and must not be empty"

_DATE_CACHE_LIMIT = 100_000


def visible(value: str, forbidden: re.Pattern[str] = _ONE_LINE_FORBIDDEN) -> str:
    """`value` with its forbidden characters written as escapes, so a report can show them."""

    def shown(match: re.Match[str]) -> str:
        char = match.group()
        if _UNDECODABLE.fullmatch(char):
            return f"\\x{ord(char) - 0xDC00:02x}"
        return char.encode("unicode_escape").decode()

    return forbidden.sub(shown, value)


class Cells:
    """Checks values of one source, logging each broken rule and returning the usable value."""

    def __init__(self, log: ProblemLog, layout: Layout) -> None:
        self.log = log
        self._dates: dict[str, dt.date] = {}
        self._one_line = tuple(i for i, c in enumerate(layout.columns) if not c.multiline)
        self._screened = False

    def screen(self, values: Sequence[str]) -> None:
        """Check a row's one-line values for forbidden characters at once.

        Nearly every row is clean, and one search of the joined values costs far less than one per
        value; only when something is found does each value get its own search, to name it.
        """
        joined = "".join([values[i] for i in self._one_line])
        self._screened = _ONE_LINE_FORBIDDEN.search(joined) is None

    @property
    def screened(self) -> bool:
        """Whether the last row screened holds no forbidden character in its one-line values."""
        return self._screened

    @property
    def known_dates(self) -> dict[str, dt.date]:
        """Date texts already parsed and found valid."""
        return self._dates

    def text(self, row: int, column: Column, raw: str) -> str:
        """The value (trimmed unless multi-line); "" with a logged problem when it breaks a rule."""
        value = raw if column.multiline else raw.strip()
        if not value:
            if column.required:
                self.log.add(row, column.name, raw, REQUIRED_RULE)
            return ""
        if column.multiline:
            forbidden = MULTILINE_FORBIDDEN
        elif self._screened:
            forbidden = None
        else:
            forbidden = _ONE_LINE_FORBIDDEN
        if forbidden is not None and forbidden.search(value):
            rule = ENCODING_RULE if _UNDECODABLE.search(value) else CONTROL_RULE
            self.log.add(row, column.name, visible(value, forbidden), rule)
            return ""
        if len(value) > column.max_length:
            self.log.add(
                row, column.name, value, f"is too long: at most {column.max_length} characters"
            )
            return ""
        return value

    def date(self, row: int, column: Column, raw: str) -> dt.date | None:
        value = self.text(row, column, raw)
        if not value:
            return None
        known = self._dates.get(value)
        if known is not None:
            return known
        parsed: dt.date | None = None
        if _ISO_DATE.fullmatch(value):
            try:
                parsed = dt.date.fromisoformat(value)
            except ValueError:
                parsed = None
        if parsed is None:
            self.log.add(row, column.name, value, DATE_RULE)
            return None
        if len(self._dates) < _DATE_CACHE_LIMIT:
            self._dates[value] = parsed
        return parsed

    def email(self, row: int, column: Column, raw: str) -> str | None:
        value = self.text(row, column, raw)
        if not value:
            return None
        if not _EMAIL.fullmatch(value):
            self.log.add(row, column.name, value, EMAIL_RULE)
            return None
        return value

    def choice(
        self, row: int, column: Column, raw: str, allowed: Collection[str], what: str
    ) -> str:
        value = self.text(row, column, raw)
        if value and value not in allowed:
            shown = ", ".join(sorted(allowed)) if len(allowed) <= 20 else f"{len(allowed)} values"
            self.log.add(row, column.name, value, f"is not a known {what} (one of: {shown})")
            return ""
        return value

    def integer(self, row: int, column: Column, raw: str, *, maximum: int) -> int | None:
        value = self.text(row, column, raw)
        if not value:
            return None
        if not (value.isascii() and value.isdigit()) or int(value) > maximum:
            self.log.add(row, column.name, value, f"must be a whole number from 0 to {maximum:,}")
            return None
        return int(value)

    def order(
        self, row: int, column: Column, earlier: dt.date | None, later: dt.date | None, first: str
    ) -> None:
        if earlier is not None and later is not None and later < earlier:
            self.log.add(row, column.name, later.isoformat(), f"must not be before {first}")
