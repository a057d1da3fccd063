"""The API's response bodies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from mobilise.core.framework import SkillLevel


def _in_utc(moment: datetime) -> datetime:
    """The store keeps every moment in UTC, but SQLite hands it back without an offset, and a
    JSON `date-time` (RFC 3339) must have one."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


Timestamp = Annotated[datetime, AfterValidator(_in_utc)]
LevelName = Literal["awareness", "working", "practitioner", "expert"]


def level_name(level: SkillLevel) -> LevelName:
    names: dict[SkillLevel, LevelName] = {
        SkillLevel.AWARENESS: "awareness",
        SkillLevel.WORKING: "working",
        SkillLevel.PRACTITIONER: "practitioner",
        SkillLevel.EXPERT: "expert",
    }
    return names[level]


class Ref(BaseModel):
    key: str
    name: str


class FrameworkCounts(BaseModel):
    job_families: int
    roles: int
    role_levels: int
    skills: int
    requirements: int


class FrameworkOut(BaseModel):
    name: str
    title: str
    source: str
    licence: str
    is_default: bool
    created_at: Timestamp
    counts: FrameworkCounts


class RoleOut(BaseModel):
    key: str
    name: str
    family: str = Field(description="Key of the role's job family.")
    role_type: str = Field(description="e.g. 'Senior Civil Service'; empty for most roles.")
    level_count: int = Field(description="0 for roles without levels (Senior Civil Service).")


class JobFamilyOut(BaseModel):
    key: str
    name: str
    roles: list[RoleOut]


class RoleLevelRef(BaseModel):
    key: str
    name: str
    level_order: int


class RoleDetailOut(BaseModel):
    key: str
    name: str
    description: str
    role_type: str
    family: Ref
    levels: list[RoleLevelRef]
    skills: list[Ref] = Field(description="Skills of a role without levels; empty otherwise.")


class RoleLevelOut(BaseModel):
    key: str
    name: str
    role: str = Field(description="Key of the role.")
    level_order: int
    description: str


class RequirementOut(BaseModel):
    skill: Ref
    level: LevelName
    level_rank: int = Field(ge=1, le=4, description="awareness=1 … expert=4")
    level_description: str


class RoleLevelDetailOut(BaseModel):
    key: str
    name: str
    level_order: int
    description: str
    role: Ref
    family: Ref
    requirements: list[RequirementOut]
    role_levels: list[Ref] = Field(description="Every level of the same role, in order.")


class SkillLevelsOut(BaseModel):
    awareness: str
    working: str
    practitioner: str
    expert: str


class SkillOut(BaseModel):
    key: str
    name: str
    description: str
    levels: SkillLevelsOut


class SkillNeedOut(BaseModel):
    role_level: Ref
    role: Ref
    level: LevelName
    level_rank: int


class SkillDetailOut(SkillOut):
    needed_by: list[SkillNeedOut]
    roles: list[Ref] = Field(description="Roles without levels that have this skill.")


class SearchHitOut(BaseModel):
    kind: Literal["job-family", "role", "skill", "role-level"]
    key: str
    name: str
    snippet: str
    url: str = Field(description="The API address of the item found.")


class ComparedSkillOut(BaseModel):
    skill: Ref
    level_a: LevelName | None
    level_b: LevelName | None
    difference: Literal["same", "higher-in-b", "lower-in-b", "only-in-a", "only-in-b"]


class ComparedRoleLevel(BaseModel):
    key: str
    name: str
    role: Ref


class ComparisonOut(BaseModel):
    a: ComparedRoleLevel
    b: ComparedRoleLevel
    in_both: int
    only_in_a: int
    only_in_b: int
    skills: list[ComparedSkillOut]
