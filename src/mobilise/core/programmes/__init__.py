"""Programmes, cohorts and applications: the pure rules of the journey (no I/O).

States and their allowed transitions, eligibility, the panel's rubric with severity-normalised
scores, the selection outcome and the waiting list, and what completion needs.
"""

from mobilise.core.programmes.eligibility import (
    ApplicantFacts,
    EligibilityRule,
    describe,
    rule_document,
    rule_from_document,
    unmet,
)
from mobilise.core.programmes.rubric import (
    Criterion,
    Rubric,
    SheetTotal,
    check_sheet,
    normalised_scores,
    rubric_document,
    rubric_from_document,
    selection_order,
    sheet_total,
)
from mobilise.core.programmes.selection import (
    SelectionOutcome,
    completion_blockers,
    next_on_waiting_list,
    split_selection,
)
from mobilise.core.programmes.states import (
    ACTIONS_NEEDING_A_REASON,
    APPLICATION_TRANSITIONS,
    COHORT_TRANSITIONS,
    FINAL_STATES,
    ApplicationAction,
    ApplicationState,
    CohortAction,
    CohortState,
    allowed_actions,
    initial_state,
    next_cohort_state,
    next_state,
)

__all__ = [
    "ACTIONS_NEEDING_A_REASON",
    "APPLICATION_TRANSITIONS",
    "COHORT_TRANSITIONS",
    "FINAL_STATES",
    "ApplicantFacts",
    "ApplicationAction",
    "ApplicationState",
    "CohortAction",
    "CohortState",
    "Criterion",
    "EligibilityRule",
    "Rubric",
    "SelectionOutcome",
    "SheetTotal",
    "allowed_actions",
    "check_sheet",
    "completion_blockers",
    "describe",
    "initial_state",
    "next_cohort_state",
    "next_on_waiting_list",
    "next_state",
    "normalised_scores",
    "rubric_document",
    "rubric_from_document",
    "rule_document",
    "rule_from_document",
    "selection_order",
    "sheet_total",
    "split_selection",
    "unmet",
]
