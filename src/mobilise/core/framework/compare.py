"""Compare what two role levels require, skill by skill."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from mobilise.core.framework.levels import SkillLevel


class Difference(Enum):
    """How the second role level's requirement of a skill differs from the first's."""

    SAME = "same"
    HIGHER_IN_B = "higher-in-b"
    LOWER_IN_B = "lower-in-b"
    ONLY_IN_A = "only-in-a"
    ONLY_IN_B = "only-in-b"


@dataclass(frozen=True, slots=True)
class SkillComparison:
    skill_key: str
    level_a: SkillLevel | None
    level_b: SkillLevel | None

    @property
    def difference(self) -> Difference:
        if self.level_b is None:
            return Difference.ONLY_IN_A
        if self.level_a is None:
            return Difference.ONLY_IN_B
        if self.level_a == self.level_b:
            return Difference.SAME
        return Difference.HIGHER_IN_B if self.level_b > self.level_a else Difference.LOWER_IN_B


@dataclass(frozen=True)
class RequirementComparison:
    """Every skill either role level requires, once: skills in both first, then A's, then B's."""

    skills: tuple[SkillComparison, ...]

    @property
    def in_both(self) -> tuple[SkillComparison, ...]:
        return tuple(s for s in self.skills if s.level_a is not None and s.level_b is not None)

    @property
    def only_in_a(self) -> tuple[SkillComparison, ...]:
        return tuple(s for s in self.skills if s.difference is Difference.ONLY_IN_A)

    @property
    def only_in_b(self) -> tuple[SkillComparison, ...]:
        return tuple(s for s in self.skills if s.difference is Difference.ONLY_IN_B)


def compare_requirements(
    a: Mapping[str, SkillLevel],
    b: Mapping[str, SkillLevel],
    order: Mapping[str, str] | None = None,
) -> RequirementComparison:
    """Line up the requirements of role levels A and B (skill key → level).

    `order` maps skill keys to a sort key (e.g. the skill's name) so callers can order the rows as
    readers expect; without it rows are in skill-key order within each group.
    """

    def sort_key(skill_key: str) -> tuple[str, str]:
        return ((order or {}).get(skill_key, skill_key), skill_key)

    both = sorted(a.keys() & b.keys(), key=sort_key)
    only_a = sorted(a.keys() - b.keys(), key=sort_key)
    only_b = sorted(b.keys() - a.keys(), key=sort_key)
    return RequirementComparison(
        tuple(SkillComparison(k, a[k], b[k]) for k in both)
        + tuple(SkillComparison(k, a[k], None) for k in only_a)
        + tuple(SkillComparison(k, None, b[k]) for k in only_b)
    )
