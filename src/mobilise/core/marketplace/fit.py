"""How well a person fits an opportunity's required skills, and why.

An opportunity requires skills at levels, like a role level does, so its fit is measured with
the same shortfall as a gap (core/profiles/gaps.py): fit = 1 − shortfall ÷ demand, where the
shortfall sums, over the required skills, how many levels the person is below the requirement,
and the demand sums the required levels. A person who meets every requirement fits 1; one with
none of the skills fits 0; an opportunity that requires nothing fits everyone 1.

Ranking is by fit, then fewer skills short, then the given order (so it never depends on
anything else): opportunities for a person (`rank_opportunities`) and applicants for an
opportunity (`rank_applicants`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mobilise.core.profiles.gaps import (
    BoolArray,
    Int8Array,
    SkillAxis,
    SkillGap,
    gaps_of_people,
    gaps_to_role_levels,
    skill_gaps,
)

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Fits:
    """Fit (0-1) and the number of skills short, one per row ranked."""

    score: FloatArray
    short: npt.NDArray[np.int32]


@dataclass(frozen=True)
class FitExplanation:
    """Why a person fits an opportunity as they do: each required skill, met or a gap."""

    score: float
    met: tuple[SkillGap, ...]
    gaps: tuple[SkillGap, ...]


def _score(shortfall_total: npt.NDArray[np.int32], demand: npt.NDArray[np.int32]) -> FloatArray:
    safe = np.maximum(demand, 1)
    return np.where(demand > 0, 1.0 - shortfall_total / safe, 1.0).astype(np.float64)


def fits_from_rows(
    opportunities: int,
    rows: npt.ArrayLike,
    skill_ids: npt.ArrayLike,
    levels: npt.ArrayLike,
    person: Mapping[int, int],
) -> Fits:
    """`fits_of_opportunities` from flat (opportunity row, skill id, required level) triples, as
    the store returns them, and a person's {skill id: level}: the same fits, computed over the
    required skills only (a handful per opportunity) rather than a dense matrix over every
    skill, so ranking tens of thousands of opportunities is a few passes over their rows."""
    row = np.asarray(rows, dtype=np.intp)
    skills = np.asarray(skill_ids, dtype=np.int64)
    required = np.asarray(levels, dtype=np.int32)
    own = np.array(sorted(person), dtype=np.int64)
    own_levels = np.array([person[s] for s in sorted(person)], dtype=np.int32)
    held = np.zeros(len(skills), dtype=np.int32)
    if len(own):
        at = np.minimum(np.searchsorted(own, skills), len(own) - 1)
        found = own[at] == skills
        held[found] = own_levels[at[found]]
    shortfall = np.maximum(required - held, 0)
    total = np.bincount(row, weights=shortfall, minlength=opportunities).astype(np.int32)
    demand = np.bincount(row, weights=required, minlength=opportunities).astype(np.int32)
    short = np.bincount(row, weights=shortfall > 0, minlength=opportunities).astype(np.int32)
    return Fits(_score(total, demand), short)


def fits_of_opportunities(levels: Int8Array, requirements: Int8Array) -> Fits:
    """One person's levels (a row over the axis) against each opportunity (rows)."""
    gaps = gaps_to_role_levels(levels, requirements)
    demand = np.asarray(requirements, dtype=np.int8).sum(axis=1, dtype=np.int32)
    return Fits(_score(gaps.total, demand), gaps.short)


def fits_of_applicants(levels: Int8Array, requirement: Int8Array) -> Fits:
    """Each applicant's levels (rows over the axis) against one opportunity's requirement."""
    gaps = gaps_of_people(levels, requirement)
    demand = np.full(gaps.total.shape, int(gaps.required.sum(dtype=np.int32)), dtype=np.int32)
    return Fits(_score(gaps.total, demand), gaps.short)


def ranking(fits: Fits) -> IndexArray:
    """Rows best first: higher fit, then fewer skills short, then the earlier row."""
    rows = np.arange(len(fits.score))
    # Rounded so that two fits equal but for floating-point noise tie, and the order decides.
    order: IndexArray = np.lexsort((rows, fits.short, -np.round(fits.score, 9)))
    return order


def ranking_with_scores(fits: Fits, owner_scores: Sequence[float | None]) -> IndexArray:
    """Rows best first when the owners score some applicants themselves: those they scored
    first, higher score first; then as `ranking` (fit, fewer skills short, the earlier row)."""
    rows = np.arange(len(fits.score))
    unscored = np.array([s is None for s in owner_scores], dtype=np.bool_)
    scores = np.array([0.0 if s is None else float(s) for s in owner_scores], dtype=np.float64)
    order: IndexArray = np.lexsort(
        (rows, fits.short, -np.round(fits.score, 9), -np.round(scores, 9), unscored)
    )
    return order


def explain(
    axis: SkillAxis, levels: Int8Array, validated: BoolArray, requirement: Int8Array
) -> FitExplanation:
    """The fit of one person to one opportunity, skill by skill (axis order)."""
    each = skill_gaps(axis, levels, validated, requirement)
    demand = sum(g.required for g in each)
    shortfall = sum(g.shortfall for g in each)
    score = 1.0 if demand == 0 else 1.0 - shortfall / demand
    return FitExplanation(
        score=score,
        met=tuple(g for g in each if g.met),
        gaps=tuple(g for g in each if not g.met),
    )
