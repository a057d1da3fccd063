"""The capability framework: families, roles, role levels, skills and the ordered skill levels."""

from mobilise.core.framework.levels import SkillLevel
from mobilise.core.framework.model import (
    Framework,
    JobFamily,
    Requirement,
    Role,
    RoleLevel,
    RoleSkill,
    Skill,
)

__all__ = [
    "Framework",
    "JobFamily",
    "Requirement",
    "Role",
    "RoleLevel",
    "RoleSkill",
    "Skill",
    "SkillLevel",
]
