"""The JSON documents of the engines: PROBLEM.json, PEOPLE.json, RESULT.json, TEAMS.json."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mobilise.core.problems import InvalidInput, Problem


def read_json_document(path: Path) -> Any:
    """A JSON file's content; unreadable, non-UTF-8 or malformed JSON is named precisely."""
    source = path.name
    try:
        raw = path.read_bytes()
    except OSError as error:
        rule = f"cannot be read: {error.strerror}"
        raise InvalidInput([Problem(source, None, None, None, rule)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput([Problem(source, None, None, None, "is not valid UTF-8")]) from None
    if not text.strip():
        rule = "is empty: a JSON document is required"
        raise InvalidInput([Problem(source, None, None, None, rule)])
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"character {error.colno}"
        rule = f"is not valid JSON: {error.msg}"
        raise InvalidInput([Problem(source, error.lineno, where, None, rule)]) from None


@contextmanager
def naming_the_file(path: Path, core_source: str) -> Iterator[None]:
    """Re-raise the core's problems (which say `core_source`) as problems of the user's file."""
    try:
        yield
    except InvalidInput as error:
        raise InvalidInput(
            Problem(path.name, p.row, p.column, p.value, p.rule) if p.source == core_source else p
            for p in error.problems
        ) from None


def write_json_atomically(
    path: Path, document: Any, default: Callable[[Any], Any] | None = None
) -> None:
    """Write through a temporary file and rename, so a failure never leaves half a document."""
    temporary = path.with_name(path.name + ".partial")
    text = json.dumps(document, indent=2, ensure_ascii=False, default=default) + "\n"
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
