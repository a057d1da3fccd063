"""`mobilise import` and `mobilise export` (being built; see issue 3)."""

from __future__ import annotations

from pathlib import Path

import typer


def import_file(kind: str = typer.Argument(...), path: Path = typer.Argument(...)) -> None:
    """Import people, claims or organisations from CSV or JSON."""
    raise typer.Exit(1)


def export_file(kind: str = typer.Argument(...), path: Path = typer.Argument(...)) -> None:
    """Export people, claims or organisations to CSV or JSON."""
    raise typer.Exit(1)
