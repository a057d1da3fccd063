"""`mobilise pathway`: a person's least-hours (or cost) learning pathway to a role level."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from mobilise.cli.context import engine, out, reporting_bad_input
from mobilise.services.actors import command_line_actor
from mobilise.services.pathways import pathway_for


def pathway(
    person: str = typer.Argument(..., help="The person's key."),
    target: str = typer.Option(..., help="The target role level's key."),
    objective: str = typer.Option("hours", help="What to minimise: hours, cost or mix."),
    alpha: float | None = typer.Option(
        None, help="For mix: the weight of hours, from 0 (cost only) to 1 (hours only)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """The learning items that close a person's gaps to a role level at least hours or cost."""
    with reporting_bad_input():
        plan = pathway_for(
            engine(), command_line_actor(), person, target, objective=objective, alpha=alpha
        )
    if as_json:
        out.print_json(
            json.dumps(
                {
                    "person": plan.person_key,
                    "target": plan.target.key,
                    "objective": plan.objective,
                    "alpha": plan.alpha,
                    "optimal": plan.optimal,
                    "hours": str(plan.hours),
                    "cost_pence": plan.cost_pence,
                    "items": [
                        {
                            "key": i.key,
                            "title": i.title,
                            "hours": str(i.hours),
                            "cost_pence": i.cost_pence,
                            "closes": i.closes,
                            "needed_for": i.needed_for,
                        }
                        for i in plan.items
                    ],
                    "unclosable": [
                        {
                            "skill": g.skill_key,
                            "current": None if g.current is None else int(g.current),
                            "required": int(g.required),
                        }
                        for g in plan.unclosable
                    ],
                }
            )
        )
        return
    table = Table("#", "item", "hours", "cost £", "closes")
    for number, item in enumerate(plan.items, start=1):
        table.add_row(
            str(number),
            item.title,
            str(item.hours),
            f"{item.cost_pence / 100:,.2f}",
            ", ".join(item.closes),
        )
    out.print(table)
    out.print(
        f"{len(plan.items)} item(s), {plan.hours} hours, £{plan.cost_pence / 100:,.2f}"
        f" ({'optimal' if plan.optimal else 'best found in the time allowed'});"
        f" {len(plan.unclosable)} gap(s) no item closes."
    )
