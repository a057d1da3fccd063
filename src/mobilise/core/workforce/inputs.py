"""What the generator needs to know: the organisations and the framework, as plain arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mobilise.core.framework import Framework
from mobilise.core.workforce.calibration import GRADES

IntArray = npt.NDArray[np.int64]

# Grades of role levels by the first word of their name (the DDaT pay framework's usual mapping);
# a role level whose name has none of these words is a practitioner level (SEO).
GRADE_BY_NAME_PREFIX = {
    "apprentice": "AO",
    "trainee": "EO",
    "junior": "EO",
    "associate": "HEO",
    "senior": "G7",
    "lead": "G6",
    "principal": "G6",
    "head": "G6",
    "chief": "SCS1",
}
PRACTITIONER_GRADE = "SEO"


@dataclass(frozen=True, slots=True)
class OrganisationSpec:
    key: str
    headcount: int
    region: str
    kind: str


@dataclass(frozen=True)
class FrameworkProfile:
    """Role levels and their requirements as arrays; requirements in CSR form by role level."""

    role_level_keys: tuple[str, ...]
    skill_keys: tuple[str, ...]
    role: IntArray
    level_order: IntArray
    grade: IntArray
    previous_level: IntArray  # the level below in the same role, or -1
    requirement_start: IntArray  # len(role levels) + 1 offsets into the two arrays below
    requirement_skill: IntArray
    requirement_level: IntArray

    @property
    def requirement_count(self) -> IntArray:
        return np.diff(self.requirement_start)

    @classmethod
    def from_framework(cls, framework: Framework) -> FrameworkProfile:
        levels = framework.role_levels
        role_index = {r.key: i for i, r in enumerate(framework.roles)}
        skill_index = {s.key: i for i, s in enumerate(framework.skills)}
        level_index = {lv.key: i for i, lv in enumerate(levels)}
        role = np.array([role_index.get(lv.role_key, -1) for lv in levels], dtype=np.int64)
        order = np.array([lv.level_order for lv in levels], dtype=np.int64)
        grade = np.array([_grade_of(lv.name) for lv in levels], dtype=np.int64)
        previous = np.full(len(levels), -1, dtype=np.int64)
        # Within a role, grades never fall as the level rises, and each level knows the one below.
        for r in np.unique(role):
            members = np.flatnonzero(role == r)
            members = members[np.argsort(order[members], kind="stable")]
            grade[members] = np.maximum.accumulate(grade[members])
            previous[members[1:]] = members[:-1]
        pairs = sorted(
            (level_index[q.role_level_key], skill_index[q.skill_key], int(q.level))
            for q in framework.requirements
            if q.role_level_key in level_index and q.skill_key in skill_index
        )
        table = np.array(pairs, dtype=np.int64).reshape(-1, 3)
        start = np.searchsorted(table[:, 0], np.arange(len(levels) + 1)).astype(np.int64)
        return cls(
            role_level_keys=tuple(lv.key for lv in levels),
            skill_keys=tuple(s.key for s in framework.skills),
            role=role,
            level_order=order,
            grade=grade,
            previous_level=previous,
            requirement_start=start,
            requirement_skill=table[:, 1].copy(),
            requirement_level=table[:, 2].copy(),
        )


def _grade_of(role_level_name: str) -> int:
    words = role_level_name.lower().split()
    grade = GRADE_BY_NAME_PREFIX.get(words[0] if words else "", PRACTITIONER_GRADE)
    return GRADES.index(grade)
