"""`mobilise marketplace`: rounds and opportunities for operators — list, open a round, post an
opportunity, see an opportunity's applicants by fit, close, allocate, start and finish a round,
and generate the demo marketplace."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from mobilise.cli.context import engine, err, out, reporting_bad_input
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.programmes import CohortAction
from mobilise.services import marketplace_demo
from mobilise.services.actors import command_line_actor
from mobilise.services.documents import read_json_document
from mobilise.services.marketplace_applications import ranked_applicants, score_applicant
from mobilise.services.marketplace_rounds import (
    RoundSpec,
    change_round,
    get_round,
    list_rounds,
    moves_of,
    open_round,
)
from mobilise.services.opportunities import OpportunitySpec, RequiredSkill, post_opportunity
from mobilise.services.round_allocation import allocate_round
from mobilise.settings import get_settings

app = typer.Typer(
    help="The opportunity marketplace: rounds and opportunities.", no_args_is_help=True
)
DAY = ["%Y-%m-%d"]


@app.command("rounds")
def rounds() -> None:
    """Rounds, newest first, with their opportunities, places and applications."""
    table = Table()
    for heading in ("round", "state", "opportunities", "places", "applications", "run"):
        table.add_column(heading)
    for found in list_rounds(engine(), command_line_actor()):
        table.add_row(
            found.key,
            found.state.value,
            str(found.opportunities),
            str(found.places),
            ", ".join(f"{k} {v}" for k, v in sorted(found.applications.items())),
            found.allocation_run_key or "",
        )
    out.print(table)


@app.command()
def show(round_key: str = typer.Argument(..., metavar="ROUND", help="The round's key.")) -> None:
    """A round's opportunities and the moves it recorded."""
    actor = command_line_actor()
    with reporting_bad_input():
        found, items = get_round(engine(), actor, round_key)
        moves = moves_of(engine(), actor, round_key)
    out.print(
        f"{found.name}: {found.state.value}, run by {found.organisation_name}", highlight=False
    )
    for o in items:
        out.print(
            f"  {o.key}: {o.title} ({o.kind.value}, {o.organisation_key}, {o.capacity} places)",
            highlight=False,
        )
    for m in moves:
        until = m.ended_on.isoformat() if m.ended_on else "continuing"
        out.print(
            f"  moved: {m.person_key} to {m.organisation_name}, {m.started_on} to {until}",
            highlight=False,
        )


@app.command("open")
def open_(
    key: str = typer.Argument(..., help="The round's key."),
    name: str = typer.Option(..., "--name"),
    organisation: str = typer.Option(..., "--organisation", help="Who runs it."),
    closes: datetime | None = typer.Option(None, "--closes", formats=DAY),
    programme: str | None = typer.Option(None, "--programme", help="Whose intake it is."),
    quotas: Path | None = typer.Option(None, "--quotas", help="JSON list of the engine's quotas."),
) -> None:
    """Open a round (a programme's intake with --programme; allocated fairly with --quotas)."""
    with reporting_bad_input():
        listed: Any = read_json_document(quotas) if quotas else []
        if not isinstance(listed, list):
            raise InvalidInput([Problem(str(quotas), None, "quotas", None, "must be a JSON list")])
        spec = RoundSpec(
            key,
            name,
            organisation,
            closes.date() if closes else None,
            programme=programme,
            quotas=listed,
        )
        opened = open_round(engine(), None, spec)
    out.print(f"Round {opened} is open.", highlight=False)


@app.command()
def post(
    key: str = typer.Argument(..., help="The opportunity's key."),
    round_key: str = typer.Option(..., "--round"),
    organisation: str = typer.Option(..., "--organisation", help="The hosting organisation."),
    kind: str = typer.Option(..., "--kind", help="secondment_in, secondment_out, loan, …"),
    title: str = typer.Option(..., "--title"),
    starts: datetime = typer.Option(..., "--starts", formats=DAY),
    ends: datetime = typer.Option(..., "--ends", formats=DAY),
    places: int = typer.Option(1, "--places", min=0),
    place: str = typer.Option("", "--place"),
    summary: str = typer.Option("", "--summary"),
    role: str | None = typer.Option(None, "--role", help="An apprenticeship's role."),
    skill: list[str] = typer.Option(
        [], "--skill", help="SKILL=LEVEL, e.g. data-engineering=practitioner; repeat."
    ),
) -> None:
    """Post an opportunity into an open round."""
    with reporting_bad_input():
        required = [RequiredSkill(s.partition("=")[0], s.partition("=")[2]) for s in skill]
        spec = OpportunitySpec(
            key=key,
            round=round_key,
            organisation=organisation,
            kind=kind,
            title=title,
            starts_on=starts.date(),
            ends_on=ends.date(),
            capacity=places,
            place=place,
            summary=summary,
            skills=required,
            role=role,
        )
        posted = post_opportunity(engine(), None, spec)
    out.print(f"Opportunity {posted} is posted.", highlight=False)


@app.command()
def applicants(opportunity: str = typer.Argument(..., help="The opportunity's key.")) -> None:
    """An opportunity's applications, best fit first."""
    with reporting_bad_input():
        rows = ranked_applicants(engine(), command_line_actor(), opportunity)
    table = Table()
    for heading in ("application", "person", "state", "choice", "fit"):
        table.add_column(heading)
    for a in rows:
        table.add_row(
            a.key, a.person_key, a.state.value, str(a.preference), f"{100 * (a.fit or 0):.0f}%"
        )
    out.print(table)


@app.command()
def score(
    application: str = typer.Argument(..., help="The application's key."),
    value: float = typer.Argument(..., metavar="SCORE", help="0 to 100; ranks before fit."),
) -> None:
    """Score an applicant for the opportunity's owners (a placement ranking its candidates)."""
    with reporting_bad_input():
        score_applicant(engine(), command_line_actor(), application, value)
    out.print(f"{application} scored {value:g}.", highlight=False)


def _round_action(round_key: str, action: CohortAction) -> None:
    with reporting_bad_input():
        state = change_round(engine(), None, round_key, action)
    out.print(f"{round_key} is {state.value}.")


@app.command()
def close(round_key: str = typer.Argument(..., metavar="ROUND")) -> None:
    """Close a round to applications."""
    _round_action(round_key, CohortAction.CLOSE)


@app.command()
def allocate(
    round_key: str = typer.Argument(..., metavar="ROUND"),
    seed: int = typer.Option(0, "--seed", help="The allocation engine's seed."),
) -> None:
    """Allocate a closed round with the engine and publish the offers (one transaction)."""
    with reporting_bad_input():
        outcome = allocate_round(engine(), None, round_key, seed=seed)
    out.print(
        f"Run {outcome.run_key} (stable): {len(outcome.offered)} offered, "
        f"{len(outcome.not_selected)} not selected, {len(outcome.lapsed)} not released in time.",
        highlight=False,
    )


@app.command()
def start(round_key: str = typer.Argument(..., metavar="ROUND")) -> None:
    """Start an allocated round: each accepted person's move is recorded."""
    _round_action(round_key, CohortAction.START)


@app.command()
def finish(round_key: str = typer.Argument(..., metavar="ROUND")) -> None:
    """Finish a round: each returns to their own organisation."""
    _round_action(round_key, CohortAction.FINISH)


@app.command()
def demo(
    seed: int | None = typer.Option(None, "--seed", help="Default: MOBILISE_DEMO_SEED."),
) -> None:
    """Generate the demo marketplace (once) over the demo workforce."""
    database = engine()
    if not marketplace_demo.marketplace_is_empty(database):
        err.print("[bold red]Refused:[/] the marketplace has rounds already.", highlight=False)
        raise typer.Exit(2)
    with reporting_bad_input():
        made = marketplace_demo.generate_demo_marketplace(
            database, seed=get_settings().demo_seed if seed is None else seed
        )
    out.print(
        f"Generated {made.rounds} rounds, {made.opportunities} opportunities and "
        f"{made.applications} applications.",
        highlight=False,
    )
