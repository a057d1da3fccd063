"""What issues a credential, inside the transaction of the change that earns it: a participant
marked complete on a cohort (issued by the programme's organisation), and a person completing
the last item of a learning pathway they follow (issued by their own organisation).

The caller has already decided the actor may make the change; these only issue.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mobilise.services.actors import Actor
from mobilise.services.credentials import AchievementSpec, IssuedCredential, issue_in_session
from mobilise.store.models import (
    Application,
    Cohort,
    CohortItem,
    Credential,
    FollowedPathway,
    LearningCompletion,
    LearningItem,
    Organisation,
    Person,
    Programme,
)


def cohort_achievement(session: Session, cohort: Cohort, programme: Programme) -> AchievementSpec:
    mandatory = session.scalars(
        select(LearningItem.title)
        .join(CohortItem, CohortItem.item_id == LearningItem.id)
        .where(CohortItem.cohort_id == cohort.id, CohortItem.mandatory.is_(True))
        .order_by(CohortItem.position, LearningItem.title)
    ).all()
    modules = "; ".join(mandatory) if mandatory else "none"
    return AchievementSpec(
        key=f"cohort:{cohort.key}",
        name=f"{programme.name}: {cohort.name}"[:300],
        description=(
            f"Completed {cohort.name} of {programme.name}, "
            f"{cohort.starts_on.isoformat()} to {cohort.ends_on.isoformat()}."
            + (f" {programme.summary}" if programme.summary else "")
        ),
        criteria=(
            f"Selected for the cohort, completed every mandatory module ({modules}) and attended "
            f"at least {round(programme.min_attendance * 100)}% of its sessions, as recorded by "
            "the programme's admins."
        ),
        kind="cohort",
    )


def award_cohort_completion(
    session: Session,
    actor: Actor | None,
    application: Application,
    cohort: Cohort,
    programme: Programme,
) -> IssuedCredential | None:
    person = session.get(Person, application.person_id)
    organisation = session.get(Organisation, programme.organisation_id)
    if person is None or organisation is None:
        return None
    spec = cohort_achievement(session, cohort, programme)
    return issue_in_session(session, actor, person, organisation, spec)


def award_completed_pathways(
    session: Session, actor: Actor | None, person: Person
) -> list[IssuedCredential]:
    """Mark each pathway the person follows whose items are now all completed, and issue its
    credential from the person's organisation (a person with none completes it without one)."""
    following = session.scalars(
        select(FollowedPathway).where(
            FollowedPathway.person_id == person.id, FollowedPathway.completed_at.is_(None)
        )
    ).all()
    if not following:
        return []
    completed = set(
        session.scalars(
            select(LearningItem.key)
            .join(LearningCompletion, LearningCompletion.item_id == LearningItem.id)
            .where(LearningCompletion.person_id == person.id)
        )
    )
    organisation = (
        session.get(Organisation, person.organisation_id) if person.organisation_id else None
    )
    issued = []
    for pathway in following:
        if not set(pathway.item_keys) <= completed:
            continue
        pathway.completed_at = datetime.now(UTC)
        if organisation is None:
            continue
        titles = session.scalars(
            select(LearningItem.title)
            .where(LearningItem.key.in_(pathway.item_keys))
            .order_by(LearningItem.title)
        ).all()
        credential = issue_in_session(
            session,
            actor,
            person,
            organisation,
            AchievementSpec(
                key=f"pathway:{pathway.target_key}",
                name=f"Learning pathway to {pathway.target_name}"[:300],
                description=(
                    f"Completed the learning pathway to {pathway.target_name}: "
                    f"{len(pathway.item_keys)} learning items closing the skill gaps to the "
                    "role level that learning can close."
                ),
                criteria="Complete every item of the pathway: " + "; ".join(titles) + ".",
                kind="pathway",
            ),
        )
        pathway.credential_id = session.scalar(
            select(Credential.id).where(Credential.key == credential.key)
        )
        issued.append(credential)
    return issued
