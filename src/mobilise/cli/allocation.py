"""`mobilise allocate`: solve an allocation problem file and explain every outcome."""

from __future__ import annotations

from pathlib import Path

import typer

from mobilise.cli.context import out, reporting_bad_input
from mobilise.services.allocation import allocate_file
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
) -> None:
    """Allocate applicants to opportunities; write the matches, each explained to its person."""
    with reporting_bad_input():
        result = allocate_file(
            problem,
            output,
            method,
            seed=seed,
            objective=objective,
            base=base,
            min_group_count=get_settings().disclosure_threshold,
        )
    metrics = result["metrics"]
    out.print(
        f"{method}: matched {metrics['matched']} of {metrics['applicants']} applicants "
        f"({metrics['first_choice']} to their first choice), fill rate {metrics['fill_rate']:.1%}, "
        f"blocking pairs {metrics['blocking_pairs']}. Written to {output}."
    )
