"""`mobilise demo`: generate a reproducible synthetic workforce, with a progress bar."""

from __future__ import annotations

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mobilise.cli.context import EXIT_BAD_INPUT, engine, err, out, reporting_bad_input
from mobilise.services import demo as demos
from mobilise.settings import get_settings
from mobilise.store import schema


def demo(
    people: int | None = typer.Option(
        None,
        "--people",
        help="People in post to generate, leavers on top (default: MOBILISE_DEMO_PEOPLE or 5000).",
    ),
    seed: int | None = typer.Option(
        None,
        "--seed",
        help="The same seed gives the same workforce (default: MOBILISE_DEMO_SEED).",
    ),
    claims_per_person: float = typer.Option(
        8.0, "--claims-per-person", help="Average skill claims per person in post."
    ),
    history: bool = typer.Option(
        True,
        "--history/--no-history",
        help="Monthly history from 2020 (joiners, leavers, moves, promotions), or today only.",
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Delete earlier demo people first (in the same transaction)."
    ),
) -> None:
    """Generate a reproducible synthetic workforce calibrated on civil service statistics."""
    settings = get_settings()
    people = settings.demo_people if people is None else people
    seed = settings.demo_seed if seed is None else seed
    with reporting_bad_input():
        demos.check_demo_options(people, claims_per_person)
        database = engine()
        schema.upgrade(database)
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("Writing rows", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            try:
                result = demos.generate_demo(
                    database,
                    people=people,
                    seed=seed,
                    claims_per_person=claims_per_person,
                    history=history,
                    replace=replace,
                    progress=advance,
                )
            except demos.WorkforceExists as error:
                err.print(f"[bold red]Refused:[/] {error}: pass --replace.", highlight=False)
                raise typer.Exit(EXIT_BAD_INPUT) from None
    out.print(
        f"Generated {result.people:,} people in post and {result.leavers:,} leavers with "
        f"{result.positions:,} positions and {result.claims:,} skill claims "
        f"in {result.seconds:.1f} s (seed {seed})."
    )
