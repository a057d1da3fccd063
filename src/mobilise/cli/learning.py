"""`mobilise learning`: the learning catalogue — list, show, import, export, the demo catalogue,
and completions recorded by an operator.

File formats are in docs/formats.md ("Learning items"). Summaries go to standard error, so an
export to standard output (`-`) stays clean.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from mobilise.cli.context import engine, err, out, reporting_bad_input
from mobilise.cli.transfer import STANDARD_STREAM, FileFormat
from mobilise.core.learning_demo import DEFAULT_ITEMS
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.records.learning_items import format_hours
from mobilise.services import learning, learning_completions
from mobilise.services.transfer import export_learning_items, import_learning_items
from mobilise.settings import get_settings
from mobilise.store import schema

app = typer.Typer(help="The learning catalogue.", no_args_is_help=True)


class LearningFormat(StrEnum):
    e_learning = "e-learning"
    course = "course"
    article = "article"
    workshop = "workshop"
    apprenticeship_module = "apprenticeship-module"


def _file_format(path: Path, given: FileFormat | None) -> str | None:
    if given is not None:
        return given.value
    return "csv" if str(path) == STANDARD_STREAM else None


def _teaches(item: learning.LearningItemSummary) -> str:
    return ", ".join(f"{t.skill_key}:{t.level.label}" for t in item.teaches)


@app.command("list")
def list_(
    search: str | None = typer.Option(
        None, "--search", "-s", help="Words in the title, key, provider or description."
    ),
    item_format: LearningFormat | None = typer.Option(
        None, "--format", help="Only items of this format."
    ),
    skill: str | None = typer.Option(None, "--skill", help="Only items teaching this skill key."),
    provider: str | None = typer.Option(None, "--provider", help="Only this provider's items."),
    framework: str | None = typer.Option(
        None, "--framework", help="Framework version of --skill (default version)."
    ),
    page: int = typer.Option(1, min=1, help="Page number."),
    limit: int = typer.Option(50, min=1, max=learning.MAX_PAGE_SIZE, help="Items per page."),
) -> None:
    """List catalogue items by title, a page at a time."""
    with reporting_bad_input():
        found = learning.list_items(
            engine(),
            query=search,
            format=None if item_format is None else item_format.value,
            skill=skill,
            provider=provider,
            framework=framework,
            page=page,
            page_size=limit,
        )
    table = Table()
    table.add_column("key", no_wrap=True)  # keys are what the other commands take: keep them whole
    for heading in ("title", "provider", "format", "hours", "cost", "teaches"):
        table.add_column(heading)
    for item in found.items:
        table.add_row(
            item.key,
            item.title,
            item.provider,
            item.format,
            format_hours(item.hours),
            item.cost_pounds,
            _teaches(item),
        )
    out.print(table)
    out.print(
        f"Page {found.page} of {found.pages}: {len(found.items)} of {found.total:,} item(s).",
        highlight=False,
    )


@app.command()
def show(
    key: str = typer.Argument(..., help="The item's key."),
    as_json: bool = typer.Option(False, "--json", help="Print the item as JSON."),
) -> None:
    """Show one item: what it teaches, what it requires and what requires it."""
    with reporting_bad_input():
        item = learning.get_item(engine(), key)
    summary = item.summary
    if as_json:
        document = {
            "key": summary.key,
            "title": summary.title,
            "provider": summary.provider,
            "format": summary.format,
            "hours": format_hours(summary.hours),
            "cost_pence": summary.cost_pence,
            "teaches": [
                {"skill": t.skill_key, "framework": t.framework, "level": t.level.label}
                for t in summary.teaches
            ],
            "prerequisites": [p.key for p in item.prerequisites],
            "required_by": [p.key for p in item.required_by],
            "url": item.url,
            "description": item.description,
            "completions": item.completions,
        }
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"[bold]{summary.title}[/] ({summary.key})", highlight=False)
    out.print(
        f"{summary.provider} · {summary.format} · {format_hours(summary.hours)} hours · "
        f"{summary.cost_pounds}",
        highlight=False,
        markup=False,
    )
    for taught in summary.teaches:
        out.print(
            f"  teaches {taught.skill_name} ({taught.skill_key}) to {taught.level.label}",
            highlight=False,
            markup=False,
        )
    for label, items in (("requires", item.prerequisites), ("required by", item.required_by)):
        for other in items:
            out.print(f"  {label} {other.title} ({other.key})", highlight=False, markup=False)
    if item.url:
        out.print(item.url, highlight=False, markup=False)
    if item.description:
        out.print(item.description, highlight=False, markup=False)
    out.print(f"Completed {item.completions:,} time(s).", highlight=False)


@app.command("import")
def import_file(
    path: Path = typer.Argument(
        ..., help="A .csv or .json file (docs/formats.md); - reads standard input."
    ),
    framework: str | None = typer.Option(
        None,
        "--framework",
        help="Framework version of the skills of rows without a framework (default version).",
    ),
    file_format: FileFormat | None = typer.Option(
        None, "--format", help="csv or json; by default from the file's extension."
    ),
) -> None:
    """Import learning items: upserts by key, all or nothing.

    An item's skills and prerequisites are replaced by the file's. Any broken rule (an unknown
    skill, a level outside the scale, an unknown prerequisite, a cycle of prerequisites) rejects
    the whole file, lists every problem (row, column, value, rule) and changes nothing.
    """
    stdin = str(path) == STANDARD_STREAM
    with reporting_bad_input():
        report = import_learning_items(
            engine(),
            sys.stdin.buffer if stdin else path,
            format=_file_format(path, file_format),
            framework=framework,
            name="standard input" if stdin else str(path),
        )
    err.print(
        f"Imported {report.rows:,} learning items from {path}: {report.created:,} created, "
        f"{report.updated:,} updated, {report.unchanged:,} unchanged in {report.seconds:.1f} s.",
        highlight=False,
        soft_wrap=True,
    )


@app.command("export")
def export_file(
    path: Path = typer.Argument(..., help="A .csv or .json file to write; - for standard output."),
    file_format: FileFormat | None = typer.Option(
        None, "--format", help="csv or json; by default from the file's extension (csv for -)."
    ),
) -> None:
    """Export the whole catalogue in the import format."""
    stdout = str(path) == STANDARD_STREAM
    with reporting_bad_input():
        report = export_learning_items(
            engine(), sys.stdout.buffer if stdout else path, format=_file_format(path, file_format)
        )
        if stdout:
            sys.stdout.flush()
    err.print(
        f"Exported {report.rows:,} learning items to {path} in {report.seconds:.1f} s.",
        highlight=False,
        soft_wrap=True,
    )


@app.command()
def demo(
    items: int = typer.Option(DEFAULT_ITEMS, "--items", min=0, help="How many items."),
    seed: int | None = typer.Option(
        None, "--seed", help="The same seed gives the same catalogue (default: MOBILISE_DEMO_SEED)."
    ),
    framework: str | None = typer.Option(
        None, "--framework", help="Framework version whose skills the items teach (default)."
    ),
) -> None:
    """Generate a synthetic learning catalogue from the framework (upserts: safe to run again)."""
    chosen = get_settings().demo_seed if seed is None else seed
    with reporting_bad_input():
        database = engine()
        schema.upgrade(database)
        report = learning.generate_demo_catalogue(
            database, items=items, seed=chosen, framework=framework
        )
    out.print(
        f"Demo learning catalogue of {report.rows:,} items (seed {chosen}): "
        f"{report.created:,} created, {report.updated:,} updated, {report.unchanged:,} unchanged.",
        highlight=False,
    )


@app.command()
def complete(
    person: str = typer.Argument(..., help="The person's key."),
    item: str = typer.Argument(..., help="The learning item's key."),
    on: str | None = typer.Option(None, "--on", help="Day completed, YYYY-MM-DD (today)."),
) -> None:
    """Record that a person completed an item: claims each skill it teaches at its level."""
    with reporting_bad_input():
        completed_on = _day(on)
        done = learning_completions.record_completion(
            engine(), None, person, item, completed_on=completed_on
        )
    out.print(
        f"{done.person_key} completed {done.item_key} on {done.completed_on.isoformat()}.",
        highlight=False,
    )
    for claim in done.claims:
        out.print(
            f"  {claim.skill_key}: {claim.level.label} ({claim.outcome})",
            highlight=False,
            markup=False,
        )


@app.command()
def completions(person: str = typer.Argument(..., help="The person's key.")) -> None:
    """List what a person has completed, latest first."""
    with reporting_bad_input():
        done = learning_completions.list_completions(engine(), None, person)
    table = Table("completed on")
    table.add_column("key", no_wrap=True)
    for heading in ("title", "format", "hours"):
        table.add_column(heading)
    for completion in done:
        table.add_row(
            completion.completed_on.isoformat(),
            completion.item_key,
            completion.title,
            completion.format,
            format_hours(completion.hours),
        )
    out.print(table)


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            [Problem("command line", None, "--on", text, "must be a date written YYYY-MM-DD")]
        ) from None
