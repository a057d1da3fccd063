"""`mobilise import` and `mobilise export`: organisations, people and skill claims as CSV or JSON.

Formats are described in docs/formats.md. Progress and summaries go to standard error, so an
export to standard output (`-`) stays clean.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from mobilise.cli.context import engine, err, reporting_bad_input
from mobilise.services.transfer import EXPORTS, IMPORTS

STANDARD_STREAM = "-"


class Kind(StrEnum):
    organisations = "organisations"
    people = "people"
    claims = "claims"


class FileFormat(StrEnum):
    csv = "csv"
    json = "json"


def _format(path: Path, given: FileFormat | None) -> str | None:
    if given is not None:
        return given.value
    return "csv" if str(path) == STANDARD_STREAM else None


def import_file(
    kind: Kind = typer.Argument(..., help="What the file holds: organisations, people or claims."),
    path: Path = typer.Argument(
        ..., help="A .csv or .json file (docs/formats.md); - reads standard input."
    ),
    framework: str | None = typer.Option(
        None,
        "--framework",
        help="Framework version that rows without a framework column refer to (default version).",
    ),
    file_format: FileFormat | None = typer.Option(
        None, "--format", help="csv or json; by default from the file's extension."
    ),
) -> None:
    """Import organisations, people or skill claims: upserts by key, all or nothing.

    Import organisations first, then people, then claims. Any broken rule rejects the whole file,
    lists every problem (row, column, value, rule) and changes nothing.
    """
    stdin = str(path) == STANDARD_STREAM
    with (
        reporting_bad_input(),
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bars,
    ):
        task = bars.add_task(f"Importing {kind.value}", total=None)

        def progress(done: int, total: int) -> None:
            bars.update(task, completed=done, total=total or None)

        report = IMPORTS[kind.value](
            engine(),
            sys.stdin.buffer if stdin else path,
            format=_format(path, file_format),
            framework=framework,
            progress=progress,
            name="standard input" if stdin else str(path),
        )
    err.print(
        f"Imported {report.rows:,} {kind.value} from {path}: {report.created:,} created, "
        f"{report.updated:,} updated, {report.unchanged:,} unchanged "
        f"in {report.seconds:.1f} s.",
        highlight=False,
        soft_wrap=True,
    )


def export_file(
    kind: Kind = typer.Argument(..., help="What to export: organisations, people or claims."),
    path: Path = typer.Argument(..., help="A .csv or .json file to write; - for standard output."),
    file_format: FileFormat | None = typer.Option(
        None, "--format", help="csv or json; by default from the file's extension (csv for -)."
    ),
) -> None:
    """Export organisations, people or skill claims in the import formats.

    Exports never include sensitive attributes. CSV cells that a spreadsheet could run as a
    formula are prefixed with an apostrophe, which an import removes again.
    """
    stdout = str(path) == STANDARD_STREAM
    with (
        reporting_bad_input(),
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bars,
    ):
        task = bars.add_task(f"Exporting {kind.value}", total=None)

        def progress(done: int, total: int) -> None:
            bars.update(task, completed=done, total=total)

        report = EXPORTS[kind.value](
            engine(),
            sys.stdout.buffer if stdout else path,
            format=_format(path, file_format),
            progress=progress,
        )
        if stdout:
            sys.stdout.flush()
    err.print(
        f"Exported {report.rows:,} {kind.value} to {path} in {report.seconds:.1f} s.",
        highlight=False,
        soft_wrap=True,
    )
