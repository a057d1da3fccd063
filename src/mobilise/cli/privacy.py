"""`mobilise retention apply` (delete records past their retention limits) and `mobilise privacy
export` (everything held about one person, as JSON, for a request made outside the service)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from mobilise.cli.context import engine, out
from mobilise.services.actors import command_line_actor
from mobilise.services.personal_data import personal_data_by_key
from mobilise.services.retention import apply_retention
from mobilise.store import schema

retention_app = typer.Typer(help="Retention: delete records older than their limits.")
privacy_app = typer.Typer(help="Personal data: export everything held about a person.")


@retention_app.command("apply")
def apply_command(
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Count what would be deleted; change nothing."
    ),
) -> None:
    """Delete every kind of record older than its retention limit (MOBILISE_RETENTION_*)."""
    database = engine()
    schema.upgrade(database)
    outcomes = apply_retention(database, command_line_actor(), dry_run=dry_run)
    table = Table(title="Would delete (dry run)" if dry_run else "Deleted")
    for column in ("Kind", "Limit (days)", "Older than", "Records"):
        table.add_column(column)
    for outcome in outcomes:
        table.add_row(
            outcome.description,
            str(outcome.days),
            outcome.cutoff.date().isoformat(),
            f"{outcome.records:,}",
        )
    out.print(table)


@privacy_app.command("export")
def export_command(
    person: str = typer.Argument(..., help="The person's key."),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Write the JSON here (default: standard output).",
        dir_okay=False,
    ),
) -> None:
    """Everything Mobilise holds about one person, as the JSON document of /me/data."""
    try:
        document = personal_data_by_key(engine(), person)
    except LookupError as error:
        out.print(f"[red]{error.args[0]}[/red]")
        raise typer.Exit(1) from None
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        out.print(f"Wrote {output}", highlight=False)
