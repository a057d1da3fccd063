"""Read CSV files strictly: UTF-8 (a BOM is tolerated), a header row, problems named precisely."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from mobilise.core.problems import InvalidInput, Problem

# Descriptions in the framework run to a few KB; a field far larger than that is not a real value.
csv.field_size_limit(10 * 1024 * 1024)


def read_csv(path: Path, source: str | None = None) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a small CSV file, fully read; InvalidInput if it cannot be read."""
    name = source or path.name
    header, rows = open_csv(path, name)
    return header, list(rows)


def open_csv(path: Path, source: str) -> tuple[list[str], Iterator[dict[str, str]]]:
    """The header and a stream of rows; encoding and shape problems raise InvalidInput."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidInput(
            [Problem(source, None, None, None, f"cannot be read: {error.strerror}")]
        ) from None
    return parse_csv_bytes(raw, source)


def parse_csv_bytes(raw: bytes, source: str) -> tuple[list[str], Iterator[dict[str, str]]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InvalidInput(
            [
                Problem(
                    source,
                    None,
                    None,
                    repr(raw[error.start : error.start + 4])[2:-1],
                    f"is not valid UTF-8 (line {line} of the file); save the file as UTF-8",
                )
            ]
        ) from None
    if not text.strip():
        raise InvalidInput(
            [Problem(source, None, None, None, "file is empty: a header row is required")]
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as error:
        raise InvalidInput(
            [Problem(source, None, None, None, f"header is not valid CSV: {error}")]
        ) from None
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise InvalidInput(
            [
                Problem(source, None, h, None, "column appears more than once in the header")
                for h in duplicates
            ]
        )
    return header, _rows(reader, header, source)


def _rows(reader: Iterator[list[str]], header: list[str], source: str) -> Iterator[dict[str, str]]:
    n = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InvalidInput(
                [Problem(source, n + 1, None, None, f"is not valid CSV: {error}")]
            ) from None
        n += 1
        if not values:
            continue
        if len(values) != len(header):
            raise InvalidInput(
                [
                    Problem(
                        source,
                        n,
                        None,
                        None,
                        f"has {len(values)} fields but the header has {len(header)}",
                    )
                ]
            )
        yield dict(zip(header, values, strict=True))
