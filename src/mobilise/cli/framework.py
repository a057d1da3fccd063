"""`mobilise framework`: import, list, show and compare capability framework versions."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer
from rich.table import Table

from mobilise.cli.context import engine, out, reporting_bad_input
from mobilise.services import framework as frameworks

app = typer.Typer(help="Capability framework versions.", no_args_is_help=True)


@app.command("import")
def import_(
    directory: Path = typer.Argument(..., help="Directory of CSV files in the DDaT export shape."),
    name: str = typer.Option(
        ..., "--name", help="Name of the new version, e.g. ddat-2026 or council-x."
    ),
    title: str | None = typer.Option(None, help="Human title (default: the name)."),
    source: str = typer.Option("", help="Where the files came from."),
    licence: str = typer.Option("", help="Licence or attribution line of the files."),
    default: bool = typer.Option(False, "--default", help="Make this the default version."),
) -> None:
    """Import a framework as a new version; any bad row rejects the whole import."""
    with reporting_bad_input():
        summary = frameworks.import_framework(
            engine(),
            directory,
            name,
            title=title,
            source=source,
            licence=licence,
            make_default=default,
        )
    out.print(
        f"Imported framework {summary.name!r}: {summary.job_families} job families, "
        f"{summary.roles} roles, {summary.role_levels} role levels, {summary.skills} skills, "
        f"{summary.requirements} requirements."
    )


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the stored framework versions."""
    summaries = frameworks.list_frameworks(engine())
    if as_json:
        out.print_json(json.dumps([asdict(s) for s in summaries], default=str))
        return
    table = Table("name", "title", "default", "families", "roles", "role levels", "skills")
    for s in summaries:
        table.add_row(
            s.name,
            s.title,
            "yes" if s.is_default else "",
            str(s.job_families),
            str(s.roles),
            str(s.role_levels),
            str(s.skills),
        )
    out.print(table)


@app.command()
def show(
    name: str = typer.Argument(None, help="Version name (default: the default version)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a version: its families and roles with their level counts."""
    with reporting_bad_input():
        summary = frameworks.summarise_framework(engine(), name)
        framework = frameworks.load_framework(engine(), name)
    if as_json:
        out.print_json(
            json.dumps({"summary": asdict(summary), "framework": asdict(framework)}, default=str)
        )
        return
    out.print(
        f"[bold]{summary.title}[/] ({summary.name}){' — default' if summary.is_default else ''}"
    )
    if summary.licence:
        out.print(summary.licence, highlight=False)
    for family in framework.job_families:
        out.print(f"\n[bold]{family.name}[/]")
        for role in (r for r in framework.roles if r.family_key == family.key):
            levels = [lv for lv in framework.role_levels if lv.role_key == role.key]
            note = f"{len(levels)} levels" if levels else "no levels (skills only)"
            out.print(f"  {role.name} — {note}", highlight=False)


@app.command()
def diff(
    old: str = typer.Argument(..., help="The older version."),
    new: str = typer.Argument(..., help="The newer version."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """What was added, removed and changed between two versions."""
    with reporting_bad_input():
        result = frameworks.diff_versions(engine(), old, new)
    if as_json:
        out.print_json(json.dumps({k: asdict(v) for k, v in result.kinds.items()}))
        return
    if result.empty:
        out.print("No differences.")
        return
    for kind, change in result.kinds.items():
        if change.empty:
            continue
        out.print(
            f"[bold]{kind}[/]: +{len(change.added)} -{len(change.removed)} ~{len(change.changed)}"
        )
        for label, keys in (("+", change.added), ("-", change.removed), ("~", change.changed)):
            for key in keys:
                out.print(f"  {label} {key}", highlight=False, markup=False)
