"""The sections of a person's data document about what they take part in: opportunities they
saved, panels and judging, hackathons, communities, mentoring, learning, credentials, messages,
the search opt-in, their activity in the audit log and their erasure requests (the rest, and the
document itself, are services/personal_data.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from mobilise.store.models import (
    Account,
    AuditEvent,
    Cohort,
    Community,
    CommunityEvent,
    CommunityMembership,
    CourseEnrolment,
    CourseWeek,
    Credential,
    ErasureRequest,
    EventRegistration,
    FollowedPathway,
    Hackathon,
    HackathonJudge,
    HackathonParticipant,
    HackathonScore,
    HackathonTeam,
    Interest,
    LearningCompletion,
    LearningItem,
    MenteeRequest,
    Mentoring,
    MentorOffer,
    Opportunity,
    Organisation,
    OutboxMessage,
    PanelMember,
    PanelScore,
    Person,
    ProjectSearchOptIn,
    SavedOpportunity,
)

Row = dict[str, Any]
AnySelect = Select[*tuple[Any, ...]]


def plain(value: Any) -> Any:
    if isinstance(value, datetime):
        # Stored in UTC; SQLite hands moments back without their offset.
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def rows(session: Session, statement: AnySelect) -> list[Row]:
    return [
        {name: plain(value) for name, value in row.items()}
        for row in session.execute(statement).mappings()
    ]


def saved_opportunities(session: Session, person: Person) -> list[Row]:
    return rows(
        session,
        select(Opportunity.key, Opportunity.title, SavedOpportunity.saved_at)
        .join(Opportunity, Opportunity.id == SavedOpportunity.opportunity_id)
        .where(SavedOpportunity.person_id == person.id)
        .order_by(SavedOpportunity.saved_at),
    )


def panels(session: Session, person: Person) -> Row:
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


def hackathons(session: Session, person: Person) -> list[Row]:
    return rows(
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


def communities(session: Session, person: Person) -> Row:
    return {
        "memberships": rows(
            session,
            select(Community.name.label("community"), CommunityMembership.joined_at)
            .join(Community, Community.id == CommunityMembership.community_id)
            .where(CommunityMembership.person_id == person.id)
            .order_by(CommunityMembership.joined_at),
        ),
        "event_registrations": rows(
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


def mentoring(session: Session, person: Person) -> Row:
    offer = rows(
        session,
        select(
            MentorOffer.skills,
            MentorOffer.capacity,
            MentorOffer.availability,
            MentorOffer.updated_at,
        ).where(MentorOffer.person_id == person.id),
    )
    request = rows(
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
    pairs = rows(
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


def learning(session: Session, person: Person) -> Row:
    return {
        "completions": rows(
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
        "followed_pathways": rows(
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


def credentials(session: Session, person: Person) -> list[Row]:
    return rows(
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


def messages(session: Session, person: Person) -> list[Row]:
    return rows(
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


def search_opt_in(session: Session, person: Person) -> Row | None:
    found = session.get(ProjectSearchOptIn, person.id)
    return None if found is None else {"opted_in_at": plain(found.opted_in_at)}


def activity(session: Session, person: Person) -> list[Row]:
    """What the person did and what was done to their record (what changed is left out: an
    event's before and after may hold other people's data)."""
    mine = aliased(Account)
    return rows(
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


def erasure_requests(session: Session, person: Person) -> list[Row]:
    return rows(
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


def interests(session: Session, person: Person) -> list[Row]:
    """What the person asked to be told about when it opens (programmes, role families,
    courses)."""
    return rows(
        session,
        select(
            Interest.kind,
            Interest.target_key,
            Interest.registered_at,
            Interest.withdrawn_at,
            Interest.notified_at,
        )
        .where(Interest.person_id == person.id)
        .order_by(Interest.registered_at, Interest.id),
    )


def courses(session: Session, person: Person) -> list[Row]:
    """Courses the person enrolled on, with each week's progress and quiz score."""
    return rows(
        session,
        select(
            LearningItem.key,
            LearningItem.title,
            CourseEnrolment.enrolled_at,
            CourseWeek.week,
            CourseWeek.percent_done,
            CourseWeek.quiz_score,
            CourseWeek.quiz_max,
            CourseWeek.recorded_at,
        )
        .join(LearningItem, LearningItem.id == CourseEnrolment.item_id)
        .outerjoin(CourseWeek, CourseWeek.enrolment_id == CourseEnrolment.id)
        .where(CourseEnrolment.person_id == person.id)
        .order_by(CourseEnrolment.enrolled_at, CourseEnrolment.id, CourseWeek.week),
    )
