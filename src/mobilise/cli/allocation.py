"""`mobilise allocate`: solve an allocation problem file and explain every outcome."""

from __future__ import annotations

from pathlib import Path

import typer

from mobilise.cli.context import engine, out, reporting_bad_input
from mobilise.services.allocation import allocate_file
from mobilise.services.allocation_runs import record_run
from mobilise.services.documents import naming_the_file, read_json_document, write_json_atomically
from mobilise.settings import get_settings


def allocate(
    problem: Path = typer.Argument(..., help="PROBLEM.json (format: docs/allocation.md)."),
    method: str = typer.Option(
        "stable", "--method", "-m", help="stable, welfare or fair (see docs/allocation.md)."
    ),
    objective: str = typer.Option(
        "rank", "--objective", help="What welfare optimises: rank (preferences) or fit (scores)."
    ),
    base: str = typer.Option(
        "welfare", "--base", help="What fair constrains by the quotas: welfare or stable."
    ),
    seed: int = typer.Option(
        0, "--seed", help="Seed; with the same seed a run is reproduced exactly."
    ),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write RESULT.json."),
    record: bool = typer.Option(
        False, "--record", help="Store the run (frozen inputs and result) in the database."
    ),
) -> None:
    """Allocate applicants to opportunities; write the matches, each explained to its person."""
    threshold = get_settings().disclosure_threshold
    with reporting_bad_input():
        if record:
            with naming_the_file(problem, "problem"):
                summary, result = record_run(
                    engine(),
                    read_json_document(problem),
                    method,
                    seed=seed,
                    objective=objective,
                    base=base,
                    min_group_count=threshold,
                )
            write_json_atomically(output, result)
            out.print(f"Stored as run {summary.key}.")
        else:
            result = allocate_file(
                problem,
                output,
                method,
                seed=seed,
                objective=objective,
                base=base,
                min_group_count=threshold,
            )
    metrics = result["metrics"]
    out.print(
        f"{method}: matched {metrics['matched']} of {metrics['applicants']} applicants "
        f"({metrics['first_choice']} to their first choice), fill rate {metrics['fill_rate']:.1%}, "
        f"blocking pairs {metrics['blocking_pairs']}. Written to {output}."
    )
