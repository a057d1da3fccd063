"""Signing up to a hackathon: challenge preferences, consent to share named parts of one's profile
with the organisers (a share grant, DESIGN.md), consent to show one's name on the public results,
withdrawing, revoking the grant, and the organisers' list of participants.

Anyone signed in as a person may sign up, with or without an organisation. The grant lasts while
the hackathon runs: it ends when the participant revokes it, withdraws, or the results are
published. Organisers see a participant's name, preferences and team, and the shared parts only
while the grant stands; never a sensitive attribute.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from mobilise.core.hackathons import HackathonState
from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor
from mobilise.services.application_views import SharedProfile, shared_profile
from mobilise.services.applications import checked_share
from mobilise.services.audit import NotPermitted
from mobilise.services.hackathons import (
    audit,
    find_hackathon,
    grant_active,
    now,
    require_organiser,
    require_state,
)
from mobilise.services.outbox import notify
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    Hackathon,
    HackathonChallenge,
    HackathonParticipant,
    HackathonTeam,
    Person,
)

MAX_PREFERENCES = 3


@dataclass(frozen=True)
class ParticipantView:
    key: str
    name: str
    preferences: list[str]  # challenge titles, first choice first
    team: int | None  # team number
    shared_parts: list[str]
    grant_active: bool
    profile: SharedProfile


def sign_up(
    engine: Engine,
    actor: Actor,
    hackathon_key: str,
    preferences: Sequence[str],
    shared_parts: Collection[str],
    *,
    consent: bool,
    show_name: bool = False,
) -> str:
    """The actor signs up to an open hackathon; returns their participant key. Bad input, a full
    event or a second sign-up is InvalidInput naming what is wrong, and nothing changes."""
    if actor.person_id is None:
        raise NotPermitted("only a person may sign up (service accounts cannot)")
    source = f"sign-up to {hackathon_key}"
    problems: list[Problem] = []
    parts = checked_share(source, shared_parts, consent, problems)
    chosen = [p for p in preferences if p]
    if len(chosen) != len(set(chosen)):
        problems.append(Problem(source, None, "preferences", None, "name a challenge twice"))
    if len(chosen) > MAX_PREFERENCES:
        problems.append(
            Problem(source, None, "preferences", None, f"may name at most {MAX_PREFERENCES}")
        )
    with transaction(engine) as session:
        hackathon = find_hackathon(session, actor, hackathon_key)
        person = session.get(Person, actor.person_id)
        if person is None:
            raise NotPermitted("the account's person no longer exists")
        if hackathon.state != HackathonState.OPEN.value:
            problems.append(
                Problem(source, None, "hackathon", hackathon.key, "is not open for sign-up")
            )
        known = set(
            session.scalars(
                select(HackathonChallenge.key).where(
                    HackathonChallenge.hackathon_id == hackathon.id
                )
            )
        )
        for key in chosen:
            if key not in known:
                problems.append(
                    Problem(source, None, "preferences", key, "is not a challenge of this event")
                )
        taken = session.scalar(
            select(func.count(HackathonParticipant.id)).where(
                HackathonParticipant.hackathon_id == hackathon.id
            )
        )
        if int(taken or 0) >= hackathon.capacity:
            problems.append(
                Problem(source, None, "hackathon", hackathon.key, "is full (no places left)")
            )
        if session.scalar(
            select(HackathonParticipant.id).where(
                HackathonParticipant.hackathon_id == hackathon.id,
                HackathonParticipant.person_id == person.id,
            )
        ):
            problems.append(Problem(source, None, "hackathon", hackathon.key, "has your sign-up"))
        if problems:
            raise InvalidInput(problems)
        moment = now()
        participant = HackathonParticipant(
            key=uuid.uuid4().hex[:12],
            hackathon_id=hackathon.id,
            person_id=person.id,
            preferences=",".join(chosen),
            shared_parts=",".join(parts),
            share_granted_at=moment if parts else None,
            show_name=show_name,
            signed_up_at=moment,
        )
        session.add(participant)
        session.flush()
        audit(
            session,
            actor,
            hackathon,
            "hackathon.signed_up",
            entity=("hackathon_participant", participant.key),
            after={
                "hackathon": hackathon.key,
                "preferences": chosen,
                "shared_with_organisers": parts,
                "show_name": show_name,
            },
        )
        notify(
            session,
            person,
            "hackathon.signed_up",
            f"You signed up to {hackathon.title}",
            f"You have a place at {hackathon.title} ({hackathon.starts_on:%-d %B %Y}). "
            + (
                f"You share your {', '.join(parts)} with its organisers until the results are "
                "published; you can stop sharing at any time. "
                if parts
                else ""
            )
            + "You will be told your team when the organisers publish the teams.",
            f"/hackathons/{hackathon.key}",
        )
        return participant.key


def _own_sign_up(
    session: Session, actor: Actor, hackathon: Hackathon
) -> HackathonParticipant | None:
    return session.scalar(
        select(HackathonParticipant).where(
            HackathonParticipant.hackathon_id == hackathon.id,
            HackathonParticipant.person_id == actor.person_id,
        )
    )


def withdraw(engine: Engine, actor: Actor, hackathon_key: str) -> None:
    """The actor withdraws their sign-up, while sign-up is open (their place goes back)."""
    source = f"sign-up to {hackathon_key}"
    with transaction(engine) as session:
        hackathon = find_hackathon(session, actor, hackathon_key)
        participant = _own_sign_up(session, actor, hackathon)
        if participant is None:
            raise InvalidInput([Problem(source, None, "sign-up", None, "you have not signed up")])
        require_state(
            hackathon,
            [HackathonState.OPEN],
            source,
            "withdrawing is possible while sign-up is open",
        )
        audit(
            session,
            actor,
            hackathon,
            "hackathon.withdrawn",
            entity=("hackathon_participant", participant.key),
            before={"hackathon": hackathon.key},
        )
        session.delete(participant)


def revoke_share(engine: Engine, actor: Actor, hackathon_key: str) -> None:
    """The participant stops sharing their profile with the organisers (at once)."""
    with transaction(engine) as session:
        hackathon = find_hackathon(session, actor, hackathon_key)
        participant = _own_sign_up(session, actor, hackathon)
        if participant is None or not grant_active(participant, hackathon):
            raise InvalidInput(
                [Problem(f"sign-up to {hackathon_key}", None, "share", None, "is not active")]
            )
        participant.share_revoked_at = now()
        audit(
            session,
            actor,
            hackathon,
            "hackathon.share_revoked",
            entity=("hackathon_participant", participant.key),
            before={"shared_parts": participant.shared_parts},
        )


def participants(
    engine: Engine, actor: Actor, hackathon_key: str, *, limit: int = 100, offset: int = 0
) -> tuple[list[ParticipantView], int]:
    """The organisers' list: name, preferences, team, and shared parts while the grant stands."""
    with reading(engine) as session:
        hackathon = find_hackathon(session, actor, hackathon_key)
        require_organiser(actor, hackathon)
        titles = dict(
            session.execute(
                select(HackathonChallenge.key, HackathonChallenge.title).where(
                    HackathonChallenge.hackathon_id == hackathon.id
                )
            ).all()
        )
        total = session.scalar(
            select(func.count(HackathonParticipant.id)).where(
                HackathonParticipant.hackathon_id == hackathon.id
            )
        )
        rows = session.execute(
            select(HackathonParticipant, Person.display_name, HackathonTeam.number)
            .join(Person, Person.id == HackathonParticipant.person_id)
            .outerjoin(HackathonTeam, HackathonTeam.id == HackathonParticipant.team_id)
            .where(HackathonParticipant.hackathon_id == hackathon.id)
            .order_by(Person.display_name, HackathonParticipant.id)
            .limit(limit)
            .offset(offset)
        ).all()
        views = []
        for participant, name, team in rows:
            shared = [p for p in participant.shared_parts.split(",") if p]
            active = grant_active(participant, hackathon)
            views.append(
                ParticipantView(
                    key=participant.key,
                    name=str(name),
                    preferences=[
                        str(titles.get(k, k)) for k in participant.preferences.split(",") if k
                    ],
                    team=team,
                    shared_parts=shared,
                    grant_active=active,
                    profile=shared_profile(
                        session, participant.person_id, shared if active else ()
                    ),
                )
            )
        return views, int(total or 0)
