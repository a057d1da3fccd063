"""Allocate a closed marketplace round with the engine, in one transaction
(services/allocation_in_transaction.py): the stored run, every offer, every "not selected" and
every lapse together or not at all.

The engine gets each released applicant once, under an opaque id, with their applications in the
round as preferences (their own order), and each opportunity ranking its applicants by its
owners' scores where given, then by fit to its required skills (then the earlier application).
Applicants carry region and organisation and, only where the round's quotas name `group` and the
person consented, the opaque code g1 or g2. Without quotas the method is `stable`
(applicant-proposing deferred acceptance: nobody and no opportunity would both rather be matched
to each other); with them, `fair`. Once offers are published nothing is re-run: an applicant
placed nowhere waits on each opportunity they applied to, in its ranking's order, and a declined
offer goes to the first waiting (services/marketplace_waiting_list.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mobilise.core.marketplace import ranking_with_scores
from mobilise.core.programmes import (
    ApplicationAction,
    ApplicationState,
    CohortAction,
    CohortState,
    next_cohort_state,
)
from mobilise.services.actors import Actor, command_line_actor
from mobilise.services.allocation_in_transaction import allocate_in
from mobilise.services.application_transitions import change_state
from mobilise.services.audit import record_event
from mobilise.services.cohort_selection import group_code
from mobilise.services.marketplace_applications import applicant_fits, opportunity_subject
from mobilise.services.marketplace_rounds import applications_in, owned_round
from mobilise.services.marketplace_waiting_list import put_on_waiting_list, waiting_positions
from mobilise.store.database import transaction
from mobilise.store.models import (
    MarketplaceRound,
    Opportunity,
    OpportunityApplication,
    Organisation,
    Person,
    SensitiveAttributes,
)

A = ApplicationAction
S = ApplicationState


def _applicant_id(found: MarketplaceRound, person_key: str) -> str:
    """An id for the stored run that names no one outside the store."""
    return "a-" + hashlib.sha256(f"{found.key}/{person_key}".encode()).hexdigest()[:12]


@dataclass(frozen=True)
class RoundAllocation:
    run_key: str
    method: str
    offered: list[str]  # application keys
    not_selected: list[str]
    lapsed: list[str]  # still awaiting release
    waiting: list[str] = field(default_factory=list)  # placed nowhere: on waiting lists


def allocation_problem(
    session: Session, found: MarketplaceRound
) -> tuple[dict[str, object], dict[tuple[str, str], OpportunityApplication]]:
    """The engine's problem for the round's released applications, and each (applicant id,
    opportunity key) pair's application."""
    released = applications_in(session, found, S.RELEASED)
    quotas = json.loads(found.quotas)
    needs_group = any(q.get("attribute") == "group" for q in quotas)
    by_pair: dict[tuple[str, str], OpportunityApplication] = {}
    preferences: dict[str, list[tuple[int, int, str]]] = {}
    attributes: dict[str, dict[str, str]] = {}
    rankings: dict[str, list[str]] = {}
    scores: dict[str, dict[str, float]] = {}
    opportunities = list(
        session.scalars(
            select(Opportunity).where(Opportunity.round_id == found.id).order_by(Opportunity.key)
        )
    )
    for opportunity in opportunities:
        mine = [a for a, o in released if o.id == opportunity.id]
        fits = applicant_fits(session, opportunity, [a.person_id for a in mine])
        ids = []
        for application in mine:
            person = session.get(Person, application.person_id)
            assert person is not None
            applicant = _applicant_id(found, person.key)
            ids.append(applicant)
            by_pair[(applicant, opportunity.key)] = application
            preferences.setdefault(applicant, []).append(
                (application.preference, application.id, opportunity.key)
            )
            if applicant not in attributes:
                organisation = (
                    session.get(Organisation, person.organisation_id)
                    if person.organisation_id
                    else None
                )
                code = (
                    group_code(session.get(SensitiveAttributes, person.id)) if needs_group else None
                )
                attributes[applicant] = {
                    k: v
                    for k, v in (
                        ("region", person.region),
                        ("organisation", organisation.key if organisation else None),
                        ("group", code),
                    )
                    if v
                }
        for row, application in enumerate(mine):
            application.fit = round(float(fits.score[row]), 4)
        order = ranking_with_scores(fits, [a.owner_score for a in mine])
        rankings[opportunity.key] = [ids[i] for i in order.tolist()]
        scores[opportunity.key] = {ids[i]: round(float(fits.score[i]), 4) for i in range(len(ids))}
    document: dict[str, object] = {
        "applicants": [
            {
                "id": applicant,
                "preferences": [key for _, _, key in sorted(preferences[applicant])],
                "attributes": attributes[applicant],
            }
            for applicant in sorted(preferences)
        ],
        "opportunities": [
            {
                "id": o.key,
                "capacity": o.capacity,
                "ranking": rankings[o.key],
                "scores": scores[o.key],
            }
            for o in opportunities
        ],
    }
    if quotas:
        document["constraints"] = {"quotas": quotas}
    return document, by_pair


def allocate_round(
    engine: Engine, actor: Actor | None, key: str, *, seed: int = 0
) -> RoundAllocation:
    """Allocate a closed round: solve, store the run and publish the offers in one transaction."""
    who = actor or command_line_actor()
    with transaction(engine) as session:
        found = owned_round(session, who, key)
        before = CohortState(found.state)
        after = next_cohort_state(before, CohortAction.SELECT, subject=f"round {key}")
        document, by_pair = allocation_problem(session, found)
        method = "fair" if "constraints" in document else "stable"
        run_key, result = allocate_in(
            session,
            actor,
            document,
            method,
            seed=seed,
            objective="rank",
            key_prefix="mkt-",
            organisation_id=found.organisation_id,
        )
        placed = {(m["applicant"], m["opportunity"]) for m in result["matches"]}
        positions = waiting_positions(document, {a for a, _ in placed})
        titles = {
            o.key: o.title
            for o in session.scalars(select(Opportunity).where(Opportunity.round_id == found.id))
        }
        outcome = RoundAllocation(run_key, method, [], [], [])
        for (applicant, opportunity_key), application in sorted(
            by_pair.items(), key=lambda item: item[1].id
        ):
            opportunity = session.get(Opportunity, application.opportunity_id)
            assert opportunity is not None
            subject = opportunity_subject(application, opportunity)
            if (applicant, opportunity_key) in placed:
                change_state(
                    session,
                    actor,
                    application,
                    A.OFFER,
                    subject,
                    reason="Allocated by fit to its skills and your order of preference.",
                )
                outcome.offered.append(application.key)
                continue
            mine = next((o for a, o in placed if a == applicant), None)
            if mine is None and (applicant, opportunity_key) in positions:
                position = positions[(applicant, opportunity_key)]
                put_on_waiting_list(session, actor, application, subject, position)
                outcome.waiting.append(application.key)
                continue
            reason = (
                f"You were placed in {titles[mine]}, which you preferred."
                if mine is not None
                else "Others fitted its skills better and no place you applied for was left."
            )
            change_state(session, actor, application, A.REJECT, subject, reason=reason)
            outcome.not_selected.append(application.key)
        for application, opportunity in applications_in(session, found, S.AWAITING_RELEASE):
            change_state(
                session,
                actor,
                application,
                A.LAPSE,
                opportunity_subject(application, opportunity),
                reason="Your line manager had not released you when the round was allocated.",
            )
            outcome.lapsed.append(application.key)
        found.state = after.value
        found.allocation_run_key = run_key
        record_event(
            session,
            actor,
            "marketplace_round.allocated",
            entity_type="marketplace_round",
            entity_key=found.key,
            organisation_id=found.organisation_id,
            before={"state": before.value},
            after={
                "state": after.value,
                "run": run_key,
                "method": method,
                "offered": len(outcome.offered),
                "not_selected": len(outcome.not_selected),
                "lapsed": len(outcome.lapsed),
                "waiting": len(outcome.waiting),
            },
        )
        return outcome
