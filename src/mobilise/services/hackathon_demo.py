"""Demo hackathons, run through the real journey by the services themselves.

Two events organised by GDS (or the first organisation): "AI for public services hack" two
months ago, taken through every step (challenges from AI register entries and one written for
the event, sign-ups from several organisations with challenge choices and share grants, teams by
the engine, submissions, four judges' scores, results with messages and credentials), and a
spring hackathon open for sign-up. Everything comes from a seeded generator, so the same workforce
and seed give the same demo. Small: a few dozen people, so `make run` stays quick.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, func, select

from mobilise.services.hackathon_judging import score_team, submit
from mobilise.services.hackathon_signups import sign_up
from mobilise.services.hackathon_teams import form_hackathon_teams
from mobilise.services.hackathon_transitions import change_hackathon
from mobilise.services.hackathons import (
    HackathonSpec,
    add_challenge,
    add_judge,
    create_hackathon,
    get_hackathon,
)
from mobilise.services.programme_demo import DemoPerson, organisation_or_first, person_actor
from mobilise.store.database import reading
from mobilise.store.models import (
    AIProject,
    Hackathon,
    HackathonParticipant,
    HackathonTeam,
    Person,
)

PAST_PARTICIPANTS = 24
OPEN_PARTICIPANTS = 8
JUDGES = 4
REGISTER_CHALLENGES = 3
# Each judge's habit: added to every criterion's points (a harsh judge gives fewer).
JUDGE_SEVERITY = (0, -2, 1, -1)
SUBMISSIONS = (
    (
        "Triage assistant",
        "Ranks incoming cases by urgency and says why, for a caseworker to check.",
    ),
    ("Plain-English explainer", "Turns a model's decision into a letter a citizen can follow."),
    ("Bias check", "Compares outcomes across groups before a model goes live, as a pipeline step."),
    ("Record matcher", "Finds duplicate people across two registers with a review queue."),
    ("Service finder", "Points people to the right service from a description in their words."),
    ("Evidence search", "Searches past decisions for similar cases, with sources shown."),
    ("Demand forecast", "Forecasts weekly demand for a service with its uncertainty."),
    ("Form helper", "Checks a form as it is filled in and explains each mistake."),
)


@dataclass(frozen=True)
class DemoHackathons:
    hackathons: int
    participants: int


def hackathons_are_empty(engine: Engine) -> bool:
    with reading(engine) as session:
        return not session.scalar(select(func.count(Hackathon.id)))


def _people(engine: Engine, count: int, rng: random.Random, avoid: set[int]) -> list[DemoPerson]:
    with reading(engine) as session:
        rows = session.execute(
            select(Person.id, Person.key, Person.display_name)
            .where(Person.left_on.is_(None))
            .order_by(Person.id)
            .limit(4000)
        ).all()
    pool = [DemoPerson(int(i), str(k), str(n)) for i, k, n in rows if int(i) not in avoid]
    return rng.sample(pool, min(count, len(pool)))


def _entries(engine: Engine, rng: random.Random) -> list[str]:
    with reading(engine) as session:
        keys = list(
            session.scalars(
                select(AIProject.key)
                .where(AIProject.status == "published")
                .order_by(AIProject.key)
                .limit(200)
            )
        )
    return rng.sample(keys, min(REGISTER_CHALLENGES, len(keys)))


def _set_up(
    engine: Engine, key: str, title: str, runner: str, starts: date, entries: list[str]
) -> list[str]:
    create_hackathon(
        engine,
        None,
        HackathonSpec(
            key=key,
            title=title,
            organisation=runner,
            starts_on=starts,
            ends_on=starts + timedelta(days=1),
            capacity=40,
            team_size=4,
            summary="Two days on live challenges from the AI register, in mixed teams from "
            "departments, councils and industry.",
            place="Manchester",
            online=True,
        ),
    )
    challenges = [add_challenge(engine, None, key, register_entry=entry) for entry in entries]
    challenges.append(
        add_challenge(
            engine,
            None,
            key,
            title="Explain an automated decision to the person it affects",
            summary="Most letters about automated decisions are hard to follow: make one clear.",
        )
    )
    return challenges


def _sign_up_all(
    engine: Engine, key: str, people: list[DemoPerson], challenges: list[str], rng: random.Random
) -> None:
    for person in people:
        choices = rng.sample(challenges, min(2, len(challenges)))
        shared = ["skills", "role"] if rng.random() < 0.8 else []
        sign_up(
            engine,
            person_actor(person),
            key,
            choices,
            shared,
            consent=bool(shared),
            show_name=rng.random() < 0.6,
        )


def _run_past_event(
    engine: Engine, key: str, people: list[DemoPerson], judges: list[DemoPerson], rng: random.Random
) -> None:
    form_hackathon_teams(engine, None, key, seed=rng.randrange(1000))
    change_hackathon(engine, None, key, "publish_teams")
    change_hackathon(engine, None, key, "open_submissions")
    by_person = {p.id: p for p in people}
    members = _team_members(engine, key)
    for index, (team_key, member_ids) in enumerate(members.items()):
        author = by_person[member_ids[0]]
        title, summary = SUBMISSIONS[index % len(SUBMISSIONS)]
        submit(
            engine,
            person_actor(author),
            team_key,
            title=title,
            summary=summary,
            links=[("Code", f"https://github.com/example-gov/{title.lower().replace(' ', '-')}")],
        )
    change_hackathon(engine, None, key, "start_judging")
    quality = {team: rng.randint(3, 8) for team in members}
    rubric = get_hackathon(engine, person_actor(judges[0]), key).rubric
    for judge, severity in zip(judges, JUDGE_SEVERITY, strict=False):
        for team, base in quality.items():
            points = {
                c["key"]: max(0, min(c["max_points"], base + severity + rng.randint(-1, 1)))
                for c in rubric
            }
            score_team(engine, person_actor(judge), team, points)
    change_hackathon(engine, None, key, "publish_results")


def _team_members(engine: Engine, key: str) -> dict[str, list[int]]:
    with reading(engine) as session:
        rows = session.execute(
            select(HackathonTeam.key, HackathonParticipant.person_id)
            .join(HackathonParticipant, HackathonParticipant.team_id == HackathonTeam.id)
            .join(Hackathon, Hackathon.id == HackathonTeam.hackathon_id)
            .where(Hackathon.key == key)
            .order_by(HackathonTeam.number, HackathonParticipant.id)
        ).all()
    found: dict[str, list[int]] = {}
    for team, person in rows:
        found.setdefault(str(team), []).append(int(person))
    return found


def generate_demo_hackathons(
    engine: Engine, *, seed: int, today: date | None = None
) -> DemoHackathons:
    """Create the two demo hackathons; the past one through to published results."""
    rng = random.Random(seed)
    day = today or date.today()
    runner = organisation_or_first(engine, "government-digital-service")
    entries = _entries(engine, rng)
    judges = _people(engine, JUDGES, rng, set())
    people = _people(engine, PAST_PARTICIPANTS, rng, {j.id for j in judges})
    past = "ai-public-services-hack"
    challenges = _set_up(
        engine, past, "AI for public services hack", runner, day - timedelta(days=60), entries
    )
    for judge in judges:
        add_judge(engine, None, past, judge.key)
    change_hackathon(engine, None, past, "open_sign_up")
    _sign_up_all(engine, past, people, challenges, rng)
    if len(people) >= 2:
        _run_past_event(engine, past, people, judges, rng)
    spring = "ai-hack-spring"
    challenges = _set_up(
        engine, spring, "Spring AI hackathon", runner, day + timedelta(days=90), entries[::-1]
    )
    for judge in judges[:2]:
        add_judge(engine, None, spring, judge.key)
    change_hackathon(engine, None, spring, "open_sign_up")
    newcomers = _people(engine, OPEN_PARTICIPANTS, rng, {p.id for p in people + judges})
    _sign_up_all(engine, spring, newcomers, challenges, rng)
    return DemoHackathons(2, len(people) + len(newcomers))
