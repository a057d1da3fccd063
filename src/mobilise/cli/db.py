"""`mobilise db`: create and upgrade the schema."""

from __future__ import annotations

import typer

from mobilise.cli.context import EXIT_BAD_INPUT, engine, err, out
from mobilise.services import setup
from mobilise.services.jobs import jobs_database_url, prepare_jobs_database
from mobilise.store import schema

app = typer.Typer(help="Create, upgrade and inspect the database schema.", no_args_is_help=True)


@app.command()
def upgrade(
    revision: str = typer.Argument("head", help="Migrate up to this Alembic revision."),
    defaults: bool = typer.Option(
        False,
        "--defaults",
        help="Then load the shipped DDaT framework and organisations if the database has none "
        "(a new production database; never demo people).",
    ),
) -> None:
    """Apply migrations (creates the SQLite file if needed) and prepare the job queue."""
    if defaults and revision != "head":
        err.print("[bold red]--defaults[/] loads data for the newest schema: use it with head.")
        raise typer.Exit(EXIT_BAD_INPUT)
    schema.upgrade(engine(), revision)
    out.print(f"Database at revision {schema.current_revision(engine())}.")
    if revision == "head":
        # The job queue's tables too, so no web process makes them on its first enqueue.
        prepare_jobs_database(jobs_database_url(engine()))
    if defaults:
        for line in setup.prepare(engine(), demo_people=0, seed=0)[1:]:
            out.print(line)


@app.command()
def downgrade(revision: str = typer.Argument(..., help="Migrate down to this revision.")) -> None:
    """Revert migrations down to REVISION (use 'base' to drop everything)."""
    schema.downgrade(engine(), revision)
    out.print(f"Database at revision {schema.current_revision(engine())}.")


@app.command()
def current() -> None:
    """Show the applied revision and the newest one available."""
    out.print(
        f"applied: {schema.current_revision(engine())}  newest: {schema.head_revision(engine())}"
    )
