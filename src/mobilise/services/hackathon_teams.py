"""Teams for a hackathon, formed by the engine (core/teams) and adjusted by the organisers.

The engine mixes organisations, balances skills and keeps people who chose the same challenge
first together, and never leaves one member of a protected group alone in a team when that can be
avoided. Protected groups reach it only as opaque codes, read here from consented diversity data
inside the run: `p1` an ethnic minority background, `p2` disabled. Nothing about them is stored
or shown per person; the teams page says only, for the whole event, whether anyone is left alone.
Skills count only where the participant shares them with the organisers (their grant).

While sign-up is open the organisers may form the teams again (another seed), move people and
change a team's challenge; publishing the teams (hackathon_transitions.py) fixes them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from mobilise.core.hackathons import (
    HackathonState,
    TeamFacts,
    TeamMember,
    describe_team,
    hackathon_team_problem,
)
from mobilise.core.hackathons.mix import team_challenge
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.teams.score import assess, unavoidable_isolation
from mobilise.core.teams.search import form_teams
from mobilise.services.actors import Actor, command_line_actor
from mobilise.services.cohort_selection import MAJORITY_GROUP
from mobilise.services.hackathons import (
    audit,
    find_hackathon,
    grant_active,
    organises,
    require_organiser,
    require_state,
)
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    AuditEvent,
    Hackathon,
    HackathonChallenge,
    HackathonParticipant,
    HackathonTeam,
    Organisation,
    Person,
    SensitiveAttributes,
    SkillClaim,
    SkillRecord,
)

PROTECTED_CODES = ("p1", "p2")
# Swap-search rounds: a number fixed by the event's size (no clock), so the same sign-ups and
# seed give the same teams. Each round costs time in proportion to the people, and the worst
# team is found within the first few rounds at every size measured (bench/hackathon_teams.py),
# so big events get fewer rounds and a page's request stays within seconds.
ROUND_BUDGET = 6000
MIN_ROUNDS, MAX_ROUNDS = 20, 150


def search_rounds(people: int) -> int:
    return max(MIN_ROUNDS, min(MAX_ROUNDS, ROUND_BUDGET // max(1, people)))


@dataclass(frozen=True)
class TeamView:
    key: str
    number: int
    name: str
    challenge_key: str | None
    challenge_title: str | None
    members: list[str]  # names, for organisers and the team's own members; else empty
    size: int
    facts: TeamFacts
    is_mine: bool
    rank: int | None
    score: float | None


@dataclass(frozen=True)
class TeamsOverview:
    teams: list[TeamView]
    unplaced: int  # participants in no team (signed up after the teams were formed)
    seed: int | None
    # For organisers, from the engine's last run (its audit event), never recomputed: whether it
    # had to leave anyone alone in a protected group, and how many moves they made since. A
    # live check after each move would tell them who is in a group (by difference).
    engine_isolated: bool | None
    moves_since: int


def _groups(attributes: SensitiveAttributes | None) -> frozenset[str]:
    """Opaque codes of the protected groups a consenting person belongs to (never a label)."""
    if attributes is None or not attributes.consent:
        return frozenset()
    codes = set()
    if attributes.ethnic_group and attributes.ethnic_group != MAJORITY_GROUP:
        codes.add("p1")
    if attributes.disability == "Disabled":
        codes.add("p2")
    return frozenset(codes)


def _members(
    session: Session, hackathon: Hackathon, *, with_groups: bool
) -> list[tuple[HackathonParticipant, TeamMember]]:
    rows = session.execute(
        select(HackathonParticipant, Organisation.key)
        .join(Person, Person.id == HackathonParticipant.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(HackathonParticipant.hackathon_id == hackathon.id)
        .order_by(HackathonParticipant.id)
    ).all()
    sharing = [
        p.person_id
        for p, _ in rows
        if grant_active(p, hackathon) and "skills" in p.shared_parts.split(",")
    ]
    skills: dict[int, set[str]] = defaultdict(set)
    for person_id, skill in session.execute(
        select(SkillClaim.person_id, SkillRecord.key)
        .join(SkillRecord, SkillRecord.id == SkillClaim.skill_id)
        .where(SkillClaim.person_id.in_(sharing), SkillClaim.status == "active")
    ).all():
        skills[person_id].add(str(skill))
    groups: dict[int, frozenset[str]] = {}
    if with_groups:
        for attributes in session.scalars(
            select(SensitiveAttributes).where(
                SensitiveAttributes.person_id.in_([p.person_id for p, _ in rows])
            )
        ):
            groups[attributes.person_id] = _groups(attributes)
    return [
        (
            p,
            TeamMember(
                key=p.key,
                organisation=org,
                skills=frozenset(skills.get(p.person_id, ())),
                first_choice=next((k for k in p.preferences.split(",") if k), None),
                groups=groups.get(p.person_id, frozenset()),
            ),
        )
        for p, org in rows
    ]


def _draft_teams_of(session: Session, who: Actor, hackathon_key: str) -> Hackathon:
    """The hackathon whose draft teams its organiser may change: sign-up still open."""
    hackathon = find_hackathon(session, who, hackathon_key)
    require_organiser(who, hackathon)
    require_state(
        hackathon,
        [HackathonState.OPEN],
        f"teams of {hackathon_key}",
        "teams change only while sign-up is open",
    )
    return hackathon


def form_hackathon_teams(
    engine: Engine, actor: Actor | None, hackathon_key: str, *, seed: int = 0
) -> int:
    """Form (or form again) the draft teams of everyone signed up; returns how many teams."""
    who = actor or command_line_actor()
    source = f"teams of {hackathon_key}"
    with transaction(engine) as session:
        hackathon = _draft_teams_of(session, who, hackathon_key)
        found = _members(session, hackathon, with_groups=True)
        if len(found) < 2:
            raise InvalidInput(
                [Problem(source, None, "participants", str(len(found)), "need 2 or more")]
            )
        members = [m for _, m in found]
        problem = hackathon_team_problem(
            members, size=hackathon.team_size, protected_codes=PROTECTED_CODES
        )
        outcome = form_teams(problem, seed=seed, rounds=search_rounds(len(members)), seconds=None)
        order = list(
            session.scalars(
                select(HackathonChallenge.key)
                .where(HackathonChallenge.hackathon_id == hackathon.id)
                .order_by(HackathonChallenge.position, HackathonChallenge.id)
            )
        )
        challenge_ids = dict(
            session.execute(
                select(HackathonChallenge.key, HackathonChallenge.id).where(
                    HackathonChallenge.hackathon_id == hackathon.id
                )
            ).all()
        )
        session.execute(
            update(HackathonParticipant)
            .where(HackathonParticipant.hackathon_id == hackathon.id)
            .values(team_id=None)
        )
        session.execute(delete(HackathonTeam).where(HackathonTeam.hackathon_id == hackathon.id))
        session.flush()
        teams = []
        for t in range(problem.teams):
            chosen = [members[i] for i in np.flatnonzero(outcome.team_of == t)]
            challenge = team_challenge(chosen, order)
            team = HackathonTeam(
                key=f"{hackathon.key}-t{t + 1}",
                hackathon_id=hackathon.id,
                number=t + 1,
                name=f"Team {t + 1}",
                challenge_id=challenge_ids.get(challenge) if challenge else None,
            )
            session.add(team)
            teams.append(team)
        session.flush()
        for (participant, _), t in zip(found, outcome.team_of, strict=True):
            participant.team_id = teams[int(t)].id
        hackathon.teams_seed = seed
        quality = assess(problem, outcome.team_of)
        audit(
            session,
            actor,
            hackathon,
            "hackathon.teams_formed",
            # Aggregates only: the audit log never says who is in a protected group.
            after={
                "teams": problem.teams,
                "people": problem.people,
                "seed": seed,
                "rounds": outcome.rounds,
                "worst_team_score": round(quality.worst, 6),
                "mean_team_score": round(quality.mean, 6),
                # Only people the engine could have kept with another member of their group:
                # a group of one in the whole event is alone anyway, and saying so would say
                # that such a group exists.
                "avoidably_isolated": quality.isolated > unavoidable_isolation(problem),
            },
        )
        return problem.teams


def _team(session: Session, hackathon: Hackathon, number: int, source: str) -> HackathonTeam:
    team = session.scalar(
        select(HackathonTeam).where(
            HackathonTeam.hackathon_id == hackathon.id, HackathonTeam.number == number
        )
    )
    if team is None:
        raise InvalidInput([Problem(source, None, "team", str(number), "names no team")])
    return team


def move_participant(
    engine: Engine, actor: Actor | None, hackathon_key: str, participant_key: str, team: int
) -> None:
    """Put a participant in another (draft) team."""
    who = actor or command_line_actor()
    source = f"teams of {hackathon_key}"
    with transaction(engine) as session:
        hackathon = _draft_teams_of(session, who, hackathon_key)
        participant = session.scalar(
            select(HackathonParticipant).where(
                HackathonParticipant.hackathon_id == hackathon.id,
                HackathonParticipant.key == participant_key,
            )
        )
        if participant is None:
            raise InvalidInput(
                [Problem(source, None, "participant", participant_key, "has not signed up")]
            )
        target = _team(session, hackathon, team, source)
        before = participant.team_id
        participant.team_id = target.id
        audit(
            session,
            actor,
            hackathon,
            "hackathon.participant_moved",
            before={"participant": participant.key, "team_id": before},
            after={"participant": participant.key, "team": target.number},
        )


def set_team_challenge(
    engine: Engine, actor: Actor | None, hackathon_key: str, team: int, challenge_key: str
) -> None:
    who = actor or command_line_actor()
    source = f"teams of {hackathon_key}"
    with transaction(engine) as session:
        hackathon = _draft_teams_of(session, who, hackathon_key)
        target = _team(session, hackathon, team, source)
        challenge = session.scalar(
            select(HackathonChallenge).where(
                HackathonChallenge.hackathon_id == hackathon.id,
                HackathonChallenge.key == challenge_key,
            )
        )
        if challenge is None:
            raise InvalidInput(
                [Problem(source, None, "challenge", challenge_key, "is not a challenge here")]
            )
        audit(
            session,
            actor,
            hackathon,
            "hackathon.team_challenge_set",
            before={"team": target.number, "challenge_id": target.challenge_id},
            after={"team": target.number, "challenge": challenge.key},
        )
        target.challenge_id = challenge.id


def teams_ready_problems(session: Session, hackathon: Hackathon) -> list[Problem]:
    """What stops the teams being published: none formed, someone in no team, an empty team."""
    source = f"teams of {hackathon.key}"
    teams = session.scalars(
        select(HackathonTeam).where(HackathonTeam.hackathon_id == hackathon.id)
    ).all()
    if not teams:
        return [Problem(source, None, "teams", None, "are not formed yet: form them first")]
    problems = []
    unplaced = session.scalars(
        select(HackathonParticipant.key).where(
            HackathonParticipant.hackathon_id == hackathon.id,
            HackathonParticipant.team_id.is_(None),
        )
    ).all()
    if unplaced:
        problems.append(
            Problem(
                source,
                None,
                "participants",
                str(len(unplaced)),
                "signed up after the teams were formed: form them again or move them into a team",
            )
        )
    used = set(
        session.scalars(
            select(HackathonParticipant.team_id).where(
                HackathonParticipant.hackathon_id == hackathon.id
            )
        )
    )
    for team in teams:
        if team.id not in used:
            problems.append(Problem(source, None, "team", str(team.number), "has no members"))
    return problems


def _since_formed(session: Session, hackathon: Hackathon) -> tuple[bool | None, int]:
    """What the engine's last run recorded (anyone left alone?) and the moves made since."""
    events = session.execute(
        select(AuditEvent.id, AuditEvent.action, AuditEvent.after)
        .where(
            AuditEvent.entity_type == "hackathon",
            AuditEvent.entity_key == hackathon.key,
            AuditEvent.action.in_(("hackathon.teams_formed", "hackathon.participant_moved")),
        )
        .order_by(AuditEvent.id.desc())
    ).all()
    moves = 0
    for _, action, after in events:
        if action == "hackathon.teams_formed":
            return bool((after or {}).get("avoidably_isolated")), moves
        moves += 1
    return None, moves


def teams_overview(engine: Engine, actor: Actor, hackathon_key: str) -> TeamsOverview:
    """Teams with their make-up in aggregate. Organisers see draft teams and every member; once
    the teams are published everyone who sees the event sees the teams, and members their own
    team's names."""
    with reading(engine) as session:
        hackathon = find_hackathon(session, actor, hackathon_key)
        runs = organises(actor, hackathon)
        published = hackathon.state not in (HackathonState.DRAFT.value, HackathonState.OPEN.value)
        if not runs and not published:
            return TeamsOverview([], 0, None, None, 0)
        found = _members(session, hackathon, with_groups=False)
        names = dict(
            session.execute(
                select(HackathonParticipant.id, Person.display_name)
                .join(Person, Person.id == HackathonParticipant.person_id)
                .where(HackathonParticipant.hackathon_id == hackathon.id)
            ).all()
        )
        by_team: dict[int | None, list[tuple[HackathonParticipant, TeamMember]]] = defaultdict(list)
        for participant, member in found:
            by_team[participant.team_id].append((participant, member))
        rows = session.execute(
            select(HackathonTeam, HackathonChallenge.key, HackathonChallenge.title)
            .outerjoin(HackathonChallenge, HackathonChallenge.id == HackathonTeam.challenge_id)
            .where(HackathonTeam.hackathon_id == hackathon.id)
            .order_by(HackathonTeam.number)
        ).all()
        teams = []
        for team, challenge_key, challenge_title in rows:
            inside = by_team.get(team.id, [])
            mine = any(p.person_id == actor.person_id for p, _ in inside)
            teams.append(
                TeamView(
                    key=team.key,
                    number=team.number,
                    name=team.name,
                    challenge_key=challenge_key,
                    challenge_title=challenge_title,
                    members=sorted(str(names[p.id]) for p, _ in inside) if runs or mine else [],
                    size=len(inside),
                    facts=describe_team([m for _, m in inside], challenge_key),
                    is_mine=mine,
                    rank=team.rank,
                    score=team.score,
                )
            )
        engine_isolated, moves = _since_formed(session, hackathon) if runs else (None, 0)
        return TeamsOverview(
            teams=teams,
            unplaced=len(by_team.get(None, [])),
            seed=hackathon.teams_seed,
            engine_isolated=engine_isolated,
            moves_since=moves,
        )
