"""`mobilise runs`: stored allocation runs — list, show, and replay to prove they reproduce."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from mobilise.cli.context import engine, err, out, reporting_bad_input
from mobilise.services.allocation_runs import get_run, list_runs, replay_run
from mobilise.services.documents import write_json_atomically

app = typer.Typer(help="Stored allocation runs.", no_args_is_help=True)


@app.command("list")
def list_(
    limit: int = typer.Option(50, min=1, max=1000, help="Runs per page."),
    page: int = typer.Option(1, min=1, help="Page number, newest runs first."),
) -> None:
    """List stored runs, newest first."""
    runs, total = list_runs(engine(), limit=limit, offset=(page - 1) * limit)
    table = Table("created", "method", "seed", "applicants", "matched", "seconds")
    table.add_column("key", no_wrap=True)
    for run in runs:
        table.add_row(
            run.created_at.strftime("%Y-%m-%d %H:%M"),
            run.method,
            str(run.seed),
            str(run.applicants),
            str(run.matched),
            f"{run.solve_seconds:.3f}",
            run.key,
        )
    out.print(table)
    out.print(f"Page {page}: {len(runs)} of {total} run(s).")


@app.command()
def show(
    key: str = typer.Argument(..., help="The run's key."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write RESULT.json here."),
) -> None:
    """Show a run's parameters and metrics, or write its RESULT.json."""
    with reporting_bad_input():
        summary, result = get_run(engine(), key)
    if output is not None:
        write_json_atomically(output, result)
        out.print(f"Written to {output}.")
        return
    metrics = result["metrics"]
    out.print(
        f"{summary.key}: {summary.method} (seed {summary.seed}, {summary.parameters}) on "
        f"{summary.applicants} applicants: matched {metrics['matched']}, first choice "
        f"{metrics['first_choice']}, blocking pairs {metrics['blocking_pairs']}, fill rate "
        f"{metrics['fill_rate']:.1%}.",
        highlight=False,
    )


@app.command()
def replay(key: str = typer.Argument(..., help="The run's key.")) -> None:
    """Solve the frozen problem again; exit 1 unless the result is identical (timings aside)."""
    with reporting_bad_input():
        outcome = replay_run(engine(), key)
    if outcome.identical:
        out.print(f"{key}: reproduced exactly (matches, explanations and metrics).")
        return
    err.print(f"{key}: differs in {', '.join(outcome.differences)}.", highlight=False)
    raise typer.Exit(1)
