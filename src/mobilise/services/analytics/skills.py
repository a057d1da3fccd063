"""Skills supply against demand: for each skill, people at or above each level (supply) and the
people whose role level requires it, how many of them are short of the required level, and the
places in open opportunities that need it (demand) — the biggest gaps first.

Each skill's figures come from one cross-table of people in post — rows: the level their role
level requires (none, awareness … expert), columns: the level their profile gives (none,
awareness … expert) — protected as a whole; a figure is published only when it follows from the
table's shown values (core/analytics/disclosure.determined), so no figure on the page reveals a
suppressed count.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, func, select

from mobilise.core.analytics import CountTable, ProtectedTable, determined, protect
from mobilise.services.actors import Actor
from mobilise.services.analytics.statistics import (
    Column,
    StatisticRow,
    StatisticTable,
    check_reader,
    share,
)
from mobilise.services.analytics.warehouse import open_snapshot
from mobilise.settings import get_settings
from mobilise.store.database import reading
from mobilise.store.models import (
    MarketplaceRound,
    Opportunity,
    OpportunitySkill,
    SkillRecord,
)

LEVELS = ("awareness", "working", "practitioner", "expert")
# Grid rows: required at awareness..expert (0..3), then not required (4); columns: no level (0),
# then awareness..expert (1..4).
NOT_REQUIRED = 4
Weights = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SkillGap:
    key: str
    name: str
    required: int | None
    short: int | None
    supply: tuple[int | None, ...]  # people at or above each level
    places: int  # places in open opportunities that need the skill


def _grid(counts: dict[tuple[int, int], int], in_post: int) -> npt.NDArray[np.int64]:
    grid = np.zeros((5, 5), dtype=np.int64)
    for (required, level), people in counts.items():
        row = NOT_REQUIRED if required == 0 else required - 1
        grid[row, level] = people
    # Everyone else in post neither needs nor has the skill.
    grid[NOT_REQUIRED, 0] = in_post - int(grid.sum())
    return grid


def _weights(
    cells: list[tuple[int, int]] | None = None, rows_total: list[int] | None = None
) -> Weights:
    weights = np.zeros((6, 6))
    for row, column in cells or []:
        weights[row, column] = 1
    for row in rows_total or []:
        weights[row, 5] = 1
    return weights


REQUIRED = _weights(rows_total=[0, 1, 2, 3])
SHORT = _weights(cells=[(row, level) for row in range(4) for level in range(row + 1)])
SUPPLY = tuple(
    _weights(cells=[(row, level) for row in range(5) for level in range(least, 5)])
    for least in range(1, 5)
)


def _published(
    protected: ProtectedTable, grid: npt.NDArray[np.int64], weights: Weights
) -> int | None:
    if not determined(protected, weights):
        return None
    extended = np.zeros((6, 6), dtype=np.int64)
    extended[:5, :5] = grid
    extended[:5, 5] = grid.sum(axis=1)
    extended[5, :5] = grid.sum(axis=0)
    extended[5, 5] = grid.sum()
    return int((weights * extended).sum())


def skill_gaps(
    engine: Engine,
    actor: Actor,
    *,
    threshold: int | None = None,
    path: Path | None = None,
) -> StatisticTable:
    """Every skill anyone holds or any role level needs, the largest shortfalls first."""
    check_reader(actor)
    threshold = threshold or get_settings().disclosure_threshold
    cursor = open_snapshot(engine, path)
    try:
        (in_post,) = cursor.execute("SELECT count(*) FROM person_fact WHERE in_post").fetchone()
        rows = cursor.execute("SELECT skill_id, required, level, people FROM skill_cube").fetchall()
    finally:
        cursor.close()
    by_skill: dict[int, dict[tuple[int, int], int]] = {}
    for skill_id, required, level, people in rows:
        by_skill.setdefault(skill_id, {})[(required, level)] = int(people)
    with reading(engine) as session:
        # Open opportunities' needs: places (not people), so published as they are.
        places = {
            skill_id: int(total)
            for skill_id, total in session.execute(
                select(OpportunitySkill.skill_id, func.sum(Opportunity.capacity))
                .join(Opportunity, Opportunity.id == OpportunitySkill.opportunity_id)
                .join(MarketplaceRound, MarketplaceRound.id == Opportunity.round_id)
                .where(MarketplaceRound.state == "open")
                .group_by(OpportunitySkill.skill_id)
            )
        }
        for skill_id in places:
            by_skill.setdefault(skill_id, {})
        names = {
            row.id: (row.key, row.name)
            for row in session.execute(
                select(SkillRecord.id, SkillRecord.key, SkillRecord.name).where(
                    SkillRecord.id.in_(list(by_skill))
                )
            )
        }
    gaps = []
    for skill_id, counts in by_skill.items():
        grid = _grid(counts, int(in_post))
        protected = protect(CountTable(grid), threshold)
        key, name = names.get(skill_id, (str(skill_id), f"Skill {skill_id}"))
        gaps.append(
            SkillGap(
                key=key,
                name=name,
                required=_published(protected, grid, REQUIRED),
                short=_published(protected, grid, SHORT),
                supply=tuple(_published(protected, grid, w) for w in SUPPLY),
                places=places.get(skill_id, 0),
            )
        )
    # Ordered by published figures only: the order must not hint at a suppressed one.
    gaps.sort(key=lambda g: (g.short is None, -(g.short or 0), -(g.required or 0), g.name))
    return _table(gaps, threshold, int(in_post))


def _table(gaps: list[SkillGap], threshold: int, in_post: int) -> StatisticTable:
    columns = (
        Column("required", "People whose role level requires it"),
        Column("short", "Of them, short of the required level"),
        Column("short_share", "Share short", "share"),
        Column("places", "Places in open opportunities needing it"),
        *(Column(f"supply_{level}", f"People at {level} or above") for level in LEVELS),
    )
    rows = []
    for gap in gaps:
        figures: tuple[Any, ...] = (
            gap.required,
            gap.short,
            share(gap.short, gap.required),
            gap.places,
            *gap.supply,
        )
        rows.append(StatisticRow(gap.key, gap.name, figures))
    return StatisticTable(
        key="skills-supply-and-demand",
        title="Skills supply against demand, the largest shortfalls first",
        row_heading="Skill",
        columns=columns,
        rows=tuple(rows),
        totals=None,
        threshold=threshold,
        notes=(
            f"Counts {in_post:,} people in post. Supply is the level a person's profile gives "
            "(the best source, then the latest claim); demand is what their role level requires, "
            "and the places in opportunities of open rounds that need the skill (places, not "
            "people: published as they are).",
        ),
    )
