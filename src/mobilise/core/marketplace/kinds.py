"""The kinds of opportunity in the marketplace and who may apply to each.

The owning organisation hosts the opportunity: a person placed in it moves (for its dates) to
that organisation. Who may apply follows from where the move goes:

| kind | owned by | open to |
|---|---|---|
| secondment_in | a public-sector organisation | staff of private firms (partner firms) |
| secondment_out | a private firm | staff of public-sector organisations |
| loan | a public-sector organisation | staff of other public-sector organisations |
| project_role, short_assignment, mentoring | anyone | anyone |
| apprenticeship (a department's bid) | a public-sector organisation | candidates (no employer) |
"""

from __future__ import annotations

from enum import StrEnum

PRIVATE_FIRM = "private_firm"


class OpportunityKind(StrEnum):
    SECONDMENT_IN = "secondment_in"
    SECONDMENT_OUT = "secondment_out"
    LOAN = "loan"
    PROJECT_ROLE = "project_role"
    SHORT_ASSIGNMENT = "short_assignment"
    MENTORING = "mentoring"
    APPRENTICESHIP = "apprenticeship"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    OpportunityKind.SECONDMENT_IN: "Secondment into government from a partner firm",
    OpportunityKind.SECONDMENT_OUT: "Secondment out to a firm",
    OpportunityKind.LOAN: "Loan between departments",
    OpportunityKind.PROJECT_ROLE: "Project role",
    OpportunityKind.SHORT_ASSIGNMENT: "Short assignment",
    OpportunityKind.MENTORING: "Mentoring",
    OpportunityKind.APPRENTICESHIP: "Apprenticeship placement",
}
# TechTrack's first apprenticeship roles (figures.md).
APPRENTICESHIP_ROLES = (
    "software developer",
    "DevOps engineer",
    "business analyst",
    "cyber security technologist",
)


def owner_problem(kind: OpportunityKind, owner_kind: str) -> str | None:
    """Why an organisation of `owner_kind` may not own an opportunity of `kind` (None: it may)."""
    if kind is OpportunityKind.SECONDMENT_OUT and owner_kind != PRIVATE_FIRM:
        return "a secondment out is owned by the private firm that hosts it"
    hosted_by_government = (
        OpportunityKind.SECONDMENT_IN,
        OpportunityKind.LOAN,
        OpportunityKind.APPRENTICESHIP,
    )
    if kind in hosted_by_government and owner_kind == PRIVATE_FIRM:
        return f"a {kind.label.lower()} is owned by the public-sector organisation that hosts it"
    return None


def applicant_problem(
    kind: OpportunityKind,
    owner_id: int,
    applicant_organisation_id: int | None,
    applicant_organisation_kind: str | None,
) -> str | None:
    """Why a person may not apply to an opportunity of `kind` (None: they may)."""
    public = applicant_organisation_kind is not None and applicant_organisation_kind != PRIVATE_FIRM
    if kind is OpportunityKind.SECONDMENT_IN and applicant_organisation_kind != PRIVATE_FIRM:
        return "a secondment into government is for staff of partner firms"
    if kind is OpportunityKind.SECONDMENT_OUT and not public:
        return "a secondment out is for staff of public-sector organisations"
    if kind is OpportunityKind.APPRENTICESHIP and applicant_organisation_id is not None:
        return "an apprenticeship is for candidates starting a government career"
    if kind is OpportunityKind.LOAN:
        if not public:
            return "a loan is for staff of public-sector organisations"
        if applicant_organisation_id == owner_id:
            return "a loan is for staff of other organisations"
    return None
