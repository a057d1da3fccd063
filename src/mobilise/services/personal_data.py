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
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted
from mobilise.services.personal_data_participation import (
    Row,
    activity,
    communities,
    courses,
    credentials,
    erasure_requests,
    hackathons,
    interests,
    learning,
    mentoring,
    messages,
    panels,
    plain,
    rows,
    saved_opportunities,
    search_opt_in,
)
from mobilise.store.database import reading
from mobilise.store.models import (
    Account,
    ApiToken,
    Application,
    ApplicationTransition,
    Attendance,
    Cohort,
    InferredClaimEvidence,
    Opportunity,
    OpportunityApplication,
    OpportunityApplicationTransition,
    Organisation,
    PanelScore,
    Person,
    Position,
    Programme,
    RoleGrant,
    RoleLevelRecord,
    SensitiveAttributes,
    SkillClaim,
    SkillRecord,
)

FORMAT = "mobilise-personal-data"
VERSION = 1
Section = Callable[[Session, Person], Any]

# Tables holding a person's or account's id that no section reads, and why.
NOT_EXPORTED: dict[str, str] = {
    "analytics_change": "a queue of people whose statistics must be recomputed; no content",
}


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
        "started_on": plain(person.started_on),
        "left_on": plain(person.left_on),
    }


def _accounts(session: Session, person: Person) -> list[Row]:
    accounts = rows(
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
        account["roles"] = rows(
            session,
            select(RoleGrant.role, Organisation.name.label("organisation"), RoleGrant.granted_at)
            .outerjoin(Organisation, Organisation.id == RoleGrant.organisation_id)
            .where(RoleGrant.account_id == account_id)
            .order_by(RoleGrant.id),
        )
        account["api_tokens"] = rows(
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
    return rows(
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
    claims = rows(
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
        claim["inferred_from"] = rows(
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
        "consented_on": plain(found.consented_on),
        "sex": found.sex,
        "ethnic_group": found.ethnic_group,
        "disability": found.disability,
        "age_band": found.age_band,
    }


def _steps(session: Session, person: Person, model: Any, application_id: int) -> list[Row]:
    steps = rows(
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
    found = rows(
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
        application["attendance"] = rows(
            session,
            select(Attendance.session_on, Attendance.present)
            .where(Attendance.application_id == application_id)
            .order_by(Attendance.session_on),
        )
        scores = rows(
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
    found = rows(
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


SECTIONS: dict[str, Section] = {
    "person": _person,
    "accounts": _accounts,
    "positions": _positions,
    "skill_claims": _claims,
    "sensitive_attributes": _sensitive,
    "cohort_applications": _cohort_applications,
    "opportunity_applications": _opportunity_applications,
    "saved_opportunities": saved_opportunities,
    "panels_and_judging": panels,
    "hackathons": hackathons,
    "communities": communities,
    "mentoring": mentoring,
    "learning": learning,
    "credentials": credentials,
    "messages": messages,
    "project_search": search_opt_in,
    "interests": interests,
    "courses": courses,
    "activity": activity,
    "erasure_requests": erasure_requests,
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
    "interests": ("interest",),
    "courses": ("course_enrolment",),
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
