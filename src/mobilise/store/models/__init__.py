"""Typed ORM models of the domain nouns; one module per area."""

from mobilise.store.models.accounts import Account, ApiToken, RoleGrant
from mobilise.store.models.allocation import AllocationRunRecord
from mobilise.store.models.audit import AuditEvent
from mobilise.store.models.base import Base
from mobilise.store.models.framework import (
    FrameworkVersion,
    JobFamilyRecord,
    RoleLevelRecord,
    RoleLevelSkill,
    RoleRecord,
    RoleSkillRecord,
    SkillLevelRecord,
    SkillRecord,
)
from mobilise.store.models.learning import (
    LearningCompletion,
    LearningItem,
    LearningItemSkill,
    LearningPrerequisite,
)
from mobilise.store.models.workforce import (
    Organisation,
    Person,
    Position,
    SensitiveAttributes,
    SkillClaim,
)

__all__ = [
    "Account",
    "AllocationRunRecord",
    "ApiToken",
    "AuditEvent",
    "Base",
    "FrameworkVersion",
    "JobFamilyRecord",
    "LearningCompletion",
    "LearningItem",
    "LearningItemSkill",
    "LearningPrerequisite",
    "Organisation",
    "Person",
    "Position",
    "RoleGrant",
    "RoleLevelRecord",
    "RoleLevelSkill",
    "RoleRecord",
    "RoleSkillRecord",
    "SensitiveAttributes",
    "SkillClaim",
    "SkillLevelRecord",
    "SkillRecord",
]
