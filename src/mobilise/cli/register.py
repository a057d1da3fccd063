"""`mobilise register`: import the published ATRS records, export the register or one record;
a project's task list and publishing it."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import typer

from mobilise.cli.context import engine, out, reporting_bad_input
from mobilise.services.actors import command_line_actor
from mobilise.services.register_drafts import team_project
from mobilise.services.register_editing import publish_project
from mobilise.services.register_transfer import (
    export_record,
    export_register_csv,
    export_register_json,
    import_register,
)

app = typer.Typer(help="The AI project register (ATRS records).", no_args_is_help=True)


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"


@app.command("import")
def import_records(
    directory: Path | None = typer.Argument(
        None,
        help="A directory of <slug>.json ATRS records (and optionally organisations.csv); "
        "default: the 136 published records shipped with Mobilise.",
    ),
) -> None:
    """Import every record in one transaction, creating the organisations they name."""
    with reporting_bad_input():
        report = import_register(engine(), directory)
    out.print(
        f"Imported {report.created + report.updated} record(s): {report.created} new, "
        f"{report.updated} updated; {report.organisations_created} organisation(s) added."
    )


@app.command("export")
def export(
    key: str | None = typer.Option(None, "--key", help="Only this record, in its JSON shape."),
    format: ExportFormat = typer.Option(ExportFormat.json, "--format"),
    output: Path | None = typer.Option(None, "--output", "-o", help="File; default stdout."),
) -> None:
    """Export the whole register (JSON list or CSV) or one record (JSON)."""
    with reporting_bad_input():
        if key is not None:
            if format is ExportFormat.csv:
                raise typer.BadParameter("one record exports as JSON only", param_hint="--format")
            text = json.dumps(export_record(engine(), key), ensure_ascii=False, indent=2) + "\n"
        elif format is ExportFormat.csv:
            text = export_register_csv(engine())
        else:
            text = json.dumps(export_register_json(engine()), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@app.command("status")
def status(key: str = typer.Argument(..., help="The project's key.")) -> None:
    """A project's ATRS task list: each section's status and missing fields, what publishing
    still needs, and its data-ethics self-assessment."""
    with reporting_bad_input():
        project = team_project(engine(), command_line_actor(), key)
    out.print(f"{project.view.title} ({project.kind}, {project.view.status})")
    for state in project.sections:
        missing = ", ".join(f.label for f in state.missing)
        out.print(
            f"  {state.section.title}: {state.status.value}"
            + (f"; needs {missing}" if missing else "")
        )
    needs = ", ".join(f.label for f in project.missing) or "nothing more"
    out.print(f"Publishing needs: {needs}")
    ethics = project.ethics
    out.print(
        f"Self-assessment: {ethics.status.value}, {ethics.answered} of {ethics.total} answered, "
        f"{len(ethics.needs_action)} needing action"
    )


@app.command("publish")
def publish(key: str = typer.Argument(..., help="The project's key.")) -> None:
    """Publish a draft; refused, naming each missing field, until every required one is answered."""
    with reporting_bad_input():
        publish_project(engine(), command_line_actor(), key)
    out.print(f"Published {key}.")
