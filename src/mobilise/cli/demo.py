"""`mobilise demo`: generate a synthetic workforce (being built; see issue 3)."""

from __future__ import annotations

import typer


def demo(
    people: int = typer.Option(5000, "--people", help="How many people to generate."),
    seed: int = typer.Option(1, "--seed", help="Seed: the same seed gives the same workforce."),
) -> None:
    """Generate a reproducible synthetic workforce."""
    raise typer.Exit(1)
