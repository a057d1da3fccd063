"""The marketplace's waiting lists, in the order the round's run produced (DESIGN "Release and
vacancies": once offers are published nothing is re-run).

When a round is allocated, an applicant the run placed nowhere waits on each opportunity they
applied to, numbered in that opportunity's ranking in the stored problem (its owners' scores, then
fit) among those left unplaced. While offers are published, a place freed on an opportunity (an
offer declined, an application withdrawn) is offered at once, in the same transaction, to the
first person waiting who holds no other offer or place in the round; accepting a place takes a
person off the round's other waiting lists; starting the round ends them.

Functions take the caller's `subject_of` (services/marketplace_applications.opportunity_subject)
so that this module need not import the one that calls it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mobilise.core.programmes import (
    ApplicationAction,
    ApplicationState,
    CohortState,
    next_on_waiting_list,
)
from mobilise.services.actors import Actor
from mobilise.services.application_transitions import TAKING_A_PLACE, Subject, change_state
from mobilise.store.models import MarketplaceRound, Opportunity, OpportunityApplication

A = ApplicationAction
S = ApplicationState
SubjectOf = Callable[[OpportunityApplication, Opportunity], Subject]


def waiting_positions(
    document: Mapping[str, Any], placed: Collection[str]
) -> dict[tuple[str, str], int]:
    """(applicant id, opportunity id) → place on its waiting list, for applicants the run placed
    nowhere, in each opportunity's ranking order."""
    positions: dict[tuple[str, str], int] = {}
    for opportunity in document["opportunities"]:
        waiting = [a for a in opportunity["ranking"] if a not in placed]
        for number, applicant in enumerate(waiting, start=1):
            positions[(applicant, opportunity["id"])] = number
    return positions


def put_on_waiting_list(
    session: Session,
    actor: Actor | None,
    application: OpportunityApplication,
    subject: Subject,
    position: int,
) -> None:
    application.waiting_position = position
    change_state(
        session,
        actor,
        application,
        A.WAIT,
        subject,
        reason=f"Number {position} on the waiting list.",
    )


def _round_applications(
    session: Session, found: MarketplaceRound, person_id: int
) -> list[tuple[OpportunityApplication, Opportunity]]:
    rows = session.execute(
        select(OpportunityApplication, Opportunity)
        .join(Opportunity, Opportunity.id == OpportunityApplication.opportunity_id)
        .where(Opportunity.round_id == found.id, OpportunityApplication.person_id == person_id)
        .order_by(OpportunityApplication.id)
    ).all()
    return [(a, o) for a, o in rows]


def _holds_a_place(session: Session, found: MarketplaceRound, person_id: int) -> bool:
    return any(a.state in TAKING_A_PLACE for a, _ in _round_applications(session, found, person_id))


def fill_freed_places(
    session: Session,
    actor: Actor | None,
    opportunity: Opportunity,
    found: MarketplaceRound,
    subject_of: SubjectOf,
) -> list[str]:
    """Offer the opportunity's free places to those first on its waiting list; their keys."""
    if found.state != CohortState.OFFERS_PUBLISHED.value:
        return []
    offered: list[str] = []
    taken = (
        session.scalar(
            select(func.count(OpportunityApplication.id)).where(
                OpportunityApplication.opportunity_id == opportunity.id,
                OpportunityApplication.state.in_(TAKING_A_PLACE),
            )
        )
        or 0
    )
    while taken < opportunity.capacity:
        waiting = {
            a.key: a
            for a in session.scalars(
                select(OpportunityApplication).where(
                    OpportunityApplication.opportunity_id == opportunity.id,
                    OpportunityApplication.state == S.WAITING_LIST.value,
                )
            )
            if not _holds_a_place(session, found, a.person_id)
        }
        chosen = next_on_waiting_list({k: a.waiting_position or 0 for k, a in waiting.items()})
        if chosen is None:
            break
        application = waiting[chosen]
        application.waiting_position = None
        change_state(
            session,
            actor,
            application,
            A.OFFER,
            subject_of(application, opportunity),
            reason="A place came free and you were first on the waiting list.",
        )
        offered.append(chosen)
        taken += 1
    return offered


def settle_after(
    session: Session,
    actor: Actor | None,
    application: OpportunityApplication,
    opportunity: Opportunity,
    found: MarketplaceRound,
    before: ApplicationState,
    subject_of: SubjectOf,
) -> list[str]:
    """After `application` changed state: a place it gave up goes to the waiting list; a place
    accepted takes its applicant off the round's other waiting lists. The keys offered."""
    after = S(application.state)
    if after is S.ACCEPTED:
        for other, where in _round_applications(session, found, application.person_id):
            if other.state == S.WAITING_LIST.value:
                other.waiting_position = None
                change_state(
                    session,
                    actor,
                    other,
                    A.REJECT,
                    subject_of(other, where),
                    reason=f"You accepted a place on {opportunity.title}.",
                )
        return []
    if before.value in TAKING_A_PLACE and after.value not in TAKING_A_PLACE:
        return fill_freed_places(session, actor, opportunity, found, subject_of)
    return []


def end_waiting_lists(
    session: Session, actor: Actor | None, found: MarketplaceRound, subject_of: SubjectOf
) -> None:
    """The round has started: nobody still waiting will get a place."""
    rows = session.execute(
        select(OpportunityApplication, Opportunity)
        .join(Opportunity, Opportunity.id == OpportunityApplication.opportunity_id)
        .where(
            Opportunity.round_id == found.id,
            OpportunityApplication.state == S.WAITING_LIST.value,
        )
        .order_by(Opportunity.key, OpportunityApplication.waiting_position)
    ).all()
    for application, opportunity in rows:
        application.waiting_position = None
        change_state(
            session,
            actor,
            application,
            A.REJECT,
            subject_of(application, opportunity),
            reason="The round started before a place came free.",
        )
