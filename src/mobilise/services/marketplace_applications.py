"""Applications to opportunities: apply (a statement, a preference within the round and a share
grant), act on one (release, withdraw, accept, decline), revoke the grant, and read them as each
reader may: the applicant; whoever sees the applicant anyway (manager chain, organisation
admins); the manager asked to release them; and the opportunity's owners (programme admins of
its organisation), who see the shared parts of the profile only while the grant stands and see
applicants ranked by fit. Anyone else gets ApplicationNotFound (404), as for a key no one has.

The journey is the programmes' (core/programmes/states.py): a person with a line manager waits
for release, one without is released at once; the round's allocation offers places
(services/marketplace_rounds.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import Session

from mobilise.core.marketplace import Fits, fits_of_applicants, ranking_with_scores
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.profiles.gaps import SkillAxis, level_row, requirement_matrix
from mobilise.core.profiles.precedence import derive_profile
from mobilise.core.programmes import (
    ApplicationAction,
    ApplicationState,
    allowed_actions,
    initial_state,
)
from mobilise.services.actors import Actor, command_line_actor
from mobilise.services.application_transitions import (
    Subject,
    announce_application,
    change_state,
    now,
)
from mobilise.services.application_views import SharedProfile, TransitionView, shared_profile
from mobilise.services.applications import (
    SHARE_PARTS,
    ApplicationNotFound,
    check_statement_and_share,
    checked_action,
)
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.marketplace_waiting_list import settle_after
from mobilise.services.opportunities import (
    apply_problem_for,
    find_opportunity,
    owns_organisation,
    requirements_of,
)
from mobilise.services.people import may_see
from mobilise.services.profiles import claim_facts, today
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    MarketplaceRound,
    Opportunity,
    OpportunityApplication,
    OpportunityApplicationTransition,
    Organisation,
    Person,
)

A = ApplicationAction
S = ApplicationState
APPLICANT_ACTIONS = frozenset({A.WITHDRAW, A.ACCEPT, A.DECLINE})
MANAGER_ACTIONS = frozenset({A.RELEASE, A.REFUSE_RELEASE})


@dataclass(frozen=True)
class OpportunityApplicationSummary:
    key: str
    opportunity_key: str
    opportunity_title: str
    organisation_name: str
    round_key: str
    person_key: str
    person_name: str
    state: ApplicationState
    preference: int
    fit: float | None
    submitted_at: datetime
    owner_score: float | None = None


@dataclass(frozen=True)
class OpportunityApplicationView:
    summary: OpportunityApplicationSummary
    statement: str
    reason: str
    shared_parts: list[str]
    grant_active: bool
    profile: SharedProfile
    timeline: list[TransitionView]
    is_applicant: bool
    is_releasing_manager: bool
    is_owner: bool
    actions: list[str]
    may_revoke_share: bool


def application_link(application: OpportunityApplication) -> str:
    return f"/opportunity-applications/{application.key}"


def opportunity_subject(application: OpportunityApplication, opportunity: Opportunity) -> Subject:
    return Subject(
        opportunity.title,
        opportunity.organisation_id,
        application_link(application),
        OpportunityApplicationTransition,
        "opportunity_application",
    )


def apply(
    engine: Engine,
    actor: Actor,
    opportunity_key: str,
    statement: str,
    shared_parts: Collection[str],
    *,
    consent: bool,
    preference: int | None = None,
) -> str:
    """The actor applies to an opportunity of an open round; returns the application's key.

    `preference` places it among the actor's applications in the round (1: first choice); by
    default it comes after them. Sharing named parts of the profile needs consent.
    """
    if actor.person_id is None:
        raise NotPermitted("only a person may apply (service accounts cannot)")
    source = f"application to {opportunity_key}"
    text, parts, problems = check_statement_and_share(source, statement, shared_parts, consent)
    if preference is not None and not 1 <= preference <= 100:
        problems.append(Problem(source, None, "preference", str(preference), "must be 1-100"))
    with transaction(engine) as session:
        opportunity, found_round = find_opportunity(session, opportunity_key)
        person = session.get(Person, actor.person_id)
        if person is None:
            raise NotPermitted("the account's person no longer exists")
        reason = apply_problem_for(session, actor, opportunity, found_round)
        if reason:
            problems.append(Problem(source, None, "opportunity", opportunity.key, reason))
        applied = session.scalar(
            select(OpportunityApplication.key).where(
                OpportunityApplication.opportunity_id == opportunity.id,
                OpportunityApplication.person_id == person.id,
            )
        )
        if applied is not None:
            rule = f"has your application {applied} already"
            problems.append(Problem(source, None, "opportunity", opportunity.key, rule))
        if problems:
            raise InvalidInput(problems)
        earlier = (
            session.scalar(
                select(func.max(OpportunityApplication.preference))
                .join(Opportunity, Opportunity.id == OpportunityApplication.opportunity_id)
                .where(
                    Opportunity.round_id == found_round.id,
                    OpportunityApplication.person_id == person.id,
                )
            )
            or 0
        )
        moment = now()
        application = OpportunityApplication(
            key=uuid.uuid4().hex[:12],
            opportunity_id=opportunity.id,
            person_id=person.id,
            preference=preference or earlier + 1,
            statement=text,
            state=initial_state(person.manager_id is not None).value,
            manager_id=person.manager_id,
            shared_parts=",".join(parts),
            share_granted_at=moment if parts else None,
            reason=""
            if person.manager_id
            else "You have no line manager, so no release is needed.",
            submitted_at=moment,
            updated_at=moment,
        )
        session.add(application)
        session.flush()
        announce_application(
            session,
            actor,
            application,
            opportunity_subject(application, opportunity),
            parts,
            shared_with=f"owners of {opportunity.key}",
            dates=(opportunity.starts_on, opportunity.ends_on),
        )
        return application.key


def _load(
    session: Session, key: str
) -> tuple[OpportunityApplication, Opportunity, MarketplaceRound]:
    row = session.execute(
        select(OpportunityApplication, Opportunity, MarketplaceRound)
        .join(Opportunity, Opportunity.id == OpportunityApplication.opportunity_id)
        .join(MarketplaceRound, MarketplaceRound.id == Opportunity.round_id)
        .where(OpportunityApplication.key == key)
    ).first()
    if row is None:
        raise ApplicationNotFound(key)
    return row[0], row[1], row[2]


@dataclass(frozen=True)
class _Reader:
    applicant: bool
    releasing_manager: bool
    owner: bool
    sees_person: bool


def _reader(
    session: Session, actor: Actor, application: OpportunityApplication, opportunity: Opportunity
) -> _Reader:
    person = session.get(Person, application.person_id)
    reader = _Reader(
        applicant=actor.person_id is not None and actor.person_id == application.person_id,
        releasing_manager=actor.person_id is not None and actor.person_id == application.manager_id,
        owner=owns_organisation(actor, opportunity.organisation_id),
        sees_person=person is not None and may_see(session, actor, person),
    )
    if not any((reader.applicant, reader.releasing_manager, reader.owner, reader.sees_person)):
        raise ApplicationNotFound(application.key)
    return reader


def _may_take(reader: _Reader, actor: Actor, action: ApplicationAction) -> bool:
    if actor.account_id is None:  # the command line: an operator on the server
        return action in APPLICANT_ACTIONS | MANAGER_ACTIONS
    return (action in APPLICANT_ACTIONS and reader.applicant) or (
        action in MANAGER_ACTIONS and reader.releasing_manager
    )


def act(
    engine: Engine, actor: Actor | None, key: str, action: str, *, reason: str = ""
) -> ApplicationState:
    """The applicant withdraws, accepts or declines; the manager asked releases or declines to
    (with a reason, which withdraws the application)."""
    who = actor or command_line_actor()
    chosen, text = checked_action(key, action, reason)
    with transaction(engine) as session:
        application, opportunity, found_round = _load(session, key)
        reader = _reader(session, who, application, opportunity)
        if not _may_take(reader, who, chosen):
            raise NotPermitted(f"you may not {chosen.value.replace('_', ' ')} this application")
        if chosen is A.RELEASE and not text:
            text = "Your line manager endorsed and released you."
        subject = opportunity_subject(application, opportunity)
        before = S(application.state)
        after = change_state(session, actor, application, chosen, subject, reason=text)
        # A place given up goes to the first waiting, in this transaction.
        settle_after(
            session, actor, application, opportunity, found_round, before, opportunity_subject
        )
        return after


def score_applicant(engine: Engine, actor: Actor, key: str, score: float) -> None:
    """The opportunity's owners score an applicant (0-100): their scores rank applicants before
    fit does (TechTrack's placements rank their candidates so). Until the round is allocated."""
    if not 0 <= score <= 100:
        raise InvalidInput(
            [Problem(f"application {key}", None, "score", str(score), "must be 0 to 100")]
        )
    with transaction(engine) as session:
        application, opportunity, found_round = _load(session, key)
        reader = _reader(session, actor, application, opportunity)
        if not reader.owner:
            raise NotPermitted("only the opportunity's owners score its applicants")
        if found_round.state not in ("open", "closed") or S(application.state).is_final:
            rule = "cannot be scored once the round is allocated or the application has ended"
            raise InvalidInput([Problem(f"application {key}", None, "score", str(score), rule)])
        before = application.owner_score
        application.owner_score = float(score)
        record_event(
            session,
            actor,
            "opportunity_application.scored",
            entity_type="opportunity_application",
            entity_key=application.key,
            organisation_id=opportunity.organisation_id,
            before={"score": before},
            after={"score": application.owner_score},
        )


def _grant_active(application: OpportunityApplication) -> bool:
    return application.share_revoked_at is None and not S(application.state).is_final


def revoke_share(engine: Engine, actor: Actor, key: str) -> None:
    """The applicant withdraws their consent: the owners no longer see their profile."""
    with transaction(engine) as session:
        application, opportunity, _ = _load(session, key)
        if not _reader(session, actor, application, opportunity).applicant:
            raise NotPermitted("only the applicant may revoke their share grant")
        if application.share_revoked_at is not None or not application.shared_parts:
            return
        application.share_revoked_at = now()
        record_event(
            session,
            actor,
            "opportunity_application.share_revoked",
            entity_type="opportunity_application",
            entity_key=application.key,
            organisation_id=opportunity.organisation_id,
            before={"parts": application.shared_parts.split(",")},
            after={"parts": []},
        )


def _summary_query() -> Select[OpportunityApplication, str, str, str, str, str, str]:
    return (
        select(
            OpportunityApplication,
            Opportunity.key,
            Opportunity.title,
            Organisation.name,
            MarketplaceRound.key,
            Person.key,
            Person.display_name,
        )
        .join(Opportunity, Opportunity.id == OpportunityApplication.opportunity_id)
        .join(MarketplaceRound, MarketplaceRound.id == Opportunity.round_id)
        .join(Organisation, Organisation.id == Opportunity.organisation_id)
        .join(Person, Person.id == OpportunityApplication.person_id)
    )


def _summary(row: tuple[object, ...], fit: float | None = None) -> OpportunityApplicationSummary:
    application, opportunity_key, title, organisation, round_key, person_key, name = row
    assert isinstance(application, OpportunityApplication)
    return OpportunityApplicationSummary(
        key=application.key,
        opportunity_key=str(opportunity_key),
        opportunity_title=str(title),
        organisation_name=str(organisation),
        round_key=str(round_key),
        person_key=str(person_key),
        person_name=str(name),
        state=S(application.state),
        preference=application.preference,
        fit=application.fit if fit is None else fit,
        submitted_at=application.submitted_at,
        owner_score=application.owner_score,
    )


def my_applications(engine: Engine, actor: Actor) -> list[OpportunityApplicationSummary]:
    """The actor's applications, newest round first and in their order of preference."""
    if actor.person_id is None:
        return []
    with reading(engine) as session:
        query = (
            _summary_query()
            .where(OpportunityApplication.person_id == actor.person_id)
            .order_by(MarketplaceRound.created_at.desc(), OpportunityApplication.preference)
        )
        return [_summary(tuple(r)) for r in session.execute(query).all()]


def release_queue(engine: Engine, actor: Actor) -> list[OpportunityApplicationSummary]:
    """Applications waiting for the actor, as the applicant's line manager, to release them."""
    if actor.person_id is None:
        return []
    with reading(engine) as session:
        query = (
            _summary_query()
            .where(
                OpportunityApplication.manager_id == actor.person_id,
                OpportunityApplication.state == S.AWAITING_RELEASE.value,
            )
            .order_by(OpportunityApplication.submitted_at)
        )
        return [_summary(tuple(r)) for r in session.execute(query).all()]


def applicant_fits(session: Session, opportunity: Opportunity, person_ids: list[int]) -> Fits:
    """Each person's fit to the opportunity's required skills, in `person_ids` order."""
    need = requirements_of(session, [opportunity.id])[opportunity.id]
    axis = SkillAxis(tuple(sorted(need)))
    # Every applicant's claims in one query, their profiles derived as the core rules say.
    facts = claim_facts(session, sorted(set(person_ids)))
    on = today()
    levels = np.zeros((len(person_ids), len(axis)), dtype=np.int8)
    for row, person_id in enumerate(person_ids):
        levels[row] = level_row(axis, derive_profile(facts[person_id], on).levels())[0]
    return fits_of_applicants(levels, requirement_matrix(axis, [need])[0])


def ranked_applicants(
    engine: Engine, actor: Actor, opportunity_key: str
) -> list[OpportunityApplicationSummary]:
    """The opportunity's applications for its owners: those they scored first (higher first),
    then best fit first, then the earlier."""
    with reading(engine) as session:
        opportunity, _ = find_opportunity(session, opportunity_key)
        if not owns_organisation(actor, opportunity.organisation_id):
            raise NotPermitted("only the opportunity's owners see its applicants")
        rows = session.execute(
            _summary_query()
            .where(OpportunityApplication.opportunity_id == opportunity.id)
            .order_by(OpportunityApplication.submitted_at, OpportunityApplication.id)
        ).all()
        fits = applicant_fits(session, opportunity, [r[0].person_id for r in rows])
        order = ranking_with_scores(fits, [r[0].owner_score for r in rows])
        return [_summary(tuple(rows[i]), float(fits.score[i])) for i in order.tolist()]


def get_application(engine: Engine, actor: Actor, key: str) -> OpportunityApplicationView:
    with reading(engine) as session:
        application, opportunity, _ = _load(session, key)
        reader = _reader(session, actor, application, opportunity)
        shared = [p for p in application.shared_parts.split(",") if p]
        grant = _grant_active(application) and bool(shared)
        if reader.applicant or reader.sees_person:
            parts: Collection[str] = SHARE_PARTS
        elif grant and reader.owner:
            parts = shared
        else:
            parts = ()
        row = session.execute(
            _summary_query().where(OpportunityApplication.id == application.id)
        ).one()
        timeline = [
            TransitionView(
                t.occurred_at, t.action, t.from_state, t.to_state, t.actor_label, t.reason
            )
            for t in session.scalars(
                select(OpportunityApplicationTransition)
                .where(OpportunityApplicationTransition.application_id == application.id)
                .order_by(OpportunityApplicationTransition.id)
            )
        ]
        state = S(application.state)
        return OpportunityApplicationView(
            summary=_summary(tuple(row)),
            statement=application.statement,
            reason=application.reason,
            shared_parts=shared,
            grant_active=grant,
            profile=shared_profile(session, application.person_id, parts),
            timeline=timeline,
            is_applicant=reader.applicant,
            is_releasing_manager=reader.releasing_manager,
            is_owner=reader.owner,
            actions=[a.value for a in allowed_actions(state) if _may_take(reader, actor, a)],
            may_revoke_share=reader.applicant and grant,
        )
