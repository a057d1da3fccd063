"""Select a cohort: the allocation engine places the released applications by their panel scores
(with the programme's quotas, by the fair method, where it sets any), the run is stored as an
AllocationRun, and offers, the waiting list and "not selected" follow from it in one transaction.

The problem the engine sees has one opportunity (the cohort, with its places) ranking the
applications by their severity-normalised panel scores, which are also its fit scores, and the
`fit` objective: the most places, then the best total score, subject to the quotas. Applicants
carry their region and organisation and, where a quota needs it and the person consented, the
opaque group code `g1` (from an ethnic minority background) or `g2`; never a label.

The run is stored in the same transaction as the offers, the waiting list and "not selected"
(services/allocation_in_transaction.py): a failure at any point leaves no run and no offer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.programmes import (
    ApplicationAction,
    ApplicationState,
    CohortAction,
    CohortState,
    SheetTotal,
    next_cohort_state,
    normalised_scores,
    selection_order,
    split_selection,
)
from mobilise.services.actors import Actor, command_line_actor
from mobilise.services.allocation_in_transaction import allocate_in
from mobilise.services.application_transitions import move
from mobilise.services.audit import record_event
from mobilise.services.programmes import find_cohort, require_owner
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    Application,
    Cohort,
    Organisation,
    PanelScore,
    Person,
    SensitiveAttributes,
)

S = ApplicationState
MAJORITY_GROUP = "White"


@dataclass(frozen=True)
class SelectionResult:
    run_key: str
    method: str
    offered: list[str]
    waiting: list[str]
    not_selected: list[str]
    lapsed: list[str]  # still awaiting release when selection ran


def group_code(attributes: SensitiveAttributes | None) -> str | None:
    """The opaque code a quota on under-represented groups reads: g1 for an ethnic minority
    background, g2 otherwise; None without consent or an answer. Never a label."""
    if attributes is None or not attributes.consent or not attributes.ethnic_group:
        return None
    return "g2" if attributes.ethnic_group == MAJORITY_GROUP else "g1"


def selection_problem(engine: Engine, actor: Actor | None, cohort_key: str) -> dict[str, Any]:
    """The engine's problem for the cohort as it stands; InvalidInput if it cannot be selected
    (not closed, or released applications the panel has not scored)."""
    with reading(engine) as session:
        return _problem(session, actor or command_line_actor(), cohort_key)


def _problem(session: Session, who: Actor, cohort_key: str) -> dict[str, Any]:
    cohort, programme = find_cohort(session, cohort_key)
    require_owner(who, programme)
    next_cohort_state(
        CohortState(cohort.state), CohortAction.SELECT, subject=f"cohort {cohort.key}"
    )
    quotas = json.loads(programme.quotas)
    needs_group = any(q.get("attribute") == "group" for q in quotas)
    rows = session.execute(
        select(Application, Person, Organisation.key)
        .join(Person, Person.id == Application.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(Application.cohort_id == cohort.id, Application.state == S.RELEASED.value)
        .order_by(Application.submitted_at, Application.id)
    ).all()
    keys = [application.key for application, _, _ in rows]
    sheets = [
        SheetTotal(key, str(judge), total)
        for key, judge, total in session.execute(
            select(Application.key, PanelScore.judge_id, PanelScore.total)
            .join(PanelScore, PanelScore.application_id == Application.id)
            .where(Application.cohort_id == cohort.id, Application.state == S.RELEASED.value)
        ).all()
    ]
    scores = normalised_scores(sheets)
    unscored = [key for key in keys if key not in scores]
    if unscored:
        raise InvalidInput(
            [
                Problem(f"cohort {cohort.key}", None, "application", key, "has no panel score yet")
                for key in unscored
            ]
        )
    applicants = []
    for application, person, organisation_key in rows:
        attributes: dict[str, str] = {}
        if person.region:
            attributes["region"] = person.region
        if organisation_key:
            attributes["organisation"] = organisation_key
        if needs_group:
            code = group_code(session.get(SensitiveAttributes, person.id))
            if code:
                attributes["group"] = code
        applicants.append(
            {"id": application.key, "preferences": [cohort.key], "attributes": attributes}
        )
    order = selection_order(scores, keys)
    document: dict[str, Any] = {
        "applicants": applicants,
        "opportunities": [
            {
                "id": cohort.key,
                "capacity": cohort.capacity,
                "ranking": order,
                "scores": {key: round(scores[key], 4) for key in order},
            }
        ],
    }
    if quotas:
        document["constraints"] = {"quotas": quotas}
    return document


def run_selection(
    engine: Engine, actor: Actor | None, cohort_key: str, *, seed: int = 0
) -> SelectionResult:
    """Select the cohort: solve, store the run and publish the outcome in one transaction."""
    who = actor or command_line_actor()
    with transaction(engine) as session:
        # Locks the cohort's row on PostgreSQL: two selections at once run one after the other,
        # and the second finds the cohort selected already.
        session.scalar(select(Cohort.id).where(Cohort.key == cohort_key).with_for_update())
        document = _problem(session, who, cohort_key)
        method = "fair" if document.get("constraints") else "welfare"
        cohort, programme = find_cohort(session, cohort_key)
        run_key, result = allocate_in(
            session, actor, document, method, seed=seed, organisation_id=programme.organisation_id
        )
        placed = {match["applicant"] for match in result["matches"]}
        (opportunity,) = document["opportunities"]
        order: list[str] = opportunity["ranking"]
        before = CohortState(cohort.state)
        cohort.state = next_cohort_state(before, CohortAction.SELECT).value
        cohort.selection_run_key = run_key
        applications = {
            a.key: a
            for a in session.scalars(select(Application).where(Application.cohort_id == cohort.id))
        }
        size = programme.waiting_list_size
        outcome = split_selection(order, placed, cohort.capacity if size is None else size)
        scores = opportunity["scores"]
        lapsed = []
        for key in sorted(
            k for k, a in applications.items() if a.state == S.AWAITING_RELEASE.value
        ):
            move(
                session,
                actor,
                applications[key],
                ApplicationAction.LAPSE,
                cohort,
                programme,
                reason="Your line manager had not released you when selection ran.",
            )
            lapsed.append(key)
        for key in order:
            applications[key].score = scores[key]
        for key in outcome.offered:
            move(
                session,
                actor,
                applications[key],
                ApplicationAction.OFFER,
                cohort,
                programme,
                reason="Selected by the panel's scores.",
            )
        for position, key in enumerate(outcome.waiting, start=1):
            applications[key].waiting_position = position
            move(
                session,
                actor,
                applications[key],
                ApplicationAction.WAIT,
                cohort,
                programme,
                reason=f"Number {position} on the waiting list.",
            )
        for key in outcome.not_selected:
            move(
                session,
                actor,
                applications[key],
                ApplicationAction.REJECT,
                cohort,
                programme,
                reason="Others scored higher and the waiting list is full.",
            )
        record_event(
            session,
            actor,
            "cohort.select",
            entity_type="cohort",
            entity_key=cohort.key,
            organisation_id=programme.organisation_id,
            before={"state": before.value},
            after={
                "state": cohort.state,
                "run": run_key,
                "method": method,
                "offered": len(outcome.offered),
                "waiting": len(outcome.waiting),
                "not_selected": len(outcome.not_selected),
                "lapsed": len(lapsed),
            },
        )
    return SelectionResult(
        run_key, method, outcome.offered, outcome.waiting, outcome.not_selected, lapsed
    )
