"""Following a learning pathway: a person keeps the pathway they were shown to a role level, and
completing all its items issues a credential (services/credential_awards.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.credential_awards import award_completed_pathways
from mobilise.services.pathways import pathway_for
from mobilise.services.people import visible_person
from mobilise.store.database import reading, transaction
from mobilise.store.models import FollowedPathway, LearningCompletion, LearningItem


@dataclass(frozen=True)
class FollowedView:
    target_key: str
    target_name: str
    items: list[tuple[str, str, bool]]  # (key, title, completed)
    started_at: datetime
    completed_at: datetime | None

    @property
    def done(self) -> int:
        return sum(1 for _, _, completed in self.items if completed)


def follow_pathway(
    engine: Engine, actor: Actor, person_key: str, target_key: str, *, objective: str = "hours"
) -> FollowedView:
    """The person (only they) follows their pathway to `target_key` as planned now; following it
    again replaces the items, until it is completed."""
    plan = pathway_for(engine, actor, person_key, target_key, objective=objective)
    source = f"pathway to {target_key}"
    with transaction(engine) as session:
        person = visible_person(session, actor, person_key)
        if actor.person_id != person.id:
            raise NotPermitted("people follow their own pathways")
        row = session.scalar(
            select(FollowedPathway).where(
                FollowedPathway.person_id == person.id, FollowedPathway.target_key == target_key
            )
        )
        if row is not None and row.completed_at is not None:
            raise InvalidInput([Problem(source, None, "pathway", target_key, "is completed")])
        if not plan.items:
            rule = "has no learning items to follow (nothing learning can close is open)"
            raise InvalidInput([Problem(source, None, "pathway", target_key, rule)])
        keys = [item.key for item in plan.items]
        name = f"{plan.target.name} ({plan.target.role_name})"
        if row is None:
            row = FollowedPathway(
                person_id=person.id,
                target_key=target_key,
                target_name=name[:300],
                item_keys=keys,
                started_at=datetime.now(UTC),
            )
            session.add(row)
        else:
            row.item_keys = keys
        session.flush()
        record_event(
            session,
            actor,
            "pathway.followed",
            entity_type="followed_pathway",
            entity_key=str(row.id),
            organisation_id=person.organisation_id,
            after={"person": person.key, "target": target_key, "items": keys},
        )
        award_completed_pathways(session, actor, person)
    return followed_pathways(engine, actor, person_key)[0]


def followed_pathways(engine: Engine, actor: Actor, person_key: str) -> list[FollowedView]:
    """The pathways a person follows, latest first, with each item's completion."""
    with reading(engine) as session:
        person = visible_person(session, actor, person_key)
        rows = session.scalars(
            select(FollowedPathway)
            .where(FollowedPathway.person_id == person.id)
            .order_by(FollowedPathway.started_at.desc(), FollowedPathway.id.desc())
        ).all()
        keys = {key for row in rows for key in row.item_keys}
        titles = dict(
            session.execute(
                select(LearningItem.key, LearningItem.title).where(LearningItem.key.in_(keys))
            ).all()
        )
        completed = set(
            session.scalars(
                select(LearningItem.key)
                .join(LearningCompletion, LearningCompletion.item_id == LearningItem.id)
                .where(LearningCompletion.person_id == person.id, LearningItem.key.in_(keys))
            )
        )
        return [
            FollowedView(
                row.target_key,
                row.target_name,
                [(k, titles.get(k, k), k in completed) for k in row.item_keys],
                _utc(row.started_at),
                None if row.completed_at is None else _utc(row.completed_at),
            )
            for row in rows
        ]


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; all are stored in UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
