"""`mobilise analytics` (refresh the warehouse, export Parquet) and `mobilise targets`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from mobilise.cli.context import engine, out, reporting_bad_input
from mobilise.services.actors import command_line_actor
from mobilise.services.analytics.export import export_parquet
from mobilise.services.analytics.warehouse import default_path, refresh
from mobilise.services.targets import (
    TargetView,
    list_targets,
    remove_target,
    set_target,
    target_progress,
)
from mobilise.store import schema
from mobilise.store.models.analytics import TARGET_METRICS

app = typer.Typer(help="Workforce analytics: the DuckDB warehouse and Parquet exports.")
targets_app = typer.Typer(help="Targets: list, show with projection, set, remove.")


@app.command("refresh")
def refresh_command(
    full: bool = typer.Option(
        False,
        "--full",
        help="Rebuild everything (also picks up claims and people changed in place).",
    ),
) -> None:
    """Bring the analytics warehouse up to date with the store (incrementally by default)."""
    database = engine()
    schema.upgrade(database)
    result = refresh(database, full=full)
    out.print(
        f"{'Rebuilt' if result.full else 'Refreshed'} {default_path(database)} in "
        f"{result.seconds:.1f} s: skill levels of {result.people_changed:,} people re-read"
        f"{', people re-read' if result.people_reread and not result.full else ''}"
        f"{', monthly headcounts recounted' if result.positions_recounted else ''}.",
        highlight=False,
    )


@app.command("export")
def export_command(
    parquet: Path = typer.Option(
        ...,
        "--parquet",
        help="Directory for the Parquet files (created if missing).",
        file_okay=False,
    ),
) -> None:
    """Write the analytics facts as Parquet: pseudonymised ids, no names, no sensitive data."""
    database = engine()
    schema.upgrade(database)
    with reporting_bad_input():
        files = export_parquet(database, command_line_actor(), parquet)
    table = Table("file", "rows")
    for item in files:
        table.add_row(str(item.path), f"{item.rows:,}")
    out.print(table)


def _value(value: float, share: bool) -> str:
    return f"{value:.1%}" if share else f"{value:,.0f}"


@targets_app.command("list")
def list_command() -> None:
    """Every target with its latest value, projection and status."""
    database = engine()
    actor = command_line_actor()
    table = Table("key", "target", "deadline", "latest", "projected", "status")
    for target in list_targets(database, actor):
        progress = target_progress(database, actor, target.key)
        found = progress.outlook
        table.add_row(
            target.key,
            target.title,
            target.deadline.isoformat(),
            _value(found.current.value, target.is_share) if found else "–",
            _value(found.at_deadline, target.is_share) if found else "–",
            ("on track" if found.on_track else "off track") if found else "not enough data",
        )
    out.print(table)


@targets_app.command("show")
def show_command(key: str = typer.Argument(..., help="The target's key.")) -> None:
    """A target's trajectory each March and its projection to the deadline."""
    with reporting_bad_input():
        progress = target_progress(engine(), command_line_actor(), key)
    target = progress.target
    out.print(
        f"{target.title} ({target.metric}, {target.scope}): "
        f"{_value(target.value, target.is_share)} by {target.deadline}",
        highlight=False,
    )
    for row in progress.trajectory.rows:
        figure = row.figures[-1]
        out.print(f"  {row.label}: {'[c]' if figure is None else _value(figure, target.is_share)}")
    found = progress.outlook
    if found is None:
        out.print(progress.reason)
        return
    out.print(
        f"Projected {_value(found.at_deadline, target.is_share)} at the deadline (95% interval "
        f"{_value(found.low, target.is_share)} to {_value(found.high, target.is_share)}): "
        f"{'on track' if found.on_track else 'off track'}.",
        highlight=False,
    )


@targets_app.command("set")
def set_command(
    key: str = typer.Argument(..., help="A new key, or an existing target's to change it."),
    title: str = typer.Option(..., "--title"),
    metric: str = typer.Option(..., "--metric", help="One of " + ", ".join(TARGET_METRICS) + "."),
    value: float = typer.Option(..., "--value", help="A count, or a share between 0 and 1."),
    deadline: str = typer.Option(..., "--deadline", help="YYYY-MM-DD."),
    scope: str = typer.Option(
        "civil-service", "--scope", help="civil-service, or programme:KEY for programme metrics."
    ),
    baseline: float | None = typer.Option(None, "--baseline", help="Value at the baseline date."),
    baseline_on: str | None = typer.Option(None, "--baseline-on", help="YYYY-MM-DD."),
    source: str = typer.Option("", "--source", help="Where the target comes from."),
) -> None:
    """Create or change a target (audited)."""
    with reporting_bad_input():
        view = set_target(
            engine(),
            command_line_actor(),
            TargetView(
                key=key,
                title=title,
                metric=metric,
                scope=scope,
                value=value,
                baseline=baseline,
                baseline_on=_day("--baseline-on", baseline_on) if baseline_on else None,
                deadline=_day("--deadline", deadline),
                source=source,
            ),
        )
    out.print(f"Target {view.key} set.")


def _day(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date (YYYY-MM-DD)", param_hint=option
        ) from None


@targets_app.command("remove")
def remove_command(key: str = typer.Argument(..., help="The target's key.")) -> None:
    """Remove a target (audited)."""
    with reporting_bad_input():
        remove_target(engine(), command_line_actor(), key)
    out.print(f"Target {key} removed.")
