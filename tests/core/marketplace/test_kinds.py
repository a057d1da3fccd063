"""Who may own and who may apply to each kind of opportunity."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.marketplace import (
    PRIVATE_FIRM,
    OpportunityKind,
    applicant_problem,
    owner_problem,
)

K = OpportunityKind
ORGANISATION_KINDS = st.sampled_from(
    [PRIVATE_FIRM, "department", "agency", "local_authority", "devolved_administration"]
)


def test_secondments_go_between_firms_and_government_and_loans_between_departments() -> None:
    assert applicant_problem(K.SECONDMENT_IN, 1, 2, PRIVATE_FIRM) is None
    assert applicant_problem(K.SECONDMENT_IN, 1, 2, "department") is not None
    assert applicant_problem(K.SECONDMENT_OUT, 9, 2, "department") is None
    assert applicant_problem(K.SECONDMENT_OUT, 9, 2, PRIVATE_FIRM) is not None
    assert applicant_problem(K.LOAN, 1, 2, "agency") is None
    assert (
        applicant_problem(K.LOAN, 1, 1, "department")
        == "a loan is for staff of other organisations"
    )
    assert applicant_problem(K.LOAN, 1, None, None) is not None
    assert owner_problem(K.SECONDMENT_OUT, "department") is not None
    assert owner_problem(K.SECONDMENT_IN, PRIVATE_FIRM) is not None
    assert owner_problem(K.LOAN, "department") is None
    assert applicant_problem(K.APPRENTICESHIP, 1, None, None) is None
    assert applicant_problem(K.APPRENTICESHIP, 1, 2, "department") is not None
    assert owner_problem(K.APPRENTICESHIP, PRIVATE_FIRM) is not None


@given(st.sampled_from(list(K)), ORGANISATION_KINDS, st.none() | ORGANISATION_KINDS)
def test_project_roles_assignments_and_mentoring_are_open_to_anyone(
    kind: OpportunityKind, owner: str, applicant: str | None
) -> None:
    if kind in (K.PROJECT_ROLE, K.SHORT_ASSIGNMENT, K.MENTORING):
        assert applicant_problem(kind, 1, None if applicant is None else 2, applicant) is None
        assert owner_problem(kind, owner) is None
    # A person with no organisation (a candidate) may apply only to the open kinds and to
    # apprenticeships, which are for candidates only.
    if applicant is None and kind in (K.SECONDMENT_IN, K.SECONDMENT_OUT, K.LOAN):
        assert applicant_problem(kind, 1, None, None) is not None
    if kind is K.APPRENTICESHIP:
        assert (
            applicant_problem(kind, 1, None if applicant is None else 2, applicant) is None
        ) == (applicant is None)
