"""`mobilise guidance`: load the shipped public guidance, list it, and search guidance, the
register and learning together from the command line."""

from __future__ import annotations

import typer

from mobilise.cli.context import engine, out, reporting_bad_input
from mobilise.services.guidance import list_guidance, seed_guidance
from mobilise.services.site_search import search_site

app = typer.Typer(help="The guidance hub, and search across it.", no_args_is_help=True)


@app.command("seed")
def seed() -> None:
    """Add the shipped guidance items not stored yet (teams are not notified of these)."""
    with reporting_bad_input():
        added = seed_guidance(engine())
    out.print(f"Added {added} guidance item(s).")


@app.command("list")
def list_items(
    phase: str | None = typer.Option(None, help="Only items for this register project phase."),
    kind: str | None = typer.Option(None, help="Only items for projects or challenges."),
) -> None:
    """Guidance, current first; a replaced item names what replaced it."""
    for item in list_guidance(engine(), phase=phase, kind=kind):
        newer = item.superseded_by
        replaced = "" if newer is None else f"  (replaced by {newer.key})"
        out.print(f"{item.key}\t{item.published_on}\t{item.title}{replaced}", highlight=False)


@app.command("search")
def search(
    query: str = typer.Argument(..., help="Words to search for."),
    limit: int = typer.Option(10, min=1, max=100, help="How many results."),
) -> None:
    """Search guidance, published register records and learning, best first."""
    with reporting_bad_input():
        found = search_site(engine(), query, page_size=limit)
    for result in found.results:
        out.print(
            f"{result.score:.3f}\t{result.kind}\t{result.key}\t{result.title}", highlight=False
        )
    out.print(f"{found.total} result(s).")
