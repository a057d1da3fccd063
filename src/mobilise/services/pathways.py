"""Learning pathways for a person and a target role level: the least-hours (or cost, or mix) set
of learning items that closes every gap learning can close, prerequisites first (docs/profiles.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from sqlalchemy import Engine

from mobilise.core.framework import SkillLevel
from mobilise.core.learning.catalogue import prepare_catalogue
from mobilise.core.learning.pathway import Objective, plan_pathway
from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor
from mobilise.services.gaps import RoleLevelRef, standing_of, target_row
from mobilise.services.learning import CatalogueItem, load_catalogue
from mobilise.services.learning_completions import completed_item_ids

ObjectiveName = Literal["hours", "cost", "mix"]


@dataclass(frozen=True)
class PathwayItem:
    key: str
    title: str
    provider: str
    format: str
    hours: Decimal
    cost_pence: int
    closes: list[str]  # names of the gap skills it closes
    needed_for: list[str]  # titles of the pathway's items that need it first


@dataclass(frozen=True)
class OpenGap:
    skill_key: str
    skill_name: str
    current: SkillLevel | None
    required: SkillLevel
    best_taught: SkillLevel | None


@dataclass(frozen=True)
class PathwayView:
    person_key: str
    target: RoleLevelRef
    objective: ObjectiveName
    alpha: float
    items: list[PathwayItem]
    hours: Decimal
    cost_pence: int
    closed: int
    unclosable: list[OpenGap]
    optimal: bool


def objective_for(name: str, alpha: float | None = None) -> Objective:
    """`hours`, `cost`, or `mix` with `alpha` (the weight of hours, 0 to 1)."""
    if name == "hours":
        return Objective(1.0)
    if name == "cost":
        return Objective(0.0)
    if name == "mix" and alpha is not None and 0.0 <= alpha <= 1.0:
        return Objective(alpha)
    rule = (
        "a mix needs alpha from 0 (cost only) to 1 (hours only)"
        if name == "mix"
        else "must be hours, cost or mix"
    )
    column = "alpha" if name == "mix" else "objective"
    raise InvalidInput(
        [Problem("pathway", None, column, str(alpha if name == "mix" else name), rule)]
    )


def _level(value: int) -> SkillLevel | None:
    return SkillLevel(value) if value else None


def pathway_for(
    engine: Engine,
    actor: Actor,
    key: str,
    target_key: str,
    *,
    objective: str = "hours",
    alpha: float | None = None,
) -> PathwayView:
    chosen = objective_for(objective, alpha)
    standing = standing_of(engine, actor, key)
    row = target_row(standing, target_key)
    req = standing.requirements
    required = {
        req.axis.skill_ids[column]: int(level)
        for column, level in enumerate(req.matrix[row].tolist())
        if level
    }
    current = {
        req.axis.skill_ids[column]: int(level)
        for column, level in enumerate(standing.levels.tolist())
        if level
    }
    catalogue = prepare_catalogue(load_catalogue(engine))
    plan = plan_pathway(
        catalogue,
        current,
        required,
        completed_item_ids(engine, standing.person_id),
        chosen,
    )
    by_id: dict[int, CatalogueItem] = {step.item.id: step.item for step in plan.steps}
    items = [
        PathwayItem(
            key=step.item.key,
            title=step.item.title,
            provider=step.item.provider,
            format=step.item.format,
            hours=step.item.hours,
            cost_pence=step.item.cost_pence,
            closes=sorted(req.skills[skill][1] for skill in step.closes if skill in req.skills),
            needed_for=[by_id[item].title for item in step.required_by if item in by_id],
        )
        for step in plan.steps
    ]
    return PathwayView(
        person_key=key,
        target=req.role_levels[row],
        objective=chosen.name,
        alpha=chosen.alpha,
        items=items,
        hours=plan.hours,
        cost_pence=plan.cost_pence,
        closed=len(plan.closed),
        unclosable=[
            OpenGap(
                skill_key=req.skills[gap.skill_id][0],
                skill_name=req.skills[gap.skill_id][1],
                current=_level(gap.current),
                required=SkillLevel(gap.required),
                best_taught=_level(gap.best_taught),
            )
            for gap in plan.unclosable
        ],
        optimal=plan.status == "optimal",
    )
