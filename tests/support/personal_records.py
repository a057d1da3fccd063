"""A person with a record of every kind Mobilise holds about people, for the data-rights tests.

On top of the two-organisation workforce: `analyst` is renamed Zoë Quartermaine (a name no other
text holds by chance) and given a claim with inferred evidence, sensitive attributes, a position,
applications to a cohort and an opportunity (decided, with steps, attendance and a panel
score), a saved opportunity, a panel seat, a hackathon sign-up and judging, a community, an
event, mentoring both ways, a learning completion, a followed pathway, a credential, messages,
a search opt-in, an account with a role and a token, and audit events. Other people's records
mention her by name (a message to her manager, an audit event's before/after, a step's actor).
Each text the person owns carries `MARK` so that a test can find it in an export.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Actor, Role
from mobilise.services.audit import record_event
from mobilise.services.credentials import AchievementSpec, issue_credential
from mobilise.store.database import transaction
from mobilise.store.models import (
    AllocationRunRecord,
    ApiToken,
    Application,
    ApplicationTransition,
    Attendance,
    Cohort,
    Community,
    CommunityEvent,
    CommunityMembership,
    CourseEnrolment,
    EventRegistration,
    FollowedPathway,
    Hackathon,
    HackathonJudge,
    HackathonParticipant,
    HackathonScore,
    HackathonTeam,
    InferredClaimEvidence,
    Interest,
    LearningCompletion,
    LearningItem,
    MarketplaceRound,
    MenteeRequest,
    Mentoring,
    MentoringRound,
    MentorOffer,
    Opportunity,
    OpportunityApplication,
    OpportunityApplicationTransition,
    OutboxMessage,
    PanelMember,
    PanelScore,
    Person,
    Position,
    Programme,
    ProjectSearchOptIn,
    SavedOpportunity,
    SensitiveAttributes,
    SkillClaim,
    SkillRecord,
)
from tests.support.workforce import Workforce

NAME = "Zoë Quartermaine"
EMAIL = "zoe.quartermaine@example.gov.uk"
MARK = "ZQ-MARK"
NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Records:
    person_id: int
    actor: Actor


def _rename(engine: Engine, workforce: Workforce) -> None:
    with transaction(engine) as session:
        person = session.get(Person, workforce.people["analyst"])
        assert person is not None
        person.display_name, person.email = NAME, EMAIL


def _claim_and_history(session: Session, person_id: int, org: int) -> None:

    skill = session.scalars(select(SkillRecord).order_by(SkillRecord.id).limit(1)).one()
    claim = SkillClaim(
        person_id=person_id,
        skill_id=skill.id,
        level=3,
        source="inferred",
        status="suggested",
        evidence=f"{MARK} claim",
        claimed_on=date(2025, 1, 2),
    )
    session.add(claim)
    session.flush()
    session.add(
        InferredClaimEvidence(
            claim_id=claim.id,
            esco_key="http://data.europa.eu/esco/skill/x",
            esco_label="use Python",
            score=0.8,
            document="cv",
            text_digest="0" * 64,
            span_start=0,
            span_end=6,
            span_text=f"{MARK} span",
            inferred_at=NOW,
        )
    )
    session.add(
        SensitiveAttributes(
            person_id=person_id,
            consent=True,
            consented_on=date(2024, 1, 1),
            sex="Female",
            ethnic_group="Mixed",
            disability="No",
            age_band="25-34",
        )
    )
    session.add(
        Position(
            person_id=person_id,
            organisation_id=org,
            grade="G7",
            region="London",
            started_on=date(2021, 1, 1),
        )
    )


def add_every_record(engine: Engine, workforce: Workforce) -> Records:
    _rename(engine, workforce)
    person_id = workforce.people["analyst"]
    lead_id = workforce.people["lead"]
    org = workforce.org_a
    with transaction(engine) as session:
        _claim_and_history(session, person_id, org)
        programme = Programme(
            key="prog",
            name="Programme",
            kind="academy",
            organisation_id=org,
            rubric="[]",
            created_at=NOW,
        )
        session.add(programme)
        session.flush()
        cohort = Cohort(
            key="cohort-1",
            programme_id=programme.id,
            name="Cohort one",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 6, 1),
            capacity=10,
            created_at=NOW,
        )
        session.add(cohort)
        session.flush()
        application = Application(
            key="app-1",
            cohort_id=cohort.id,
            person_id=person_id,
            statement=f"{MARK} statement",
            state="accepted",
            manager_id=lead_id,
            shared_parts="claims",
            share_granted_at=NOW,
            reason=f"{MARK} reason",
            submitted_at=NOW,
            updated_at=NOW,
        )
        session.add(application)
        session.flush()
        session.add_all(
            [
                ApplicationTransition(
                    application_id=application.id,
                    occurred_at=NOW,
                    action="submit",
                    from_state=None,
                    to_state="awaiting_release",
                    actor_label=NAME,
                    reason=f"{MARK} step",
                ),
                Attendance(
                    application_id=application.id, session_on=date(2026, 2, 1), present=True
                ),
                PanelScore(
                    application_id=application.id,
                    judge_id=lead_id,
                    points="{}",
                    total=70.0,
                    comment=f"{MARK} comment on {NAME}",
                    scored_at=NOW,
                ),
                PanelMember(cohort_id=cohort.id, person_id=person_id),
            ]
        )
        market = MarketplaceRound(key="round-1", name="Round", organisation_id=org, created_at=NOW)
        session.add(market)
        session.flush()
        opportunity = Opportunity(
            key="opp-1",
            round_id=market.id,
            organisation_id=org,
            kind="loan",
            title="Opportunity one",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 3, 1),
            capacity=1,
            created_at=NOW,
        )
        session.add(opportunity)
        session.flush()
        opportunity_application = OpportunityApplication(
            key="oa-1",
            opportunity_id=opportunity.id,
            person_id=person_id,
            statement=f"{MARK} opportunity statement",
            state="not_selected",
            preference=1,
            submitted_at=NOW,
            updated_at=NOW,
        )
        session.add(opportunity_application)
        session.flush()
        session.add_all(
            [
                OpportunityApplicationTransition(
                    application_id=opportunity_application.id,
                    occurred_at=NOW,
                    action="submit",
                    from_state=None,
                    to_state="released",
                    actor_label=NAME,
                    reason="",
                ),
                SavedOpportunity(person_id=person_id, opportunity_id=opportunity.id, saved_at=NOW),
            ]
        )
        hackathon = Hackathon(
            key="hack-1",
            organisation_id=org,
            title="Hackathon one",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 1, 2),
            capacity=10,
            team_size=2,
            rubric="[]",
            created_at=NOW,
        )
        session.add(hackathon)
        session.flush()
        team = HackathonTeam(key="team-1", hackathon_id=hackathon.id, number=1, name="Team one")
        session.add(team)
        session.flush()
        session.add_all(
            [
                HackathonParticipant(
                    key="hp-1",
                    hackathon_id=hackathon.id,
                    person_id=person_id,
                    preferences=MARK,
                    team_id=team.id,
                    signed_up_at=NOW,
                ),
                HackathonJudge(hackathon_id=hackathon.id, person_id=person_id),
                HackathonScore(
                    team_id=team.id,
                    judge_id=person_id,
                    points="{}",
                    total=50.0,
                    comment="",
                    scored_at=NOW,
                ),
            ]
        )
        community = Community(key="com-1", name="Community one", created_at=NOW)
        session.add(community)
        session.flush()
        event = CommunityEvent(
            key="ev-1",
            community_id=community.id,
            organisation_id=org,
            title="Event one",
            starts_at=NOW,
            ends_at=NOW + timedelta(hours=1),
            capacity=5,
            created_at=NOW,
        )
        session.add(event)
        session.flush()
        mentoring_round = MentoringRound(key="mr-1", created_at=NOW)
        session.add(mentoring_round)
        session.flush()
        item = LearningItem(
            key="item-1", title="Item one", provider="Provider", format="course", hours=2
        )
        session.add(item)
        session.flush()
        session.add_all(
            [
                CommunityMembership(community_id=community.id, person_id=person_id, joined_at=NOW),
                EventRegistration(
                    key="er-1",
                    event_id=event.id,
                    person_id=person_id,
                    state="registered",
                    registered_at=NOW,
                    updated_at=NOW,
                ),
                MentorOffer(person_id=person_id, capacity=1, availability=MARK, updated_at=NOW),
                MenteeRequest(person_id=person_id, goals=f"{MARK} goals", updated_at=NOW),
                Mentoring(
                    key="m-1",
                    round_id=mentoring_round.id,
                    mentor_id=lead_id,
                    mentee_id=person_id,
                    fit=0.5,
                    explanation=f"{MARK}: {NAME} wants Python",
                    started_at=NOW,
                ),
                LearningCompletion(
                    person_id=person_id,
                    item_id=item.id,
                    completed_on=date(2026, 1, 5),
                    recorded_at=NOW,
                ),
                FollowedPathway(
                    person_id=person_id,
                    target_key=f"{MARK}-target",
                    target_name="Target",
                    item_keys=["item-1"],
                    started_at=NOW,
                ),
                ProjectSearchOptIn(person_id=person_id, opted_in_at=NOW),
                CourseEnrolment(person_id=person_id, item_id=item.id, enrolled_at=NOW),
                Interest(
                    person_id=person_id,
                    kind="course",
                    target_key=f"{MARK}-course",
                    registered_at=NOW,
                ),
                OutboxMessage(
                    created_at=NOW,
                    person_id=lead_id,
                    email="lead@example.gov.uk",
                    kind="note",
                    subject=f"{NAME} asked for release",
                    body=f"Write to {EMAIL}.",
                ),
                OutboxMessage(
                    created_at=NOW,
                    person_id=person_id,
                    email=EMAIL,
                    kind="note",
                    subject=f"{MARK} to you",
                    body="Hello",
                ),
                AllocationRunRecord(
                    key="run-1",
                    created_at=NOW,
                    method="stable",
                    seed=0,
                    parameters="{}",
                    problem=json.dumps({"applicants": [{"id": "analyst"}]}),
                    problem_sha256="0" * 64,
                    result=json.dumps({"matches": [["analyst", "opp-1"]]}),
                    applicants=1,
                    matched=1,
                    solve_seconds=0.1,
                ),
            ]
        )
        record_event(
            session,
            None,
            "person.updated",
            entity_type="person",
            entity_key="analyst",
            organisation_id=org,
            before={"name": NAME, "email": EMAIL},
            after={"name": NAME},
        )
    issue_credential(
        engine,
        None,
        recipient_person_key="analyst",
        issuer_organisation_key="dept-a",
        achievement=AchievementSpec(
            key=f"test:{MARK}",
            name=f"{MARK} achievement",
            description="Done.",
            criteria="Do it.",
            kind="other",
        ),
    )
    actor = development_sign_in(engine, "analyst", [Role.PROGRAMME_ADMIN])
    with transaction(engine) as session:
        assert actor.account_id is not None
        session.add(
            ApiToken(
                account_id=actor.account_id,
                name=f"{MARK} token",
                prefix="mob_x",
                digest="1" * 64,
                scopes="people:read",
                created_at=NOW,
            )
        )
    return Records(person_id=person_id, actor=actor)


def add_message_sent_long_ago(engine: Engine, person_id: int, days: int = 400) -> None:
    """A notification delivered `days` ago, past the default retention of sent messages."""
    long_ago = datetime.now(UTC) - timedelta(days=days)
    with transaction(engine) as session:
        session.add(
            OutboxMessage(
                created_at=long_ago, person_id=person_id, kind="note", subject="old", body="",
                sent_at=long_ago,
            )
        )  # fmt: skip
