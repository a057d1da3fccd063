"""A team's page, its submission, the judges' score sheets, ranked results and the public results.

A team's members submit (title, summary, up to five http(s) links) while submissions are open.
Judges score each submission against the hackathon's rubric while judging; the results rank
teams by their mean z-score (core/hackathons/judging.py: each judge's severity and spread taken
out). The public results page shows teams, challenges, ranks and submissions, and the names only
of participants who agreed to show them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from mobilise.core.hackathons import HackathonState, RankedTeam, rank_teams, standardised_scores
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.programmes import SheetTotal, check_sheet, rubric_from_document, sheet_total
from mobilise.core.register.record_rules import link_problem
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted
from mobilise.services.catalogue import UnknownKey
from mobilise.services.hackathons import (
    HackathonNotFound,
    HackathonSummary,
    audit,
    challenges_of,
    is_judge,
    now,
    organises,
    summary_of,
)
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    Hackathon,
    HackathonChallenge,
    HackathonParticipant,
    HackathonScore,
    HackathonSubmission,
    HackathonTeam,
    Person,
)

TITLE_LENGTH = 300
SUMMARY_LENGTH = 5000
LABEL_LENGTH = 200
MAX_LINKS = 5
COMMENT_LENGTH = 2000
S = HackathonState


class TeamNotFound(UnknownKey):
    def __init__(self, key: str) -> None:
        super().__init__("team", key)


@dataclass(frozen=True)
class Submission:
    title: str
    summary: str
    links: list[dict[str, str]]


@dataclass(frozen=True)
class TeamPage:
    key: str
    number: int
    name: str
    hackathon: HackathonSummary
    challenge: str | None
    members: list[str]
    submission: Submission | None
    rubric: list[dict[str, Any]]
    may_submit: bool
    may_score: bool
    own_sheet: dict[str, int] | None
    own_comment: str
    sheets: int  # how many judges scored it (organisers)
    rank: int | None


@dataclass(frozen=True)
class PublicTeam:
    rank: int | None
    name: str
    challenge: str | None
    submission: Submission | None
    names: list[str]  # participants who agreed to show their name
    others: int  # members who did not


@dataclass(frozen=True)
class PublicResults:
    hackathon: HackathonSummary
    teams: list[PublicTeam]
    challenges: list[tuple[str, str | None]]  # (title, register entry key)


def _clean_text(text: str, column: str, limit: int, source: str, needed: bool) -> list[Problem]:
    """Plain text only: no control characters other than line breaks and tabs."""
    problems = []
    if needed and not text.strip():
        problems.append(Problem(source, None, column, None, "is needed"))
    if len(text) > limit:
        problems.append(Problem(source, None, column, text[:40], f"must be at most {limit:,}"))
    if any(ord(c) < 32 and c not in "\n\r\t" for c in text):
        problems.append(Problem(source, None, column, None, "must not contain control characters"))
    return problems


def _load_team(session: Session, key: str) -> tuple[HackathonTeam, Hackathon]:
    row = session.execute(
        select(HackathonTeam, Hackathon)
        .join(Hackathon, Hackathon.id == HackathonTeam.hackathon_id)
        .where(HackathonTeam.key == key)
    ).first()
    if row is None:
        raise TeamNotFound(key)
    return row[0], row[1]


def _is_member(session: Session, actor: Actor, team: HackathonTeam) -> bool:
    return actor.person_id is not None and bool(
        session.scalar(
            select(HackathonParticipant.id).where(
                HackathonParticipant.team_id == team.id,
                HackathonParticipant.person_id == actor.person_id,
            )
        )
    )


def _visible(session: Session, actor: Actor, team: HackathonTeam, hackathon: Hackathon) -> bool:
    """Organisers; the team's members once teams are published; judges from submissions on."""
    if organises(actor, hackathon):
        return True
    state = S(hackathon.state)
    if state in (S.DRAFT, S.OPEN):
        return False
    if _is_member(session, actor, team):
        return True
    return state is not S.TEAMS_FORMED and is_judge(session, actor, hackathon)


def submit(
    engine: Engine,
    actor: Actor,
    team_key: str,
    *,
    title: str,
    summary: str,
    links: list[tuple[str, str]],
) -> None:
    """A member submits (or replaces) their team's work while submissions are open."""
    source = f"submission of {team_key}"
    problems = _clean_text(title, "title", TITLE_LENGTH, source, True)
    problems += _clean_text(summary, "summary", SUMMARY_LENGTH, source, True)
    kept: list[dict[str, str]] = []
    given = [(label.strip(), url.strip()) for label, url in links if label.strip() or url.strip()]
    if len(given) > MAX_LINKS:
        problems.append(Problem(source, None, "links", str(len(given)), f"at most {MAX_LINKS}"))
    for index, (label, url) in enumerate(given[:MAX_LINKS]):
        why = link_problem(url) if url else "is needed for a link"
        if why:
            problems.append(Problem(source, index + 1, "url", url[:80], why))
        problems += _clean_text(label, "label", LABEL_LENGTH, source, False)
        kept.append({"label": label or url, "url": url})
    with transaction(engine) as session:
        team, hackathon = _load_team(session, team_key)
        if not _is_member(session, actor, team):
            if not _visible(session, actor, team, hackathon):
                raise TeamNotFound(team_key)
            raise NotPermitted("only the team's members may submit its work")
        if hackathon.state != S.SUBMISSIONS_OPEN.value:
            problems.append(
                Problem(source, None, "hackathon", hackathon.key, "is not taking submissions")
            )
        if problems:
            raise InvalidInput(problems)
        moment = now()
        existing = session.get(HackathonSubmission, team.id)
        before = None
        if existing is None:
            existing = HackathonSubmission(team_id=team.id, submitted_at=moment)
            session.add(existing)
        else:
            before = {"title": existing.title}
        existing.title = title.strip()
        existing.summary = summary.strip()
        existing.links = json.dumps(kept)
        existing.updated_at = moment
        audit(
            session,
            actor,
            hackathon,
            "hackathon.submitted",
            entity=("hackathon_team", team.key),
            before=before,
            after={
                "title": existing.title,
                "links": len(kept),
            },
        )


def score_team(
    engine: Engine, actor: Actor, team_key: str, points: dict[str, int], comment: str = ""
) -> float:
    """A judge scores a team's submission against the rubric while judging; returns the total.
    Scoring again replaces the judge's sheet."""
    source = f"scores for {team_key}"
    with transaction(engine) as session:
        team, hackathon = _load_team(session, team_key)
        if not _visible(session, actor, team, hackathon):
            raise TeamNotFound(team_key)
        if not is_judge(session, actor, hackathon) or actor.person_id is None:
            raise NotPermitted("only the hackathon's judges may score")
        if _is_member(session, actor, team):
            raise NotPermitted("a judge does not score their own team")
        problems = _clean_text(comment, "comment", COMMENT_LENGTH, source, False)
        if hackathon.state != S.JUDGING.value:
            problems.append(Problem(source, None, "hackathon", hackathon.key, "is not judging"))
        if session.get(HackathonSubmission, team.id) is None:
            problems.append(Problem(source, None, "team", team.key, "has submitted nothing"))
        rubric = rubric_from_document(json.loads(hackathon.rubric))
        try:
            check_sheet(rubric, points, source)
        except InvalidInput as bad:
            problems.extend(bad.problems)
        if problems:
            raise InvalidInput(problems)
        total = sheet_total(rubric, points)
        # Scoring again replaces the judge's sheet (merge: insert, or update the one there).
        session.merge(
            HackathonScore(
                team_id=team.id,
                judge_id=actor.person_id,
                points=json.dumps(points, sort_keys=True),
                total=total,
                comment=comment.strip(),
                scored_at=now(),
            )
        )
        audit(
            session,
            actor,
            hackathon,
            "hackathon.scored",
            entity=("hackathon_team", team.key),
            after={"total": round(total, 3)},
        )
        return total


def ranked_results(session: Session, hackathon: Hackathon) -> list[RankedTeam]:
    """Every team, ranked by its judges' standardised scores (unscored teams last, unranked)."""
    teams = session.execute(
        select(HackathonTeam.id, HackathonTeam.key)
        .where(HackathonTeam.hackathon_id == hackathon.id)
        .order_by(HackathonTeam.number)
    ).all()
    keys = {team_id: str(key) for team_id, key in teams}
    sheets = [
        SheetTotal(keys[team_id], str(judge), float(total))
        for team_id, judge, total in session.execute(
            select(HackathonScore.team_id, HackathonScore.judge_id, HackathonScore.total).where(
                HackathonScore.team_id.in_(keys)
            )
        ).all()
    ]
    return rank_teams(standardised_scores(sheets), [keys[t] for t, _ in teams])


def _submission(row: HackathonSubmission | None) -> Submission | None:
    if row is None:
        return None
    return Submission(row.title, row.summary, json.loads(row.links))


def team_page(engine: Engine, actor: Actor, team_key: str) -> TeamPage:
    with reading(engine) as session:
        team, hackathon = _load_team(session, team_key)
        if not _visible(session, actor, team, hackathon):
            raise TeamNotFound(team_key)
        member = _is_member(session, actor, team)
        judge = is_judge(session, actor, hackathon)
        runs = organises(actor, hackathon)
        challenge = (
            session.scalar(
                select(HackathonChallenge.title).where(HackathonChallenge.id == team.challenge_id)
            )
            if team.challenge_id
            else None
        )
        names = [
            str(n)
            for n in session.scalars(
                select(Person.display_name)
                .join(HackathonParticipant, HackathonParticipant.person_id == Person.id)
                .where(HackathonParticipant.team_id == team.id)
                .order_by(Person.display_name)
            )
        ]
        submission = session.get(HackathonSubmission, team.id)
        own = session.get(HackathonScore, (team.id, actor.person_id)) if actor.person_id else None
        sheets = session.scalar(
            select(func.count())
            .select_from(HackathonScore)
            .where(HackathonScore.team_id == team.id)
        )
        return TeamPage(
            key=team.key,
            number=team.number,
            name=team.name,
            hackathon=summary_of(session, hackathon),
            challenge=challenge,
            # Judges mark the work, not the people: they do not see the members' names.
            members=names if member or runs else [],
            submission=_submission(submission),
            rubric=json.loads(hackathon.rubric),
            may_submit=member and hackathon.state == S.SUBMISSIONS_OPEN.value,
            may_score=judge
            and not member
            and hackathon.state == S.JUDGING.value
            and submission is not None,
            own_sheet=json.loads(own.points) if own is not None else None,
            own_comment=own.comment if own is not None else "",
            sheets=int(sheets or 0) if runs else 0,
            rank=team.rank if hackathon.state == S.RESULTS_PUBLISHED.value else None,
        )


def public_results(engine: Engine, hackathon_key: str) -> PublicResults:
    """The results page anyone may read once they are published (else HackathonNotFound)."""
    with reading(engine) as session:
        hackathon = session.scalar(select(Hackathon).where(Hackathon.key == hackathon_key))
        if hackathon is None or hackathon.state != S.RESULTS_PUBLISHED.value:
            raise HackathonNotFound(hackathon_key)
        rows = session.execute(
            select(HackathonTeam, HackathonChallenge.title)
            .outerjoin(HackathonChallenge, HackathonChallenge.id == HackathonTeam.challenge_id)
            .where(HackathonTeam.hackathon_id == hackathon.id)
        ).all()
        members = session.execute(
            select(
                HackathonParticipant.team_id, HackathonParticipant.show_name, Person.display_name
            )
            .join(Person, Person.id == HackathonParticipant.person_id)
            .where(HackathonParticipant.hackathon_id == hackathon.id)
            .order_by(Person.display_name)
        ).all()
        submissions = {
            s.team_id: s
            for s in session.scalars(
                select(HackathonSubmission).where(
                    HackathonSubmission.team_id.in_([t.id for t, _ in rows])
                )
            )
        }
        teams = []
        for team, challenge in rows:
            inside = [(shown, name) for team_id, shown, name in members if team_id == team.id]
            teams.append(
                PublicTeam(
                    rank=team.rank,
                    name=team.name,
                    challenge=challenge,
                    submission=_submission(submissions.get(team.id)),
                    names=[str(name) for shown, name in inside if shown],
                    others=sum(1 for shown, _ in inside if not shown),
                )
            )
        teams.sort(key=lambda t: (t.rank is None, t.rank or 0, t.name))
        challenges = [(c.title, c.project_key) for c in challenges_of(session, hackathon)]
        return PublicResults(summary_of(session, hackathon), teams, challenges)
