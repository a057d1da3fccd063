"""Infer skills for many texts at once: a JSON Lines file in (each line an object with "text" or
"sentence", and any "id"), a JSON Lines file out (one line per input line, same order, with the
id and the suggestions). Read and written a batch at a time, so 50,000 CVs never sit in memory
whole; the output appears only when complete (a failed run leaves no half file).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.skill_inference import (
    MAX_TEXT_BYTES,
    MAX_TOP,
    Method,
    Taxonomy,
    infer_skills,
)

BATCH = 256
MAX_LINE_BYTES = MAX_TEXT_BYTES + 4096
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BatchSummary:
    texts: int
    suggestions: int
    seconds: float


def _records(path: Path) -> Iterator[tuple[int, Any, str]]:
    """(line number, id, text) of each non-blank line; InvalidInput at the first bad line."""
    source = path.name
    try:
        handle = path.open("rb")
    except OSError as error:
        raise InvalidInput(
            [Problem(source, None, None, None, f"cannot be read: {error}")]
        ) from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            if len(line) > MAX_LINE_BYTES:
                raise InvalidInput(
                    [Problem(source, number, "text", None, "is over 1 MB: at most 1 MB per text")]
                )
            try:
                record = json.loads(line.decode("utf-8"))
            except UnicodeDecodeError as error:
                raise InvalidInput(
                    [Problem(source, number, None, None, f"is not UTF-8 (byte {error.start + 1})")]
                ) from None
            except json.JSONDecodeError as error:
                raise InvalidInput(
                    [Problem(source, number, None, None, f"is not JSON: {error.msg}")]
                ) from None
            text = record.get("text", record.get("sentence")) if isinstance(record, dict) else None
            if not isinstance(text, str):
                raise InvalidInput(
                    [Problem(source, number, "text", None, 'needs a "text" (or "sentence") string')]
                )
            yield number, record.get("id"), text


def count_texts(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def infer_file(
    input_path: Path,
    output_path: Path,
    *,
    taxonomy: Taxonomy = "esco",
    top: int = 10,
    method: Method = "best",
    batch: int = BATCH,
    progress: Progress | None = None,
) -> BatchSummary:
    """Suggestions for every text of `input_path`, written to `output_path`; `method` "fast"
    is the lexical path (tens of times faster, a few points less precise: bench/RESULTS.md)."""
    if not 1 <= top <= MAX_TOP:
        raise InvalidInput([Problem("texts", None, "top", str(top), f"must be 1 to {MAX_TOP}")])
    if batch < 1:
        raise InvalidInput([Problem("texts", None, "batch", str(batch), "must be at least 1")])
    started = time.perf_counter()
    total = count_texts(input_path) if progress is not None else 0
    partial = output_path.with_name(output_path.name + ".partial")
    done = suggested = 0
    try:
        with partial.open("w", encoding="utf-8") as out:
            pending: list[tuple[int, Any, str]] = []
            for record in _records(input_path):
                pending.append(record)
                if len(pending) >= batch:
                    suggested += _write(out, pending, taxonomy, top, method)
                    done += len(pending)
                    pending = []
                    if progress is not None:
                        progress(done, total)
            if pending:
                suggested += _write(out, pending, taxonomy, top, method)
                done += len(pending)
        partial.replace(output_path)
    finally:
        partial.unlink(missing_ok=True)
    if progress is not None:
        progress(done, total or done)
    return BatchSummary(done, suggested, round(time.perf_counter() - started, 3))


def _write(
    out: Any, records: list[tuple[int, Any, str]], taxonomy: Taxonomy, top: int, method: Method
) -> int:
    results = infer_skills([text for _, _, text in records], taxonomy, top, method=method)
    written = 0
    for (_, identifier, _), suggestions in zip(records, results, strict=True):
        line = {
            "id": identifier,
            "suggestions": [
                {"key": s.key, "label": s.label, "score": s.score, "start": s.start, "end": s.end}
                for s in suggestions
            ],
        }
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        written += len(suggestions)
    return written
