"""Allocation use cases. Files: PROBLEM.json in, RESULT.json out (the CLI's `mobilise allocate`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mobilise.core.allocation.problem import problem_from_document
from mobilise.core.allocation.run import AllocationOutcome, allocate
from mobilise.services.documents import naming_the_file, read_json_document, write_json_atomically


def allocate_document(
    document: Mapping[str, Any] | Any,
    method: str,
    *,
    seed: int = 0,
    objective: str = "rank",
    base: str = "welfare",
    min_group_count: int = 10,
) -> tuple[dict[str, Any], AllocationOutcome]:
    problem = problem_from_document(document)
    outcome = allocate(
        problem,
        method,
        seed=seed,
        objective=objective,  # type: ignore[arg-type]  # checked by allocate, named if wrong
        base=base,  # type: ignore[arg-type]
        min_group_count=min_group_count,
    )
    return outcome.document(problem), outcome


def allocate_file(
    problem_path: Path,
    output: Path,
    method: str,
    *,
    seed: int = 0,
    objective: str = "rank",
    base: str = "welfare",
    min_group_count: int = 10,
) -> dict[str, Any]:
    """Solve PROBLEM.json and write RESULT.json atomically (a failed run leaves no partial file)."""
    document = read_json_document(problem_path)
    with naming_the_file(problem_path, "problem"):
        result, _ = allocate_document(
            document,
            method,
            seed=seed,
            objective=objective,
            base=base,
            min_group_count=min_group_count,
        )
    write_json_atomically(output, result)
    return result
