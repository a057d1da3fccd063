"""Communities' pure rules: the registration and mentoring state machines, the waiting list's
order, and how mentors fit mentees."""

from mobilise.core.communities.mentoring import (
    SkillMatch,
    covered_skills,
    explain_match,
    mentoring_fits,
)
from mobilise.core.communities.states import (
    MentoringAction,
    MentoringState,
    RegistrationAction,
    RegistrationState,
    first_waiting,
    joins_as,
    next_mentoring_state,
    next_registration_state,
    registration_actions,
)

__all__ = [
    "MentoringAction",
    "MentoringState",
    "RegistrationAction",
    "RegistrationState",
    "SkillMatch",
    "covered_skills",
    "explain_match",
    "first_waiting",
    "joins_as",
    "mentoring_fits",
    "next_mentoring_state",
    "next_registration_state",
    "registration_actions",
]
