"""`mobilise teams`: form balanced teams for a hackathon or cohort."""

from __future__ import annotations

from pathlib import Path

import typer

from mobilise.cli.context import out, reporting_bad_input
from mobilise.services.teams import form_teams_from_file


def teams(
    people: Path = typer.Argument(..., help="PEOPLE.json (format: docs/teams.md)."),
    size: int = typer.Option(..., "--size", help="Team size; sizes differ by at most one."),
    similar: list[str] = typer.Option(
        [], "--similar", help="Attribute members of a team should share (e.g. availability)."
    ),
    diverse: list[str] = typer.Option(
        [], "--diverse", help="Attribute to spread across teams (e.g. organisation, skills)."
    ),
    never_isolate: list[str] = typer.Option(
        [], "--never-isolate", help="ATTRIBUTE=VALUE: never leave one such person alone in a team."
    ),
    exact: bool = typer.Option(
        False, "--exact", help="Prove the optimum with CP-SAT (small groups only)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the search."),
    rounds: int = typer.Option(300, "--rounds", min=0, help="Kick-and-descend rounds of search."),
    seconds: float = typer.Option(
        1.5, "--seconds", min=0, help="Stop searching after this long (0: no limit, reproducible)."
    ),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write TEAMS.json."),
) -> None:
    """Form teams that maximise the worst team's score, with no one isolated when avoidable."""
    with reporting_bad_input():
        result = form_teams_from_file(
            people,
            output,
            size=size,
            similar=similar,
            diverse=diverse,
            never_isolate=never_isolate,
            exact=exact,
            seed=seed,
            rounds=rounds,
            seconds=seconds or None,
        )
    metrics = result["metrics"]
    optimal = " (proven optimal)" if metrics["proven_optimal"] else ""
    out.print(
        f"{metrics['teams']} teams of {metrics['people']} people: worst team "
        f"{metrics['worst_team_score']:.3f}{optimal}, mean {metrics['mean_team_score']:.3f}, "
        f"isolated {metrics['isolated']}. Written to {output}."
    )
