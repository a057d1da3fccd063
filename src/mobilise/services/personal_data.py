"""Everything Mobilise holds about a person, as one JSON document they may download.

The document has one section per kind of record (docs/privacy.md describes each). It holds the
person's own sensitive attributes (only ever for themself) and leaves out other people's
personal data: a line manager, a panel member, a judge, a mentor or the actor of an
application's step appears as a role ("your line manager", "panel member 1", "you"), never by
name. `SECTION_TABLES` says which tables each section reads and `NOT_EXPORTED` why a table
that names a person is left out; a test walks the schema's foreign keys to people and accounts
so that a new table cannot hold people's data without a section (or a stated reason).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted
from mobilise.store.database import reading
from mobilise.store.models import (
    Account,
    ApiToken,
    Application,
    ApplicationTransition,
    Attendance,
    AuditEvent,
    Cohort,
    Community,
    CommunityEvent,
    CommunityMembership,
    Credential,
    ErasureRequest,
    EventRegistration,
    FollowedPathway,
    Hackathon,
    HackathonJudge,
    HackathonParticipant,
    HackathonScore,
    HackathonTeam,
    InferredClaimEvidence,
    LearningCompletion,
    LearningItem,
    MenteeRequest,
    Mentoring,
    MentorOffer,
    Opportunity,
    OpportunityApplication,
    OpportunityApplicationTransition,
    Organisation,
    OutboxMessage,
    PanelMember,
    PanelScore,
    Person,
    Position,
    Programme,
    ProjectSearchOptIn,
    RoleGrant,
    RoleLevelRecord,
    SavedOpportunity,
    SensitiveAttributes,
    SkillClaim,
    SkillRecord,
)

FORMAT = "mobilise-personal-data"
VERSION = 1
Row = dict[str, Any]
AnySelect = Select[*tuple[Any, ...]]
Section = Callable[[Session, Person], Any]

# Tables holding a person's or account's id that no section reads, and why.
NOT_EXPORTED: dict[str, str] = {
    "analytics_change": "a queue of people whose statistics must be recomputed; no content",
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _rows(session: Session, statement: AnySelect) -> list[Row]:
    return [
        {name: _plain(value) for name, value in row.items()}
        for row in session.execute(statement).mappings()
    ]


def _actor_as_role(label: str, person: Person) -> str:
    """An application step's actor: you, or someone else's role (never their name)."""
    return "you" if label == person.display_name else "someone else (an administrator or panel)"


def _person(session: Session, person: Person) -> Row:
    organisation = (
        session.get(Organisation, person.organisation_id) if person.organisation_id else None
    )
    level = session.get(RoleLevelRecord, person.role_level_id) if person.role_level_id else None
    return {
        "key": person.key,
        "display_name": person.display_name,
        "email": person.email,
        "organisation": None if organisation is None else organisation.name,
        "grade": person.grade,
        "region": person.region,
        "role_level": None if level is None else level.name,
        "has_line_manager": person.manager_id is not None,
        "started_on": _plain(person.started_on),
        "left_on": _plain(person.left_on),
    }


def _accounts(session: Session, person: Person) -> list[Row]:
    accounts = _rows(
        session,
        select(
            Account.id,
            Account.kind,
            Account.issuer,
            Account.email,
            Account.display_name,
            Account.created_at,
            Account.last_signed_in_at,
            Account.disabled_at,
        )
        .where(Account.person_id == person.id)
        .order_by(Account.id),
    )
    for account in accounts:
        account_id = account.pop("id")
        account["roles"] = _rows(
            session,
            select(RoleGrant.role, Organisation.name.label("organisation"), RoleGrant.granted_at)
            .outerjoin(Organisation, Organisation.id == RoleGrant.organisation_id)
            .where(RoleGrant.account_id == account_id)
            .order_by(RoleGrant.id),
        )
        account["api_tokens"] = _rows(
            session,
            select(
                ApiToken.name,
                ApiToken.prefix,
                ApiToken.scopes,
                ApiToken.created_at,
                ApiToken.expires_at,
                ApiToken.revoked_at,
                ApiToken.last_used_at,
            )
            .where(ApiToken.account_id == account_id)
            .order_by(ApiToken.id),
        )
    return accounts


def _positions(session: Session, person: Person) -> list[Row]:
    return _rows(
        session,
        select(
            Organisation.name.label("organisation"),
            RoleLevelRecord.name.label("role_level"),
            Position.grade,
            Position.region,
            Position.started_on,
            Position.ended_on,
        )
        .outerjoin(Organisation, Organisation.id == Position.organisation_id)
        .outerjoin(RoleLevelRecord, RoleLevelRecord.id == Position.role_level_id)
        .where(Position.person_id == person.id)
        .order_by(Position.started_on, Position.id),
    )


def _claims(session: Session, person: Person) -> list[Row]:
    claims = _rows(
        session,
        select(
            SkillClaim.id,
            SkillRecord.key.label("skill"),
            SkillRecord.name.label("skill_name"),
            SkillClaim.level,
            SkillClaim.source,
            SkillClaim.status,
            SkillClaim.evidence,
            SkillClaim.claimed_on,
            SkillClaim.expires_on,
            (SkillClaim.validated_by_id.is_not(None)).label("validated_by_someone"),
        )
        .join(SkillRecord, SkillRecord.id == SkillClaim.skill_id)
        .where(SkillClaim.person_id == person.id)
        .order_by(SkillClaim.claimed_on, SkillClaim.id),
    )
    for claim in claims:
        claim["inferred_from"] = _rows(
            session,
            select(
                InferredClaimEvidence.esco_label,
                InferredClaimEvidence.score,
                InferredClaimEvidence.document,
                InferredClaimEvidence.span_text,
                InferredClaimEvidence.inferred_at,
            ).where(InferredClaimEvidence.claim_id == claim.pop("id")),
        )
    return claims


def _sensitive(session: Session, person: Person) -> Row | None:
    found = session.get(SensitiveAttributes, person.id)
    if found is None:
        return None
    return {
        "consent": found.consent,
        "consented_on": _plain(found.consented_on),
        "sex": found.sex,
        "ethnic_group": found.ethnic_group,
        "disability": found.disability,
        "age_band": found.age_band,
    }


def _steps(session: Session, person: Person, model: Any, application_id: int) -> list[Row]:
    steps = _rows(
        session,
        select(
            model.occurred_at,
            model.action,
            model.from_state,
            model.to_state,
            model.actor_label.label("by"),
            model.reason,
        )
        .where(model.application_id == application_id)
        .order_by(model.occurred_at, model.id),
    )
    for step in steps:
        step["by"] = _actor_as_role(step["by"], person)
    return steps


APPLICATION_COLUMNS = (
    "statement",
    "state",
    "shared_parts",
    "share_granted_at",
    "share_revoked_at",
    "reason",
    "submitted_at",
    "updated_at",
)


def _cohort_applications(session: Session, person: Person) -> list[Row]:
    found = _rows(
        session,
        select(
            Application.id,
            Application.key,
            Programme.name.label("programme"),
            Cohort.name.label("cohort"),
            *(getattr(Application, c) for c in APPLICATION_COLUMNS),
            Application.score,
            Application.waiting_position,
        )
        .join(Cohort, Cohort.id == Application.cohort_id)
        .join(Programme, Programme.id == Cohort.programme_id)
        .where(Application.person_id == person.id)
        .order_by(Application.submitted_at, Application.id),
    )
    for application in found:
        application_id = application.pop("id")
        application["steps"] = _steps(session, person, ApplicationTransition, application_id)
        application["attendance"] = _rows(
            session,
            select(Attendance.session_on, Attendance.present)
            .where(Attendance.application_id == application_id)
            .order_by(Attendance.session_on),
        )
        scores = _rows(
            session,
            select(PanelScore.total, PanelScore.points, PanelScore.comment, PanelScore.scored_at)
            .where(PanelScore.application_id == application_id)
            .order_by(PanelScore.judge_id),
        )
        application["panel_scores"] = [
            {"panel_member": f"panel member {number}", **score}
            for number, score in enumerate(scores, start=1)
        ]
    return found


def _opportunity_applications(session: Session, person: Person) -> list[Row]:
    found = _rows(
        session,
        select(
            OpportunityApplication.id,
            OpportunityApplication.key,
            Opportunity.title.label("opportunity"),
            *(getattr(OpportunityApplication, c) for c in APPLICATION_COLUMNS),
            OpportunityApplication.preference,
            OpportunityApplication.fit,
            OpportunityApplication.owner_score,
            OpportunityApplication.waiting_position,
        )
        .join(Opportunity, Opportunity.id == OpportunityApplication.opportunity_id)
        .where(OpportunityApplication.person_id == person.id)
        .order_by(OpportunityApplication.submitted_at, OpportunityApplication.id),
    )
    for application in found:
        application["steps"] = _steps(
            session, person, OpportunityApplicationTransition, application.pop("id")
        )
    return found


def _saved_opportunities(session: Session, person: Person) -> list[Row]:
    return _rows(
        session,
        select(Opportunity.key, Opportunity.title, SavedOpportunity.saved_at)
        .join(Opportunity, Opportunity.id == SavedOpportunity.opportunity_id)
        .where(SavedOpportunity.person_id == person.id)
        .order_by(SavedOpportunity.saved_at),
    )


def _panels(session: Session, person: Person) -> Row:
    """Panels and judging: where the person sits, and how many sheets they scored (the sheets
    themselves are about other people)."""
    cohorts = session.scalars(
        select(Cohort.name)
        .join(PanelMember, PanelMember.cohort_id == Cohort.id)
        .where(PanelMember.person_id == person.id)
        .order_by(Cohort.name)
    ).all()
    hackathons = session.scalars(
        select(Hackathon.title)
        .join(HackathonJudge, HackathonJudge.hackathon_id == Hackathon.id)
        .where(HackathonJudge.person_id == person.id)
        .order_by(Hackathon.title)
    ).all()
    panel_sheets = session.scalar(
        select(func.count()).select_from(PanelScore).where(PanelScore.judge_id == person.id)
    )
    judge_sheets = session.scalar(
        select(func.count()).select_from(HackathonScore).where(HackathonScore.judge_id == person.id)
    )
    return {
        "cohort_panels": list(cohorts),
        "hackathons_judged": list(hackathons),
        "application_score_sheets": panel_sheets or 0,
        "hackathon_score_sheets": judge_sheets or 0,
    }


def _hackathons(session: Session, person: Person) -> list[Row]:
    return _rows(
        session,
        select(
            HackathonParticipant.key,
            Hackathon.title.label("hackathon"),
            HackathonParticipant.preferences,
            HackathonParticipant.shared_parts,
            HackathonParticipant.share_granted_at,
            HackathonParticipant.share_revoked_at,
            HackathonParticipant.show_name,
            HackathonTeam.name.label("team"),
            HackathonParticipant.signed_up_at,
        )
        .join(Hackathon, Hackathon.id == HackathonParticipant.hackathon_id)
        .outerjoin(HackathonTeam, HackathonTeam.id == HackathonParticipant.team_id)
        .where(HackathonParticipant.person_id == person.id)
        .order_by(HackathonParticipant.signed_up_at),
    )


def _communities(session: Session, person: Person) -> Row:
    return {
        "memberships": _rows(
            session,
            select(Community.name.label("community"), CommunityMembership.joined_at)
            .join(Community, Community.id == CommunityMembership.community_id)
            .where(CommunityMembership.person_id == person.id)
            .order_by(CommunityMembership.joined_at),
        ),
        "event_registrations": _rows(
            session,
            select(
                CommunityEvent.title.label("event"),
                CommunityEvent.starts_at,
                EventRegistration.state,
                EventRegistration.registered_at,
                EventRegistration.updated_at,
            )
            .join(CommunityEvent, CommunityEvent.id == EventRegistration.event_id)
            .where(EventRegistration.person_id == person.id)
            .order_by(EventRegistration.registered_at),
        ),
    }


def _mentoring(session: Session, person: Person) -> Row:
    offer = _rows(
        session,
        select(
            MentorOffer.skills,
            MentorOffer.capacity,
            MentorOffer.availability,
            MentorOffer.updated_at,
        ).where(MentorOffer.person_id == person.id),
    )
    request = _rows(
        session,
        select(
            MenteeRequest.skills,
            MenteeRequest.goals,
            MenteeRequest.share_across_organisations,
            MenteeRequest.share_granted_at,
            MenteeRequest.open,
            MenteeRequest.updated_at,
        ).where(MenteeRequest.person_id == person.id),
    )
    pairs = _rows(
        session,
        select(
            Mentoring.key,
            Mentoring.mentor_id,
            Mentoring.state,
            Mentoring.fit,
            Mentoring.explanation,
            Mentoring.started_at,
            Mentoring.ended_at,
            Mentoring.end_reason,
        )
        .where(or_(Mentoring.mentor_id == person.id, Mentoring.mentee_id == person.id))
        .order_by(Mentoring.started_at),
    )
    for pair in pairs:
        pair["your_role"] = "mentor" if pair.pop("mentor_id") == person.id else "mentee"
    return {
        "mentor_offer": offer[0] if offer else None,
        "mentee_request": request[0] if request else None,
        "mentorings": pairs,
    }


def _learning(session: Session, person: Person) -> Row:
    return {
        "completions": _rows(
            session,
            select(
                LearningItem.key,
                LearningItem.title,
                LearningCompletion.completed_on,
                LearningCompletion.recorded_at,
            )
            .join(LearningItem, LearningItem.id == LearningCompletion.item_id)
            .where(LearningCompletion.person_id == person.id)
            .order_by(LearningCompletion.completed_on),
        ),
        "followed_pathways": _rows(
            session,
            select(
                FollowedPathway.target_key,
                FollowedPathway.target_name,
                FollowedPathway.item_keys,
                FollowedPathway.started_at,
                FollowedPathway.completed_at,
            )
            .where(FollowedPathway.person_id == person.id)
            .order_by(FollowedPathway.started_at),
        ),
    }


def _credentials(session: Session, person: Person) -> list[Row]:
    return _rows(
        session,
        select(
            Credential.key,
            Credential.kind,
            Credential.achievement_name,
            Organisation.name.label("issuer"),
            Credential.issued_at,
            Credential.valid_until,
            Credential.revoked_at,
            Credential.revoked_reason,
            Credential.token,
        )
        .join(Organisation, Organisation.id == Credential.organisation_id)
        .where(Credential.person_id == person.id)
        .order_by(Credential.issued_at),
    )


def _messages(session: Session, person: Person) -> list[Row]:
    return _rows(
        session,
        select(
            OutboxMessage.created_at,
            OutboxMessage.email,
            OutboxMessage.kind,
            OutboxMessage.subject,
            OutboxMessage.body,
            OutboxMessage.link,
            OutboxMessage.sent_at,
        )
        .where(OutboxMessage.person_id == person.id)
        .order_by(OutboxMessage.created_at, OutboxMessage.id),
    )


def _search_opt_in(session: Session, person: Person) -> Row | None:
    found = session.get(ProjectSearchOptIn, person.id)
    return None if found is None else {"opted_in_at": _plain(found.opted_in_at)}


def _audit(session: Session, person: Person) -> list[Row]:
    """What the person did and what was done to their record (what changed is left out: an
    event's before and after may hold other people's data)."""
    mine = aliased(Account)
    return _rows(
        session,
        select(
            AuditEvent.occurred_at,
            AuditEvent.action,
            AuditEvent.entity_type,
            AuditEvent.entity_key,
            (AuditEvent.actor_account_id == mine.id).label("by_you"),
        )
        .outerjoin(mine, (mine.id == AuditEvent.actor_account_id) & (mine.person_id == person.id))
        .where(
            or_(
                mine.id.is_not(None),
                (AuditEvent.entity_type == "person") & (AuditEvent.entity_key == person.key),
            )
        )
        .order_by(AuditEvent.id),
    )


def _erasure_requests(session: Session, person: Person) -> list[Row]:
    return _rows(
        session,
        select(
            ErasureRequest.key,
            ErasureRequest.state,
            ErasureRequest.reason,
            ErasureRequest.requested_at,
            ErasureRequest.decided_at,
            ErasureRequest.decision_reason,
        )
        .where(ErasureRequest.person_id == person.id)
        .order_by(ErasureRequest.requested_at),
    )


SECTIONS: dict[str, Section] = {
    "person": _person,
    "accounts": _accounts,
    "positions": _positions,
    "skill_claims": _claims,
    "sensitive_attributes": _sensitive,
    "cohort_applications": _cohort_applications,
    "opportunity_applications": _opportunity_applications,
    "saved_opportunities": _saved_opportunities,
    "panels_and_judging": _panels,
    "hackathons": _hackathons,
    "communities": _communities,
    "mentoring": _mentoring,
    "learning": _learning,
    "credentials": _credentials,
    "messages": _messages,
    "project_search": _search_opt_in,
    "activity": _audit,
    "erasure_requests": _erasure_requests,
}
# The tables naming a person or account that each section reads (tests check the schema).
SECTION_TABLES: dict[str, tuple[str, ...]] = {
    "person": ("person",),
    "accounts": ("account", "role_grant", "api_token"),
    "positions": ("position",),
    "skill_claims": ("skill_claim",),
    "sensitive_attributes": ("sensitive_attributes",),
    "cohort_applications": ("application", "panel_score"),
    "opportunity_applications": ("opportunity_application",),
    "saved_opportunities": ("saved_opportunity",),
    "panels_and_judging": ("panel_member", "hackathon_judge", "hackathon_score"),
    "hackathons": ("hackathon_participant",),
    "communities": ("community_membership", "event_registration"),
    "mentoring": ("mentor_offer", "mentee_request", "mentoring"),
    "learning": ("learning_completion", "followed_pathway"),
    "credentials": ("credential",),
    "messages": ("outbox_message",),
    "project_search": ("project_search_opt_in",),
    "activity": ("audit_event",),
    "erasure_requests": ("erasure_request",),
}
assert set(SECTION_TABLES) == set(SECTIONS)


def personal_data_of(session: Session, person: Person) -> dict[str, Any]:
    """The whole document for `person` (callers check that the reader is that person)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": datetime.now(UTC).isoformat(),
        **{name: section(session, person) for name, section in SECTIONS.items()},
    }


def download_my_data(engine: Engine, actor: Actor) -> dict[str, Any]:
    """Everything held about the signed-in person; only ever for themself."""
    if actor.person_id is None:
        raise NotPermitted("only a person's own account can download their data")
    with reading(engine) as session:
        person = session.get(Person, actor.person_id)
        if person is None:
            raise NotPermitted("only a person's own account can download their data")
        return personal_data_of(session, person)


def personal_data_by_key(engine: Engine, person_key: str) -> dict[str, Any]:
    """The document for the person with `person_key`, for an operator answering a request made
    outside the service (the command line: whoever runs it already holds the database)."""
    with reading(engine) as session:
        person = session.scalar(select(Person).where(Person.key == person_key))
        if person is None:
            raise LookupError(f"no person has the key {person_key!r}")
        return personal_data_of(session, person)
