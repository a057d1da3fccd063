"""Allocation use cases. Files: PROBLEM.json in, RESULT.json out (the CLI's `mobilise allocate`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mobilise.core.allocation.problem import problem_from_document
from mobilise.core.allocation.run import AllocationOutcome, allocate
from mobilise.core.problems import InvalidInput, Problem


def read_json_document(path: Path) -> Any:
    """A JSON file's content; unreadable, non-UTF-8 or malformed JSON is named precisely."""
    source = path.name
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidInput(
            [Problem(source, None, None, None, f"cannot be read: {error.strerror}")]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput([Problem(source, None, None, None, "is not valid UTF-8")]) from None
    if not text.strip():
        raise InvalidInput(
            [Problem(source, None, None, None, "is empty: a JSON object is required")]
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            [
                Problem(
                    source,
                    error.lineno,
                    f"character {error.colno}",
                    None,
                    f"is not valid JSON: {error.msg}",
                )
            ]
        ) from None


def allocate_document(
    document: Mapping[str, Any] | Any, method: str, *, seed: int = 0, min_group_count: int = 10
) -> tuple[dict[str, Any], AllocationOutcome]:
    problem = problem_from_document(document)
    outcome = allocate(problem, method, seed=seed, min_group_count=min_group_count)
    return outcome.document(problem), outcome


def allocate_file(
    problem_path: Path, output: Path, method: str, *, seed: int = 0, min_group_count: int = 10
) -> dict[str, Any]:
    """Solve PROBLEM.json and write RESULT.json atomically (a failed run leaves no partial file)."""
    document = read_json_document(problem_path)
    try:
        result, _ = allocate_document(document, method, seed=seed, min_group_count=min_group_count)
    except InvalidInput as error:
        raise InvalidInput(
            Problem(problem_path.name, p.row, p.column, p.value, p.rule)
            if p.source == "problem"
            else p
            for p in error.problems
        ) from None
    temporary = output.with_name(output.name + ".partial")
    temporary.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(output)
    return result
