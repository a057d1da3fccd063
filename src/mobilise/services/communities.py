"""Communities of practice: set one up (an organisation's programme admins, or the service's
admins for a cross-government one), list them, join and leave. Members see the names of the other
members (names only, nothing of their profiles); people outside see how many there are.

Anyone signed in with a person record may join, people beyond the civil service included.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.opportunities import acting_organisation, key_problems, owns_organisation
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    Community,
    CommunityMembership,
    FrameworkVersion,
    Organisation,
    Person,
    SkillRecord,
)

MAX_TOPICS = 20


class CommunityNotFound(UnknownKey):
    def __init__(self, key: str) -> None:
        super().__init__("community", key)


@dataclass(frozen=True)
class CommunitySpec:
    key: str
    name: str
    organisation: str | None  # None: cross-government
    description: str = ""
    topics: Sequence[str] = ()
    skills: Sequence[str] = ()  # framework skill keys


@dataclass(frozen=True)
class CommunitySummary:
    key: str
    name: str
    organisation: str | None  # the owner's name; None: cross-government
    description: str
    topics: list[str]
    members: int
    is_member: bool


@dataclass(frozen=True)
class CommunityView:
    summary: CommunitySummary
    skills: list[tuple[str, str]]  # (key, name)
    member_names: list[str] | None  # None: the reader is not a member (nor runs it)
    runs_it: bool


def now() -> datetime:
    return datetime.now(UTC)


def runs_community(actor: Actor, community: Community) -> bool:
    if community.organisation_id is None:
        return actor.is_operator
    return owns_organisation(actor, community.organisation_id)


def find_community(session: Session, key: str) -> Community:
    found = session.scalar(select(Community).where(Community.key == key))
    if found is None:
        raise CommunityNotFound(key)
    return found


def default_skill_ids(session: Session, keys: Sequence[str]) -> dict[str, int]:
    """{key: id} of the keys that name skills of the default framework version."""
    version = session.scalar(select(FrameworkVersion.id).where(FrameworkVersion.is_default))
    return dict(
        session.execute(
            select(SkillRecord.key, SkillRecord.id).where(
                SkillRecord.framework_version_id == version, SkillRecord.key.in_(list(keys))
            )
        ).all()
    )


def unknown_skill_problems(session: Session, source: str, keys: Sequence[str]) -> list[Problem]:
    known = default_skill_ids(session, keys)
    return [
        Problem(source, None, f"skills[{i}]", key, "names no skill of the framework")
        for i, key in enumerate(keys)
        if key not in known
    ]


def create_community(engine: Engine, actor: Actor, spec: CommunitySpec) -> str:
    source = f"community {spec.key}"
    problems = key_problems(source, spec.key)
    if not spec.name.strip() or len(spec.name) > 300:
        problems.append(Problem(source, None, "name", spec.name, "must be 1-300 characters"))
    topics = [t.strip() for t in spec.topics if t.strip()]
    if len(topics) > MAX_TOPICS or any(len(t) > 100 for t in topics):
        rule = f"at most {MAX_TOPICS} topics of up to 100 characters each"
        problems.append(Problem(source, None, "topics", ", ".join(topics), rule))
    with transaction(engine) as session:
        organisation_id = None
        if spec.organisation is None:
            if not actor.is_operator:
                raise NotPermitted("only the service's admins set up cross-government communities")
        else:
            owner = acting_organisation(session, actor, spec.organisation, source, problems)
            organisation_id = owner.id if owner else None
        if session.scalar(select(Community.id).where(Community.key == spec.key)):
            problems.append(Problem(source, None, "key", spec.key, "is taken"))
        problems.extend(unknown_skill_problems(session, source, list(spec.skills)))
        if problems:
            raise InvalidInput(problems)
        session.add(
            Community(
                key=spec.key,
                name=spec.name.strip(),
                organisation_id=organisation_id,
                description=spec.description.strip(),
                topics=json.dumps(topics),
                skills=json.dumps(list(dict.fromkeys(spec.skills))),
                created_at=now(),
            )
        )
        record_event(
            session,
            actor,
            "community.created",
            entity_type="community",
            entity_key=spec.key,
            organisation_id=organisation_id,
            after={"name": spec.name, "topics": topics, "skills": list(spec.skills)},
        )
    return spec.key


def _summary(session: Session, actor: Actor, community: Community) -> CommunitySummary:
    owner = (
        session.get(Organisation, community.organisation_id) if community.organisation_id else None
    )
    members = session.scalar(
        select(func.count()).where(CommunityMembership.community_id == community.id)
    )
    return CommunitySummary(
        key=community.key,
        name=community.name,
        organisation=owner.name if owner else None,
        description=community.description,
        topics=json.loads(community.topics),
        members=members or 0,
        is_member=_is_member(session, actor, community),
    )


def _is_member(session: Session, actor: Actor, community: Community) -> bool:
    if actor.person_id is None:
        return False
    return session.get(CommunityMembership, (community.id, actor.person_id)) is not None


def list_communities(engine: Engine, actor: Actor) -> list[CommunitySummary]:
    with reading(engine) as session:
        found = session.scalars(select(Community).order_by(Community.name, Community.key))
        return [_summary(session, actor, c) for c in found]


def get_community(engine: Engine, actor: Actor, key: str) -> CommunityView:
    with reading(engine) as session:
        community = find_community(session, key)
        summary = _summary(session, actor, community)
        runs_it = runs_community(actor, community)
        names = None
        if summary.is_member or runs_it:
            names = list(
                session.scalars(
                    select(Person.display_name)
                    .join(CommunityMembership, CommunityMembership.person_id == Person.id)
                    .where(CommunityMembership.community_id == community.id)
                    .order_by(Person.display_name, Person.id)
                )
            )
        keys = json.loads(community.skills)
        version = session.scalar(select(FrameworkVersion.id).where(FrameworkVersion.is_default))
        named = dict(
            session.execute(
                select(SkillRecord.key, SkillRecord.name).where(
                    SkillRecord.framework_version_id == version, SkillRecord.key.in_(keys)
                )
            ).all()
        )
        skills = [(k, named[k]) for k in keys if k in named]
        return CommunityView(summary, skills, names, runs_it)


def _member_person(actor: Actor) -> int:
    if actor.person_id is None:
        raise NotPermitted("only people with a profile join communities")
    return actor.person_id


def join_community(engine: Engine, actor: Actor, key: str) -> bool:
    """Join; False if already a member (nothing changes)."""
    person_id = _member_person(actor)
    with transaction(engine) as session:
        community = find_community(session, key)
        if session.get(CommunityMembership, (community.id, person_id)) is not None:
            return False
        session.add(
            CommunityMembership(community_id=community.id, person_id=person_id, joined_at=now())
        )
        record_event(
            session,
            actor,
            "community.joined",
            entity_type="community",
            entity_key=key,
            organisation_id=community.organisation_id,
            after={"person": actor.person_key},
        )
        return True


def leave_community(engine: Engine, actor: Actor, key: str) -> bool:
    """Leave; False if not a member (nothing changes)."""
    person_id = _member_person(actor)
    with transaction(engine) as session:
        community = find_community(session, key)
        membership = session.get(CommunityMembership, (community.id, person_id))
        if membership is None:
            return False
        session.delete(membership)
        record_event(
            session,
            actor,
            "community.left",
            entity_type="community",
            entity_key=key,
            organisation_id=community.organisation_id,
            before={"person": actor.person_key},
        )
        return True
