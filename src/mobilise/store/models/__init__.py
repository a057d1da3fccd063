"""Typed ORM models of the domain nouns; one module per area."""

from mobilise.store.models.accounts import Account, ApiToken, RoleGrant
from mobilise.store.models.allocation import AllocationRunRecord
from mobilise.store.models.analytics import Target
from mobilise.store.models.audit import AuditEvent
from mobilise.store.models.base import Base
from mobilise.store.models.communities import (
    Community,
    CommunityEvent,
    CommunityMembership,
    EventRegistration,
    MenteeRequest,
    Mentoring,
    MentoringRound,
    MentorOffer,
)
from mobilise.store.models.credentials import Credential, CredentialSigningKey, FollowedPathway
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
from mobilise.store.models.guidance import GuidanceItem
from mobilise.store.models.hackathons import (
    Hackathon,
    HackathonChallenge,
    HackathonJudge,
    HackathonParticipant,
    HackathonScore,
    HackathonSubmission,
    HackathonTeam,
)
from mobilise.store.models.impact import ProjectBenefit
from mobilise.store.models.learning import (
    LearningCompletion,
    LearningItem,
    LearningItemSkill,
    LearningPrerequisite,
)
from mobilise.store.models.marketplace import (
    MarketplaceRound,
    Opportunity,
    OpportunityApplication,
    OpportunityApplicationTransition,
    OpportunitySkill,
    SavedOpportunity,
)
from mobilise.store.models.people_beyond import (
    AssessmentScore,
    BidProvider,
    CohortTerms,
    CourseEnrolment,
    CourseWeek,
    Interest,
)
from mobilise.store.models.personal_data import ErasureRequest
from mobilise.store.models.programmes import (
    Application,
    ApplicationTransition,
    Attendance,
    Cohort,
    CohortItem,
    OutboxMessage,
    PanelMember,
    PanelScore,
    Programme,
)
from mobilise.store.models.register import (
    AIProject,
    AIProjectEthics,
    AIProjectFacet,
    AIProjectLink,
    AIProjectSkill,
)
from mobilise.store.models.register_people import CohortProject, ProjectSearchOptIn
from mobilise.store.models.skills import (
    InferredClaimEvidence,
    LearningItemTag,
    OpportunitySkillSuggestion,
    SkillChangeRequest,
    SkillCrosswalkEntry,
)
from mobilise.store.models.workforce import (
    Organisation,
    Person,
    Position,
    SensitiveAttributes,
    SkillClaim,
)

__all__ = [
    "AIProject",
    "AIProjectEthics",
    "AIProjectFacet",
    "AIProjectLink",
    "AIProjectSkill",
    "Account",
    "AllocationRunRecord",
    "ApiToken",
    "Application",
    "ApplicationTransition",
    "AssessmentScore",
    "Attendance",
    "AuditEvent",
    "Base",
    "BidProvider",
    "Cohort",
    "CohortItem",
    "CohortProject",
    "CohortTerms",
    "Community",
    "CommunityEvent",
    "CommunityMembership",
    "CourseEnrolment",
    "CourseWeek",
    "Credential",
    "CredentialSigningKey",
    "ErasureRequest",
    "EventRegistration",
    "FollowedPathway",
    "FrameworkVersion",
    "GuidanceItem",
    "Hackathon",
    "HackathonChallenge",
    "HackathonJudge",
    "HackathonParticipant",
    "HackathonScore",
    "HackathonSubmission",
    "HackathonTeam",
    "InferredClaimEvidence",
    "Interest",
    "JobFamilyRecord",
    "LearningCompletion",
    "LearningItem",
    "LearningItemSkill",
    "LearningItemTag",
    "LearningPrerequisite",
    "MarketplaceRound",
    "MenteeRequest",
    "MentorOffer",
    "Mentoring",
    "MentoringRound",
    "Opportunity",
    "OpportunityApplication",
    "OpportunityApplicationTransition",
    "OpportunitySkill",
    "OpportunitySkillSuggestion",
    "Organisation",
    "OutboxMessage",
    "PanelMember",
    "PanelScore",
    "Person",
    "Position",
    "Programme",
    "ProjectBenefit",
    "ProjectSearchOptIn",
    "RoleGrant",
    "RoleLevelRecord",
    "RoleLevelSkill",
    "RoleRecord",
    "RoleSkillRecord",
    "SavedOpportunity",
    "SensitiveAttributes",
    "SkillChangeRequest",
    "SkillClaim",
    "SkillCrosswalkEntry",
    "SkillLevelRecord",
    "SkillRecord",
    "Target",
]
