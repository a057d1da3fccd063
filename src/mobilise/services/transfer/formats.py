"""Reading and writing record files as CSV or as a JSON array, streaming, with limits and progress.

CSV: UTF-8 (a BOM is tolerated on input), a header row, RFC 4180 quoting. JSON: one array of
objects. Either way a row reaches the rules as text in layout order (see mobilise.core.records).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, Literal

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.records import (
    Layout,
    ProblemLog,
    arrange,
    header_positions,
    object_values,
    restore_formula,
)

Format = Literal["csv", "json"]
Progress = Callable[[int, int], None]
Input = Path | str | BinaryIO

FORMATS: tuple[Format, ...] = ("csv", "json")
_CHUNK = 1 << 20
_WHITESPACE = " \t\r\n"

# Evidence is at most 10,000 characters; a larger field is not a record, but say so as a problem.
csv.field_size_limit(10 * 1024 * 1024)


def format_of(name: str, given: str | None) -> Format:
    """The format asked for, or the one the file name's extension implies."""
    chosen = (given or Path(name).suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise InvalidInput(
            [Problem(name, None, None, None, "format must be csv or json (from .csv or .json)")]
        )
    return "csv" if chosen == "csv" else "json"


class _TooLarge(Exception):
    pass


class _Metered(io.RawIOBase):
    """A byte stream that reports progress and stops past a size limit."""

    def __init__(
        self, raw: BinaryIO, limit: int | None, total: int, progress: Progress | None
    ) -> None:
        self._raw = raw
        self._limit = limit
        self._total = total
        self._progress = progress
        self.done = 0
        self._reported = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.done += n
        if self._limit is not None and self.done > self._limit:
            raise _TooLarge
        if self._progress is not None and (self.done - self._reported >= _CHUNK or n == 0):
            self._reported = self.done
            self._progress(self.done, max(self._total, self.done))
        return n


def read_rows(
    source: Input,
    name: str,
    layout: Layout,
    file_format: Format,
    log: ProblemLog,
    *,
    max_bytes: int | None = None,
    progress: Progress | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Data rows numbered from 1, as text in layout order; shape problems go to `log`.

    Problems that make the rest of the file unreadable (encoding, size, malformed JSON) end the
    stream after logging; problems of single rows are logged and the row is skipped.
    """
    total = 0
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            total = path.stat().st_size
            raw: BinaryIO = path.open("rb")
        except OSError as error:
            raise InvalidInput(
                [Problem(name, None, None, None, f"cannot be read: {error.strerror}")]
            ) from None
        if max_bytes is not None and total > max_bytes:
            raw.close()
            raise InvalidInput([_too_large(name, max_bytes)])
    else:
        raw = source
    metered = _Metered(raw, max_bytes, total, progress)
    # Undecodable bytes become lone surrogates, which the rules report with their row and column.
    text = io.TextIOWrapper(
        io.BufferedReader(metered, _CHUNK),
        encoding="utf-8-sig",
        newline="",
        errors="surrogateescape",
    )
    try:
        reader = _csv_rows if file_format == "csv" else _json_rows
        yield from reader(text, name, layout, log)
    except _TooLarge:
        log.add(None, None, None, _too_large(name, max_bytes or 0).rule)
    finally:
        text.detach()
        if isinstance(source, str | Path):
            raw.close()


def _too_large(name: str, limit: int) -> Problem:
    return Problem(name, None, None, None, f"file is larger than the limit of {limit:,} bytes")


def _csv_rows(
    text: io.TextIOWrapper, name: str, layout: Layout, log: ProblemLog
) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(text, strict=True)
    row = 0
    try:
        header = next(reader, None)
        while header == []:
            header = next(reader, None)
        if header is None:
            log.add(None, None, None, "file is empty: a header row is required")
            return
        positions = header_positions(layout, header, log)
        if positions is None:
            return
        width = len(header)
        for cells in reader:
            if not cells:
                continue
            row += 1
            if len(cells) != width:
                log.add(row, None, None, f"has {len(cells)} fields but the header has {width}")
                continue
            for i, cell in enumerate(cells):
                if cell[:1] == "'":
                    cells[i] = restore_formula(cell)
            yield row, arrange(cells, positions)
    except csv.Error as error:
        log.add(row + 1, None, None, f"is not valid CSV: {error}")


def _json_rows(
    text: io.TextIOWrapper, name: str, layout: Layout, log: ProblemLog
) -> Iterator[tuple[int, list[str]]]:
    for row, item in _json_array(text, log):
        values = object_values(layout, row, item, log)
        if values is not None:
            yield row, values


def _json_array(text: io.TextIOWrapper, log: ProblemLog) -> Iterator[tuple[int, object]]:
    """The items of a top-level JSON array, decoded one at a time from a bounded buffer."""
    decoder = json.JSONDecoder()
    buffer = text.read(_CHUNK)
    at_end = not buffer
    position = 0

    def more() -> bool:
        nonlocal buffer, position, at_end
        if at_end:
            return False
        chunk = text.read(_CHUNK)
        at_end = not chunk
        buffer = buffer[position:] + chunk
        position = 0
        return bool(chunk)

    def skip_space() -> str:
        nonlocal position
        while True:
            while position < len(buffer) and buffer[position] in _WHITESPACE:
                position += 1
            if position < len(buffer):
                return buffer[position]
            if not more():
                return ""

    first = skip_space()
    if first == "":
        log.add(None, None, None, "file is empty: a JSON array of objects is required")
        return
    if first != "[":
        log.add(None, None, None, "must be a JSON array of objects, starting with '['")
        return
    position += 1
    row = 0
    if skip_space() == "]":
        position += 1
    else:
        while True:
            row += 1
            skip_space()
            while True:
                try:
                    item, position = decoder.raw_decode(buffer, position)
                    break
                except json.JSONDecodeError as error:
                    if not more():
                        log.add(row, None, None, f"is not valid JSON: {error.msg}")
                        return
            yield row, item
            following = skip_space()
            position += 1
            if following == "]":
                break
            if following != ",":
                log.add(row, None, following or None, "is not valid JSON: expected ',' or ']'")
                return
            if position > _CHUNK:
                buffer, position = buffer[position:], 0
    if skip_space() != "":
        log.add(None, None, None, "is not valid JSON: extra data after the array")
