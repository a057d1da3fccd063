"""Gaps between people's skill levels and role levels' requirements, vectorised with numpy.

Everything works on two integer matrices over one `SkillAxis` (a fixed order of skill ids):

- levels: people × skills, int8, the profile level (1-4) or 0 where the person has no claim that
  counts; with a parallel boolean `validated` matrix (True where that level is validated);
- requirements: role levels × skills, int8, the required level or 0 where a skill is not required.

A skill's shortfall is max(required − level, 0); a gap's size (`total`) is the sum of shortfalls
in levels, and `short` counts the skills with any shortfall. A requirement that is met by a level
nobody validated is "met by self-claim only" (`unverified`): the gap says how sure it is.
Arrays are int8 (levels are 0-4), so a 550,000-person matrix over ~200 skills stays near 100 MB;
sums are taken in int32.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from mobilise.core.framework.levels import SkillLevel
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.profiles.precedence import Profile
from mobilise.core.records.vocabulary import LEVEL_RULE

Int8Array = npt.NDArray[np.int8]
Int32Array = npt.NDArray[np.int32]
IndexArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
MAX_LEVEL = int(max(SkillLevel))


@dataclass(frozen=True)
class SkillAxis:
    """The columns of every matrix: skill ids (of one framework version) in a fixed order."""

    skill_ids: tuple[int, ...]
    column_of: Mapping[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        columns = {skill_id: column for column, skill_id in enumerate(self.skill_ids)}
        if len(columns) != len(self.skill_ids):
            raise ValueError("a skill axis names each skill once")
        object.__setattr__(self, "column_of", columns)

    def __len__(self) -> int:
        return len(self.skill_ids)


@dataclass(frozen=True)
class ProfileMatrix:
    levels: Int8Array
    validated: BoolArray


def profile_matrix(axis: SkillAxis, profiles: Sequence[Profile]) -> ProfileMatrix:
    """People × skills from derived profiles. Skills off the axis (another framework version's)
    are left out: a gap is always measured within one version."""
    levels = np.zeros((len(profiles), len(axis)), dtype=np.int8)
    validated = np.zeros((len(profiles), len(axis)), dtype=np.bool_)
    for row, profile in enumerate(profiles):
        for entry in profile.entries:
            column = axis.column_of.get(entry.skill_id)
            if column is not None:
                levels[row, column] = entry.level
                validated[row, column] = entry.is_validated
    return ProfileMatrix(levels, validated)


def level_row(
    axis: SkillAxis, levels: Mapping[int, int], validated: Collection[int] = ()
) -> tuple[Int8Array, BoolArray]:
    """One person's row from {skill id: level} and the ids of the validated skills."""
    row = np.zeros(len(axis), dtype=np.int8)
    checked = np.zeros(len(axis), dtype=np.bool_)
    for skill_id, level in levels.items():
        column = axis.column_of.get(skill_id)
        if column is not None:
            row[column] = level
            checked[column] = skill_id in validated
    return row, checked


def requirement_matrix(axis: SkillAxis, requirements: Sequence[Mapping[int, int]]) -> Int8Array:
    """Role levels × skills from each role level's {skill id: required level}, in order.

    A skill off the axis or a level outside the scale is refused (naming the role level's row),
    since it means the requirements and the axis come from different framework versions.
    """
    matrix = np.zeros((len(requirements), len(axis)), dtype=np.int8)
    problems: list[Problem] = []
    for row, required in enumerate(requirements):
        for skill_id, level in required.items():
            column = axis.column_of.get(skill_id)
            if column is None:
                rule = "is not a skill of the framework version of the other role levels"
                problems.append(
                    Problem("role level requirements", row + 1, "skill", str(skill_id), rule)
                )
            elif not 1 <= level <= MAX_LEVEL:
                problems.append(
                    Problem("role level requirements", row + 1, "level", str(level), LEVEL_RULE)
                )
            else:
                matrix[row, column] = level
    if problems:
        raise InvalidInput(problems)
    return matrix


@dataclass(frozen=True)
class RoleLevelGaps:
    """One person's gap to every role level: row r is the requirement matrix's row r."""

    shortfall: Int8Array  # role levels × skills
    total: Int32Array
    short: Int32Array
    unverified: Int32Array


def gaps_to_role_levels(
    levels: Int8Array, requirements: Int8Array, validated: BoolArray | None = None
) -> RoleLevelGaps:
    """The gap of one person (a row of levels) to each role level (rows of `requirements`)."""
    person = np.asarray(levels, dtype=np.int8)
    required = np.asarray(requirements, dtype=np.int8)
    if person.ndim != 1 or required.ndim != 2 or required.shape[1] != person.shape[0]:
        raise ValueError(
            f"a person's levels {person.shape} and requirements {required.shape} must share the "
            "skill axis"
        )
    # Levels are 0-4, so the difference fits int8 and needs no widening.
    shortfall = np.maximum(required - person, 0).astype(np.int8, copy=False)
    total = shortfall.sum(axis=1, dtype=np.int32)
    short = np.count_nonzero(shortfall, axis=1).astype(np.int32)
    unverified = np.zeros(required.shape[0], dtype=np.int32)
    if validated is not None:
        met_unchecked = (required > 0) & (shortfall == 0) & ~np.asarray(validated, dtype=np.bool_)
        unverified = met_unchecked.sum(axis=1, dtype=np.int32)
    return RoleLevelGaps(shortfall, total, short, unverified)


@dataclass(frozen=True)
class PeopleGaps:
    """Many people's gap to one role level, over the skills it requires (`columns`)."""

    columns: IndexArray
    required: Int8Array
    shortfall: Int8Array  # people × required skills
    total: Int32Array
    short: Int32Array
    unverified: Int32Array


def gaps_of_people(
    levels: Int8Array, requirement: Int8Array, validated: BoolArray | None = None
) -> PeopleGaps:
    """The gap of each person (rows of `levels`) to one role level (a requirement row).

    Only the required columns are read (a role level requires 4-14 of ~190 skills), which makes
    a 50,000-person gap a gather of a few columns rather than a pass over the whole matrix.
    """
    people = np.asarray(levels, dtype=np.int8)
    row = np.asarray(requirement, dtype=np.int8)
    if people.ndim != 2 or row.ndim != 1 or people.shape[1] != row.shape[0]:
        raise ValueError(
            f"levels {people.shape} and a requirement {row.shape} must share the skill axis"
        )
    columns = np.flatnonzero(row)
    required = row[columns]
    held = people[:, columns]
    shortfall = np.maximum(required - held, 0).astype(np.int8, copy=False)
    total = shortfall.sum(axis=1, dtype=np.int32)
    short = np.count_nonzero(shortfall, axis=1).astype(np.int32)
    unverified = np.zeros(people.shape[0], dtype=np.int32)
    if validated is not None:
        checked = np.asarray(validated, dtype=np.bool_)[:, columns]
        unverified = ((shortfall == 0) & ~checked).sum(axis=1, dtype=np.int32)
    return PeopleGaps(columns, required, shortfall, total, short, unverified)


@dataclass(frozen=True, slots=True)
class SkillGap:
    """One required skill of a role level against a person's profile."""

    skill_id: int
    required: int
    current: int
    validated: bool

    @property
    def shortfall(self) -> int:
        return max(self.required - self.current, 0)

    @property
    def met(self) -> bool:
        return self.current >= self.required

    @property
    def met_by_self_claim_only(self) -> bool:
        return self.met and not self.validated


def skill_gaps(
    axis: SkillAxis, levels: Int8Array, validated: BoolArray, requirement: Int8Array
) -> tuple[SkillGap, ...]:
    """Skill by skill, every skill the role level requires, in axis order (met ones included)."""
    columns = np.flatnonzero(requirement)
    return tuple(
        SkillGap(
            skill_id=axis.skill_ids[column],
            required=int(requirement[column]),
            current=int(levels[column]),
            validated=bool(validated[column]),
        )
        for column in columns.tolist()
    )


@dataclass(frozen=True)
class Nearest:
    """Role level rows, nearest first, with their gap sizes."""

    rows: IndexArray
    total: Int32Array
    short: Int32Array


def nearest_role_levels(
    levels: Int8Array,
    requirements: Int8Array,
    k: int,
    *,
    exclude: Collection[int] = (),
) -> Nearest:
    """The `k` role levels with the smallest gap, `exclude` rows (e.g. the current) left out.

    Ties: fewer skills short first; then the more demanding role level (greater total required
    level), because someone who meets both a trainee and a senior level is nearer, in any useful
    sense, to the senior one; then the row, so the ranking never depends on anything else.
    """
    gaps = gaps_to_role_levels(levels, requirements)
    demand = np.asarray(requirements, dtype=np.int8).sum(axis=1, dtype=np.int32)
    order = np.lexsort((np.arange(len(demand)), -demand, gaps.short, gaps.total))
    if exclude:
        order = order[~np.isin(order, np.fromiter(exclude, dtype=np.intp))]
    chosen = order[: max(k, 0)]
    return Nearest(chosen, gaps.total[chosen], gaps.short[chosen])
