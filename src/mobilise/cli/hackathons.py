"""`mobilise hackathons`: hackathons for operators — list them, move one through its states, form
its teams, show its results, and generate the demo hackathons."""

from __future__ import annotations

import typer
from rich.table import Table

from mobilise.cli.context import engine, err, out, reporting_bad_input
from mobilise.services import hackathon_demo
from mobilise.services.actors import command_line_actor
from mobilise.services.hackathon_judging import public_results
from mobilise.services.hackathon_teams import form_hackathon_teams
from mobilise.services.hackathon_transitions import change_hackathon
from mobilise.services.hackathons import list_hackathons
from mobilise.settings import get_settings

app = typer.Typer(help="Hackathons: events, teams, judging and results.", no_args_is_help=True)


@app.command("list")
def list_() -> None:
    """Every hackathon, soonest first."""
    table = Table("key", "title", "run by", "starts", "state", "signed up")
    for h in list_hackathons(engine(), command_line_actor()):
        table.add_row(
            h.key,
            h.title,
            h.organisation_key,
            h.starts_on.isoformat(),
            h.state.value,
            f"{h.participants}/{h.capacity}",
        )
    out.print(table)


@app.command()
def advance(
    hackathon: str = typer.Argument(..., help="The hackathon's key."),
    action: str = typer.Argument(
        ...,
        help="open_sign_up, publish_teams, open_submissions, start_judging or publish_results.",
    ),
) -> None:
    """Move a hackathon to its next state (audited, with its messages)."""
    with reporting_bad_input():
        state = change_hackathon(engine(), None, hackathon, action)
    out.print(f"{hackathon} is now {state.value}.")


@app.command()
def teams(
    hackathon: str = typer.Argument(..., help="The hackathon's key."),
    seed: int = typer.Option(0, min=0, help="The engine's seed; another gives other teams."),
) -> None:
    """Form (or form again) the draft teams while sign-up is open."""
    with reporting_bad_input():
        count = form_hackathon_teams(engine(), None, hackathon, seed=seed)
    out.print(f"Formed {count} teams for {hackathon} (seed {seed}).")


@app.command()
def results(hackathon: str = typer.Argument(..., help="The hackathon's key.")) -> None:
    """The published results, as the public page shows them."""
    try:
        found = public_results(engine(), hackathon)
    except LookupError:
        err.print(f"[bold red]Refused:[/] {hackathon} has no published results.", highlight=False)
        raise typer.Exit(2) from None
    table = Table("rank", "team", "challenge", "submission")
    for team in found.teams:
        table.add_row(
            str(team.rank or "-"),
            team.name,
            team.challenge or "",
            team.submission.title if team.submission else "",
        )
    out.print(table)


@app.command()
def demo(
    seed: int | None = typer.Option(None, "--seed", help="Default: MOBILISE_DEMO_SEED."),
) -> None:
    """Generate the two demo hackathons (once) over the demo workforce and register."""
    database = engine()
    if not hackathon_demo.hackathons_are_empty(database):
        err.print("[bold red]Refused:[/] hackathons exist already.", highlight=False)
        raise typer.Exit(2)
    with reporting_bad_input():
        made = hackathon_demo.generate_demo_hackathons(
            database, seed=get_settings().demo_seed if seed is None else seed
        )
    out.print(f"Generated {made.hackathons} demo hackathons with {made.participants} participants.")
