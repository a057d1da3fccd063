"""Hackathons: set one up, write its challenges (or take them from AI register entries), name
its judges, list and show them.

Who runs what: a hackathon belongs to an organisation; that organisation's programme admins (and
operators) organise it. Everyone signed in sees hackathons once sign-up opens (a draft only its
organisers); anyone may sign up, with or without an organisation (DESIGN.md). Sign-up is in
services/hackathon_signups.py, teams in hackathon_teams.py, submissions and judging in
hackathon_judging.py, moving through the states in hackathon_transitions.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from mobilise.core.hackathons import (
    HackathonAction,
    HackathonState,
    allowed_hackathon_actions,
)
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.programmes import rubric_document, rubric_from_document
from mobilise.services.actors import Actor, Role, command_line_actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.opportunities import owns_organisation
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    AIProject,
    Hackathon,
    HackathonChallenge,
    HackathonJudge,
    HackathonParticipant,
    HackathonTeam,
    Organisation,
    Person,
)

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
TITLE_LENGTH = 300
SUMMARY_LENGTH = 5000
MAX_TEAM_SIZE = 12
MAX_CAPACITY = 10_000
# The rubric a hackathon starts with unless its organisers give their own.
DEFAULT_HACKATHON_RUBRIC: tuple[Mapping[str, Any], ...] = (
    {"key": "impact", "name": "Impact on the challenge", "max_points": 10, "weight": 2},
    {"key": "feasibility", "name": "Could be built and run", "max_points": 10, "weight": 1},
    {"key": "responsible", "name": "Responsible and ethical use of AI", "max_points": 10},
    {"key": "presentation", "name": "Clear presentation", "max_points": 5, "weight": 1},
)


class HackathonNotFound(UnknownKey):
    def __init__(self, key: str) -> None:
        super().__init__("hackathon", key)


@dataclass(frozen=True)
class HackathonSpec:
    key: str
    title: str
    organisation: str  # key of the organisation that runs it
    starts_on: date
    ends_on: date
    capacity: int
    team_size: int
    summary: str = ""
    place: str = ""  # empty: online only
    online: bool = False
    rubric: Sequence[Mapping[str, Any]] = DEFAULT_HACKATHON_RUBRIC


@dataclass(frozen=True)
class ChallengeView:
    key: str
    title: str
    summary: str
    project_key: str | None  # the AI register entry it came from
    project_title: str | None


@dataclass(frozen=True)
class HackathonSummary:
    key: str
    title: str
    organisation_key: str
    organisation_name: str
    state: HackathonState
    starts_on: date
    ends_on: date
    place: str
    online: bool
    capacity: int
    team_size: int
    participants: int


@dataclass(frozen=True)
class HackathonView:
    summary: HackathonSummary
    description: str
    challenges: list[ChallengeView]
    rubric: list[dict[str, Any]]
    judges: list[tuple[str, str]]  # (person key, name), organisers only
    organises: bool
    judging: bool  # the actor is one of its judges
    my_sign_up: str | None  # the actor's participant key
    my_sharing: list[str]  # parts the actor shares with the organisers now
    my_team: str | None  # the actor's team key, once teams are published
    actions: list[HackathonAction] = field(default_factory=list)  # organisers' next steps


def now() -> datetime:
    return datetime.now(UTC)


def organises(actor: Actor, hackathon: Hackathon) -> bool:
    """Operators and the programme admins of the organisation that runs it."""
    return owns_organisation(actor, hackathon.organisation_id)


def require_organiser(actor: Actor, hackathon: Hackathon) -> None:
    if not organises(actor, hackathon):
        raise NotPermitted(f"only the organisers of {hackathon.key} may do this")


def require_state(
    hackathon: Hackathon, allowed: Collection[HackathonState], source: str, doing: str
) -> None:
    """InvalidInput naming the hackathon's state unless it is one of `allowed`."""
    if hackathon.state not in {state.value for state in allowed}:
        raise InvalidInput(
            [Problem(source, None, "hackathon", hackathon.key, f"is {hackathon.state}: {doing}")]
        )


def find_hackathon(session: Session, actor: Actor, key: str) -> Hackathon:
    """The hackathon as the actor may see it: a draft is HackathonNotFound to all but its
    organisers (the same answer as for a key no one has)."""
    hackathon = session.scalar(select(Hackathon).where(Hackathon.key == key))
    if hackathon is None or (
        hackathon.state == HackathonState.DRAFT.value and not organises(actor, hackathon)
    ):
        raise HackathonNotFound(key)
    return hackathon


def grant_active(participant: HackathonParticipant, hackathon: Hackathon) -> bool:
    """A share grant lasts while the hackathon runs, until the participant revokes it."""
    return (
        participant.share_revoked_at is None
        and bool(participant.shared_parts)
        and hackathon.state != HackathonState.RESULTS_PUBLISHED.value
    )


def is_judge(session: Session, actor: Actor, hackathon: Hackathon) -> bool:
    if actor.person_id is None:
        return False
    return session.get(HackathonJudge, (hackathon.id, actor.person_id)) is not None


def _check_spec(spec: HackathonSpec, source: str) -> list[Problem]:
    problems: list[Problem] = []
    if not KEY_PATTERN.match(spec.key):
        problems.append(
            Problem(source, None, "key", spec.key, "must be 1-100 letters, digits, - or _")
        )
    if not spec.title.strip() or len(spec.title) > TITLE_LENGTH:
        problems.append(
            Problem(source, None, "title", spec.title[:40], f"is needed (≤ {TITLE_LENGTH})")
        )
    if len(spec.summary) > SUMMARY_LENGTH:
        problems.append(
            Problem(source, None, "summary", None, f"must be at most {SUMMARY_LENGTH:,} characters")
        )
    if spec.ends_on < spec.starts_on:
        problems.append(
            Problem(
                source, None, "ends_on", spec.ends_on.isoformat(), "must not be before it starts"
            )
        )
    if not 1 <= spec.capacity <= MAX_CAPACITY:
        problems.append(
            Problem(source, None, "capacity", str(spec.capacity), f"must be 1 to {MAX_CAPACITY:,}")
        )
    if not 2 <= spec.team_size <= MAX_TEAM_SIZE:
        problems.append(
            Problem(source, None, "team_size", str(spec.team_size), f"must be 2 to {MAX_TEAM_SIZE}")
        )
    if not spec.place.strip() and not spec.online:
        problems.append(
            Problem(source, None, "place", None, "is needed unless the hackathon is online")
        )
    if len(spec.place) > TITLE_LENGTH:
        problems.append(Problem(source, None, "place", spec.place[:40], "is too long"))
    return problems


def create_hackathon(engine: Engine, actor: Actor | None, spec: HackathonSpec) -> str:
    """Set up a hackathon as a draft; returns its key. Its organisation's programme admins may."""
    who = actor or command_line_actor()
    source = f"hackathon {spec.key}"
    problems = _check_spec(spec, source)
    try:
        rubric = rubric_from_document(list(spec.rubric), source)
    except InvalidInput as bad:
        problems.extend(bad.problems)
        rubric = None
    with transaction(engine) as session:
        organisation = session.scalar(
            select(Organisation).where(Organisation.key == spec.organisation)
        )
        if organisation is None:
            problems.append(
                Problem(source, None, "organisation", spec.organisation, "names no organisation")
            )
        elif not owns_organisation(who, organisation.id):
            raise NotPermitted(
                f"only programme admins of {spec.organisation} may set up its hackathons"
            )
        if session.scalar(select(Hackathon.id).where(Hackathon.key == spec.key)):
            problems.append(Problem(source, None, "key", spec.key, "is taken"))
        if problems or organisation is None or rubric is None:
            raise InvalidInput(problems)
        hackathon = Hackathon(
            key=spec.key,
            organisation_id=organisation.id,
            title=spec.title.strip(),
            summary=spec.summary.strip(),
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            place=spec.place.strip(),
            online=spec.online,
            capacity=spec.capacity,
            team_size=spec.team_size,
            state=HackathonState.DRAFT.value,
            rubric=json.dumps(rubric_document(rubric)),
            created_at=now(),
        )
        session.add(hackathon)
        session.flush()
        record_event(
            session,
            actor,
            "hackathon.created",
            entity_type="hackathon",
            entity_key=hackathon.key,
            organisation_id=organisation.id,
            after={"title": hackathon.title, "state": hackathon.state},
        )
        return hackathon.key


def _challenge_key(session: Session, hackathon: Hackathon) -> str:
    count = session.scalar(
        select(func.count(HackathonChallenge.id)).where(
            HackathonChallenge.hackathon_id == hackathon.id
        )
    )
    return f"{hackathon.key}-c{int(count or 0) + 1}"


def add_challenge(
    engine: Engine,
    actor: Actor | None,
    hackathon_key: str,
    *,
    title: str = "",
    summary: str = "",
    register_entry: str | None = None,
) -> str:
    """Add a challenge, written for the event or made from a published AI register entry (its
    title and summary unless given; the link is kept). Only before teams are formed."""
    who = actor or command_line_actor()
    source = f"challenge of {hackathon_key}"
    with transaction(engine) as session:
        hackathon = find_hackathon(session, who, hackathon_key)
        require_organiser(who, hackathon)
        problems: list[Problem] = []
        if hackathon.state not in (HackathonState.DRAFT.value, HackathonState.OPEN.value):
            problems.append(
                Problem(source, None, "hackathon", hackathon.key, "has formed its teams already")
            )
        project = None
        if register_entry:
            project = session.scalar(
                select(AIProject).where(
                    AIProject.key == register_entry, AIProject.status == "published"
                )
            )
            if project is None:
                problems.append(
                    Problem(
                        source, None, "register_entry", register_entry, "names no published entry"
                    )
                )
            elif session.scalar(
                select(HackathonChallenge.id).where(
                    HackathonChallenge.hackathon_id == hackathon.id,
                    HackathonChallenge.project_id == project.id,
                )
            ):
                problems.append(
                    Problem(
                        source, None, "register_entry", register_entry, "is a challenge already"
                    )
                )
        text = (title or (project.title if project else "")).strip()
        about = (summary or (project.summary if project else "")).strip()
        if not text:
            problems.append(Problem(source, None, "title", None, "is needed"))
        elif len(text) > 500:
            problems.append(Problem(source, None, "title", text[:40], "must be at most 500"))
        if len(about) > SUMMARY_LENGTH:
            problems.append(Problem(source, None, "summary", None, "is too long"))
        if problems:
            raise InvalidInput(problems)
        position = session.scalar(
            select(func.count(HackathonChallenge.id)).where(
                HackathonChallenge.hackathon_id == hackathon.id
            )
        )
        challenge = HackathonChallenge(
            key=_challenge_key(session, hackathon),
            hackathon_id=hackathon.id,
            title=text,
            summary=about,
            project_id=project.id if project else None,
            position=int(position or 0),
        )
        session.add(challenge)
        session.flush()
        audit(
            session,
            actor,
            hackathon,
            "hackathon.challenge_added",
            after={"challenge": challenge.key, "register_entry": register_entry},
        )
        return challenge.key


def add_judge(engine: Engine, actor: Actor | None, hackathon_key: str, person_key: str) -> None:
    """Name a person (of any organisation) as a judge; adding one twice changes nothing."""
    who = actor or command_line_actor()
    with transaction(engine) as session:
        hackathon = find_hackathon(session, who, hackathon_key)
        require_organiser(who, hackathon)
        person = session.scalar(select(Person).where(Person.key == person_key))
        if person is None:
            raise InvalidInput(
                [Problem(f"hackathon {hackathon_key}", None, "person", person_key, "names no one")]
            )
        still_judging = [s for s in HackathonState if s is not HackathonState.RESULTS_PUBLISHED]
        require_state(hackathon, still_judging, f"hackathon {hackathon_key}", "it is over")
        if session.get(HackathonJudge, (hackathon.id, person.id)) is not None:
            return
        session.add(HackathonJudge(hackathon_id=hackathon.id, person_id=person.id))
        audit(
            session,
            actor,
            hackathon,
            "hackathon.judge_added",
            after={"person": person.key},
        )


def audit(
    session: Session,
    actor: Actor | None,
    hackathon: Hackathon,
    action: str,
    *,
    entity: tuple[str, str] | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Record a change to the hackathon (or to `entity`, one of its parts) in the audit log,
    in the transaction that makes it, under the organising organisation."""
    kind, key = entity or ("hackathon", hackathon.key)
    record_event(
        session,
        actor,
        action,
        entity_type=kind,
        entity_key=key,
        organisation_id=hackathon.organisation_id,
        before=before,
        after=after,
    )


def challenges_of(session: Session, hackathon: Hackathon) -> list[ChallengeView]:
    rows = session.execute(
        select(HackathonChallenge, AIProject.key, AIProject.title)
        .outerjoin(AIProject, AIProject.id == HackathonChallenge.project_id)
        .where(HackathonChallenge.hackathon_id == hackathon.id)
        .order_by(HackathonChallenge.position, HackathonChallenge.id)
    ).all()
    return [ChallengeView(c.key, c.title, c.summary, pk, pt) for c, pk, pt in rows]


def _summaries(session: Session, hackathons: Sequence[Hackathon]) -> list[HackathonSummary]:
    ids = [h.id for h in hackathons]
    counts = dict(
        session.execute(
            select(HackathonParticipant.hackathon_id, func.count(HackathonParticipant.id))
            .where(HackathonParticipant.hackathon_id.in_(ids))
            .group_by(HackathonParticipant.hackathon_id)
        ).all()
    )
    names = {
        org_id: (str(key), str(name))
        for org_id, key, name in session.execute(
            select(Organisation.id, Organisation.key, Organisation.name).where(
                Organisation.id.in_({h.organisation_id for h in hackathons})
            )
        ).all()
    }
    return [
        HackathonSummary(
            key=h.key,
            title=h.title,
            organisation_key=names[h.organisation_id][0],
            organisation_name=names[h.organisation_id][1],
            state=HackathonState(h.state),
            starts_on=h.starts_on,
            ends_on=h.ends_on,
            place=h.place,
            online=h.online,
            capacity=h.capacity,
            team_size=h.team_size,
            participants=int(counts.get(h.id, 0)),
        )
        for h in hackathons
    ]


def summary_of(session: Session, hackathon: Hackathon) -> HackathonSummary:
    return _summaries(session, [hackathon])[0]


def list_hackathons(engine: Engine, actor: Actor) -> list[HackathonSummary]:
    """Hackathons the actor may see, soonest first (drafts only to their organisers)."""
    condition = Hackathon.state != HackathonState.DRAFT.value
    if actor.is_operator:
        condition = Hackathon.id.is_not(None)
    else:
        condition = condition | Hackathon.organisation_id.in_(
            actor.organisations_where(Role.PROGRAMME_ADMIN)
        )
    with reading(engine) as session:
        found = session.scalars(
            select(Hackathon).where(condition).order_by(Hackathon.starts_on, Hackathon.key)
        ).all()
        return _summaries(session, found)


def get_hackathon(engine: Engine, actor: Actor, key: str) -> HackathonView:
    with reading(engine) as session:
        hackathon = find_hackathon(session, actor, key)
        runs = organises(actor, hackathon)
        judges = (
            [
                (str(k), str(n))
                for k, n in session.execute(
                    select(Person.key, Person.display_name)
                    .join(HackathonJudge, HackathonJudge.person_id == Person.id)
                    .where(HackathonJudge.hackathon_id == hackathon.id)
                    .order_by(Person.display_name)
                ).all()
            ]
            if runs
            else []
        )
        mine = (
            session.scalar(
                select(HackathonParticipant).where(
                    HackathonParticipant.hackathon_id == hackathon.id,
                    HackathonParticipant.person_id == actor.person_id,
                )
            )
            if actor.person_id is not None
            else None
        )
        published = hackathon.state not in (HackathonState.DRAFT.value, HackathonState.OPEN.value)
        team = (
            session.scalar(select(HackathonTeam.key).where(HackathonTeam.id == mine.team_id))
            if mine is not None and mine.team_id is not None and published
            else None
        )
        return HackathonView(
            summary=summary_of(session, hackathon),
            description=hackathon.summary,
            challenges=challenges_of(session, hackathon),
            rubric=json.loads(hackathon.rubric),
            judges=judges,
            organises=runs,
            judging=is_judge(session, actor, hackathon),
            my_sign_up=mine.key if mine is not None else None,
            my_sharing=[p for p in mine.shared_parts.split(",") if p]
            if mine is not None and grant_active(mine, hackathon)
            else [],
            my_team=team,
            actions=allowed_hackathon_actions(HackathonState(hackathon.state)) if runs else [],
        )


def hackathon_challenges_from(engine: Engine, project_key: str) -> list[tuple[str, str, str, bool]]:
    """(hackathon key, hackathon title, challenge title, results published) of the challenges
    made from a register entry, for its public record page: hackathons past their draft only."""
    with reading(engine) as session:
        rows = session.execute(
            select(Hackathon.key, Hackathon.title, HackathonChallenge.title, Hackathon.state)
            .join(HackathonChallenge, HackathonChallenge.hackathon_id == Hackathon.id)
            .join(AIProject, AIProject.id == HackathonChallenge.project_id)
            .where(AIProject.key == project_key, Hackathon.state != HackathonState.DRAFT.value)
            .order_by(Hackathon.starts_on.desc(), Hackathon.key)
        ).all()
        published = HackathonState.RESULTS_PUBLISHED.value
        return [(str(a), str(b), str(c), d == published) for a, b, c, d in rows]
