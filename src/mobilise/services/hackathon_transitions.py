"""Moving a hackathon through its states (core/hackathons/states.py), with what each step needs
and does, in one transaction: the change, its audit event, its messages and credentials.

- open_sign_up needs a challenge.
- publish_teams needs the draft teams to hold everyone signed up; each participant is told their
  team.
- start_judging needs a submission and a judge.
- publish_results ranks the teams (judges' z-scores), stores each team's rank, tells each
  participant, and issues Open Badges credentials through services/credentials.py: one for
  taking part (to members of teams that submitted) and one for the winning team (rank 1, ties
  included), signed by the organising organisation.
"""

from __future__ import annotations

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import Session

from mobilise.core.hackathons import HackathonAction, HackathonState, next_hackathon_state
from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor, command_line_actor
from mobilise.services.credentials import AchievementSpec, issue_in_session
from mobilise.services.hackathon_judging import ranked_results
from mobilise.services.hackathon_teams import teams_ready_problems
from mobilise.services.hackathons import audit, find_hackathon, require_organiser
from mobilise.services.outbox import notify
from mobilise.store.database import transaction
from mobilise.store.models import (
    Hackathon,
    HackathonChallenge,
    HackathonJudge,
    HackathonParticipant,
    HackathonSubmission,
    HackathonTeam,
    Organisation,
    Person,
)

A = HackathonAction


def _count(session: Session, statement: Select[int]) -> int:
    return int(session.scalar(statement) or 0)


def _needs(session: Session, hackathon: Hackathon, action: HackathonAction) -> list[Problem]:
    source = f"hackathon {hackathon.key}"
    if action is A.OPEN_SIGN_UP and not _count(
        session,
        select(func.count(HackathonChallenge.id)).where(
            HackathonChallenge.hackathon_id == hackathon.id
        ),
    ):
        return [Problem(source, None, "challenges", "0", "need one or more before sign-up")]
    if action is A.PUBLISH_TEAMS:
        return teams_ready_problems(session, hackathon)
    if action is A.START_JUDGING:
        problems = []
        if not _count(
            session,
            select(func.count(HackathonSubmission.team_id))
            .join(HackathonTeam, HackathonTeam.id == HackathonSubmission.team_id)
            .where(HackathonTeam.hackathon_id == hackathon.id),
        ):
            problems.append(Problem(source, None, "submissions", "0", "need one or more"))
        if not _count(
            session,
            select(func.count(HackathonJudge.person_id)).where(
                HackathonJudge.hackathon_id == hackathon.id
            ),
        ):
            problems.append(Problem(source, None, "judges", "0", "need one or more"))
        return problems
    return []


def _members(session: Session, hackathon: Hackathon) -> list[tuple[Person, HackathonTeam]]:
    return [
        (person, team)
        for person, team in session.execute(
            select(Person, HackathonTeam)
            .join(HackathonParticipant, HackathonParticipant.person_id == Person.id)
            .join(HackathonTeam, HackathonTeam.id == HackathonParticipant.team_id)
            .where(HackathonParticipant.hackathon_id == hackathon.id)
            .order_by(HackathonTeam.number, Person.id)
        ).all()
    ]


def _announce_teams(session: Session, hackathon: Hackathon) -> None:
    for person, team in _members(session, hackathon):
        notify(
            session,
            person,
            "hackathon.teams_published",
            f"Your team for {hackathon.title}: {team.name}",
            f"The teams for {hackathon.title} are published. You are in {team.name}; "
            "see your team and its challenge on its page.",
            f"/hackathon-teams/{team.key}",
        )


def _publish_results(session: Session, actor: Actor | None, hackathon: Hackathon) -> list[str]:
    """Store ranks, tell everyone, issue credentials; returns the team keys best first."""
    ranked = ranked_results(session, hackathon)
    if not any(r.rank is not None for r in ranked):
        raise InvalidInput(
            [Problem(f"hackathon {hackathon.key}", None, "scores", "0", "no judge has scored")]
        )
    teams = {
        t.key: t
        for t in session.scalars(
            select(HackathonTeam).where(HackathonTeam.hackathon_id == hackathon.id)
        )
    }
    for result in ranked:
        teams[result.team].rank = result.rank
        teams[result.team].score = None if result.score is None else round(result.score, 6)
    submitted = set(
        session.scalars(
            select(HackathonSubmission.team_id).where(
                HackathonSubmission.team_id.in_([t.id for t in teams.values()])
            )
        )
    )
    organisation = session.get(Organisation, hackathon.organisation_id)
    assert organisation is not None
    taking_part = AchievementSpec(
        key=f"hackathon:{hackathon.key}:participant",
        name=f"Took part in {hackathon.title}",
        description=f"Worked in a team on a challenge at {hackathon.title} "
        f"({hackathon.starts_on:%-d %B %Y}) and submitted the team's work.",
        criteria="A member of a team that submitted its work to the judges.",
        kind="hackathon",
    )
    winning = AchievementSpec(
        key=f"hackathon:{hackathon.key}:winner",
        name=f"Winning team, {hackathon.title}",
        description=f"A member of the team ranked first by the judges at {hackathon.title}.",
        criteria="Ranked first by the mean of the judges' standardised scores against the "
        "event's rubric.",
        kind="hackathon",
    )
    for person, team in _members(session, hackathon):
        place = f"ranked {team.rank} of {len(teams)}" if team.rank else "not ranked"
        notify(
            session,
            person,
            "hackathon.results_published",
            f"Results of {hackathon.title}",
            f"The results of {hackathon.title} are published: {team.name} was {place}.",
            f"/hackathons/{hackathon.key}/results",
        )
        if team.id in submitted:
            issue_in_session(session, actor, person, organisation, taking_part)
            if team.rank == 1:
                issue_in_session(session, actor, person, organisation, winning)
    return [r.team for r in ranked]


def change_hackathon(
    engine: Engine, actor: Actor | None, hackathon_key: str, action: str
) -> HackathonState:
    """Take an organiser's action; InvalidInput names what the state or the event lacks."""
    who = actor or command_line_actor()
    source = f"hackathon {hackathon_key}"
    try:
        chosen = HackathonAction(action)
    except ValueError:
        allowed = ", ".join(a.value for a in HackathonAction)
        raise InvalidInput(
            [Problem(source, None, "action", action[:40], f"is not one of {allowed}")]
        ) from None
    with transaction(engine) as session:
        hackathon = find_hackathon(session, who, hackathon_key)
        require_organiser(who, hackathon)
        before = HackathonState(hackathon.state)
        after = next_hackathon_state(before, chosen, subject=source)
        problems = _needs(session, hackathon, chosen)
        if problems:
            raise InvalidInput(problems)
        hackathon.state = after.value
        details: dict[str, object] = {"state": after.value}
        if chosen is A.PUBLISH_TEAMS:
            _announce_teams(session, hackathon)
        elif chosen is A.PUBLISH_RESULTS:
            details["ranking"] = _publish_results(session, actor, hackathon)
        audit(
            session,
            actor,
            hackathon,
            f"hackathon.{chosen.value}",
            before={"state": before.value},
            after=details,
        )
        return after
