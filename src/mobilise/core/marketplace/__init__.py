"""The opportunity marketplace's pure rules: kinds and who may apply, and fit to required skills.

Applications to opportunities follow the programmes' application state machine and rounds the
cohorts' (core/programmes/states.py): one journey, with release, offers and a stored run.
"""

from mobilise.core.marketplace.fit import (
    FitExplanation,
    Fits,
    explain,
    fits_from_rows,
    fits_of_applicants,
    fits_of_opportunities,
    ranking,
    ranking_with_scores,
)
from mobilise.core.marketplace.kinds import (
    APPRENTICESHIP_ROLES,
    KIND_LABELS,
    PRIVATE_FIRM,
    OpportunityKind,
    applicant_problem,
    owner_problem,
)

__all__ = [
    "APPRENTICESHIP_ROLES",
    "KIND_LABELS",
    "PRIVATE_FIRM",
    "FitExplanation",
    "Fits",
    "OpportunityKind",
    "applicant_problem",
    "explain",
    "fits_from_rows",
    "fits_of_applicants",
    "fits_of_opportunities",
    "owner_problem",
    "ranking",
    "ranking_with_scores",
]
