"""The framework as plain frozen dataclasses. Keys are the slugs the published CSVs use."""

from __future__ import annotations

from dataclasses import dataclass, field

from mobilise.core.framework.levels import SkillLevel


@dataclass(frozen=True, slots=True)
class JobFamily:
    key: str
    name: str


@dataclass(frozen=True, slots=True)
class Role:
    key: str
    family_key: str
    name: str
    description: str
    role_type: str = ""


@dataclass(frozen=True, slots=True)
class RoleLevel:
    key: str
    role_key: str
    name: str
    level_order: int
    description: str


@dataclass(frozen=True, slots=True)
class Skill:
    key: str
    name: str
    description: str
    # Descriptions of what a person can do at each level; "" where the framework has none.
    level_descriptions: tuple[str, str, str, str] = ("", "", "", "")

    def describe(self, level: SkillLevel) -> str:
        return self.level_descriptions[level - 1]


@dataclass(frozen=True, slots=True)
class Requirement:
    """A role level requires a skill at (at least) a level."""

    role_level_key: str
    skill_key: str
    level: SkillLevel


@dataclass(frozen=True, slots=True)
class RoleSkill:
    """A skill of a role that has no levels (the Senior Civil Service roles)."""

    role_key: str
    skill_key: str


@dataclass(frozen=True)
class Framework:
    job_families: tuple[JobFamily, ...]
    roles: tuple[Role, ...]
    role_levels: tuple[RoleLevel, ...]
    skills: tuple[Skill, ...]
    requirements: tuple[Requirement, ...]
    role_skills: tuple[RoleSkill, ...] = field(default=())

    def requirements_of(self, role_level_key: str) -> dict[str, SkillLevel]:
        return {
            r.skill_key: r.level for r in self.requirements if r.role_level_key == role_level_key
        }
