"""A community with an event, over tests/support/programmes.py's people.

Department A runs the "ai-community" (skills: the framework's first skill); `admin` (of A) is its
programme admin and organises its meet-up "ai-meetup" (two places, a week from now). `candidate`
has no organisation. Nobody has joined or registered yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select

from mobilise.services.actors import Actor, Role
from mobilise.services.communities import CommunitySpec, create_community
from mobilise.services.events import EventSpec, create_event
from mobilise.store.database import reading, transaction
from mobilise.store.models import Person, SkillClaim, SkillRecord
from tests.support.programmes import ProgrammeSetup, add_programme

COMMUNITY = "ai-community"
EVENT = "ai-meetup"


@dataclass(frozen=True)
class CommunitySetup:
    programme: ProgrammeSetup
    skill: str

    def actor(self, engine: Engine, person: str, *roles: Role) -> Actor:
        return self.programme.actor(engine, person, *roles)

    def admin(self, engine: Engine) -> Actor:
        return self.actor(engine, "admin", Role.PROGRAMME_ADMIN)


def event_spec(
    key: str,
    capacity: int,
    *,
    starts_in: timedelta = timedelta(days=7),
    community: str | None = COMMUNITY,
) -> EventSpec:
    starts = datetime.now(UTC).replace(microsecond=0) + starts_in
    return EventSpec(
        key=key,
        title=f"Meet-up {key}",
        organisation="dept-a",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=capacity,
        community=community,
        place="10 Victoria Street, London",
        online=True,
    )


def add_community(engine: Engine, *, capacity: int = 2) -> CommunitySetup:
    programme = add_programme(engine)
    with reading(engine) as session:
        skill = session.scalars(select(SkillRecord.key).order_by(SkillRecord.id).limit(1)).one()
    admin = programme.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    create_community(
        engine,
        admin,
        CommunitySpec(
            key=COMMUNITY,
            name="AI community of practice",
            organisation="dept-a",
            description="People building and buying AI in government.",
            topics=["machine learning", "AI assurance"],
            skills=[skill],
        ),
    )
    create_event(engine, admin, event_spec(EVENT, capacity))
    return CommunitySetup(programme, skill)


def claim_skill(
    engine: Engine,
    person: str,
    skill: str,
    level: int,
    *,
    source: str = "self",
    claimed_on: date = date(2025, 1, 1),
) -> None:
    """`person` claims `skill` at `level` (later than tests/support/workforce.py's claims, or
    assessed, which outranks any self claim of a demo workforce)."""
    with transaction(engine) as session:
        skill_id = session.scalar(select(SkillRecord.id).where(SkillRecord.key == skill))
        person_id = session.scalar(select(Person.id).where(Person.key == person))
        assert skill_id is not None
        assert person_id is not None
        session.add(
            SkillClaim(
                person_id=person_id,
                skill_id=skill_id,
                level=level,
                source=source,
                status="active",
                evidence="led the work",
                claimed_on=claimed_on,
            )
        )
