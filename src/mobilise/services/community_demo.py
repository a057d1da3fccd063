"""Demo communities, events and mentoring, made through the services themselves.

Five communities of practice (the cross-government AI, user research and data science
communities, and departmental accessibility and cyber security ones), each with members drawn from
the workforce; upcoming events (an online AI Insights session, an AI community meet-up that is full
with a waiting list, a data science conference, a user research meet-up); and mentoring: people
holding the communities' skills at practitioner or expert level offer to mentor, people at working
level or below ask, and one cross-government round matches them. Seeded, so the same workforce and
seed give the same demo; small (about a hundred rows), so `make run` stays quick.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services.actors import command_line_actor
from mobilise.services.communities import CommunitySpec, create_community, join_community
from mobilise.services.events import EventSpec, create_event, register
from mobilise.services.mentoring import ask_for_mentor, offer_to_mentor
from mobilise.services.mentoring_rounds import run_mentoring_round
from mobilise.services.programme_demo import DemoPerson, organisation_or_first, person_actor
from mobilise.store.database import reading
from mobilise.store.models import (
    Community,
    FrameworkVersion,
    Person,
    SkillClaim,
    SkillRecord,
)

# (key, name, owner organisation or None for cross-government, topics, skills, members)
COMMUNITIES = (
    (
        "ai-community",
        "AI community of practice",
        None,
        ("machine learning", "generative AI", "AI assurance", "the AI Playbook"),
        (
            "programming-and-build-data-science",
            "data-ethics-and-privacy",
            "data-science-innovation",
        ),
        20,
    ),
    (
        "user-research-community",
        "User research community",
        None,
        ("research methods", "research operations", "inclusive research"),
        ("user-research-methods", "inclusive-research", "agile-research-practices"),
        15,
    ),
    (
        "data-science-community",
        "Data science community",
        None,
        ("statistics", "data visualisation", "reproducible analysis"),
        ("applied-maths-statistics-and-scientific-practices", "data-visualisation"),
        15,
    ),
    (
        "accessibility-community",
        "Accessibility community",
        "government-digital-service",
        ("WCAG 2.2", "assistive technology", "accessible documents"),
        ("accessibility",),
        8,
    ),
    (
        "cyber-community",
        "Cyber security community",
        "cabinet-office",
        ("threat modelling", "secure by design"),
        ("information-security", "cyber-security-governance"),
        8,
    ),
)
MENTORS = 8
MENTEES = 14


@dataclass(frozen=True)
class DemoCommunities:
    communities: int
    events: int
    registrations: int
    mentorings: int


def communities_are_empty(engine: Engine) -> bool:
    with reading(engine) as session:
        return not session.scalar(select(func.count(Community.id)))


def _people(engine: Engine) -> list[DemoPerson]:
    with reading(engine) as session:
        rows = session.execute(
            select(Person.id, Person.key, Person.display_name)
            .where(Person.left_on.is_(None))
            .order_by(Person.id)
            .limit(3000)
        ).all()
    return [DemoPerson(int(i), str(k), str(n)) for i, k, n in rows]


def _known_skills(engine: Engine) -> set[str]:
    with reading(engine) as session:
        version = session.scalar(select(FrameworkVersion.id).where(FrameworkVersion.is_default))
        return set(
            session.scalars(
                select(SkillRecord.key).where(SkillRecord.framework_version_id == version)
            )
        )


def _holders(engine: Engine, skills: list[str], levels: tuple[int, int]) -> list[DemoPerson]:
    """People with an active claim to one of `skills` between the two levels, by id."""
    with reading(engine) as session:
        rows = session.execute(
            select(Person.id, Person.key, Person.display_name)
            .join(SkillClaim, SkillClaim.person_id == Person.id)
            .join(SkillRecord, SkillRecord.id == SkillClaim.skill_id)
            .where(
                SkillRecord.key.in_(skills),
                SkillClaim.level.between(*levels),
                SkillClaim.status == "active",
                Person.left_on.is_(None),
            )
            .distinct()
            .order_by(Person.id)
            .limit(500)
        ).all()
    return [DemoPerson(int(i), str(k), str(n)) for i, k, n in rows]


def _events(runner: str, now: datetime) -> list[tuple[EventSpec, int]]:
    """Each upcoming event and how many demo people register (more than capacity: a queue)."""
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)

    def at(days: int, hour: int, hours: int) -> tuple[datetime, datetime]:
        starts = day + timedelta(days=days, hours=hour)
        return starts, starts + timedelta(hours=hours)

    insights, meetup, conference, research = (
        at(10, 12, 1),
        at(21, 17, 2),
        at(60, 9, 8),
        at(35, 14, 2),
    )
    return [
        (
            EventSpec(
                "ai-insights-evaluating-llms",
                "AI Insights: evaluating large language models",
                runner,
                *insights,
                capacity=300,
                kind="ai-insights",
                community="ai-community",
                summary="An hour on how teams across government test and assure LLM-based tools.",
                online=True,
            ),
            12,
        ),
        (
            EventSpec(
                "ai-community-meetup-leeds",
                "AI community meet-up, Leeds",
                runner,
                *meetup,
                capacity=12,
                kind="meet-up",
                community="ai-community",
                summary="Show and tell from three departments' AI projects, then drinks.",
                place="Quarry House, Leeds",
            ),
            15,
        ),
        (
            EventSpec(
                "data-science-conference",
                "Government data science conference",
                runner,
                *conference,
                capacity=200,
                kind="conference",
                community="data-science-community",
                summary="Talks and workshops from data scientists across the public sector.",
                place="QEII Centre, London",
                online=True,
            ),
            15,
        ),
        (
            EventSpec(
                "user-research-meetup",
                "User research meet-up: researching with AI tools",
                runner,
                *research,
                capacity=40,
                kind="meet-up",
                community="user-research-community",
                place="Manchester",
                online=True,
            ),
            8,
        ),
    ]


def generate_demo_communities(engine: Engine, *, seed: int = 0) -> DemoCommunities:
    rng = random.Random(seed + 15)
    operator = command_line_actor()
    known = _known_skills(engine)
    people = _people(engine)
    for key, name, owner, topics, skills, members in COMMUNITIES:
        create_community(
            engine,
            operator,
            CommunitySpec(
                key=key,
                name=name,
                organisation=organisation_or_first(engine, owner) if owner else None,
                description=f"People across the public sector working on {topics[0]} and more.",
                topics=topics,
                skills=[s for s in skills if s in known],
            ),
        )
        for person in rng.sample(people, min(members, len(people))):
            join_community(engine, person_actor(person), key)
    runner = organisation_or_first(engine, "government-digital-service")
    registrations = 0
    specs = _events(runner, datetime.now(UTC))
    for spec, count in specs:
        create_event(engine, operator, spec)
        for person in rng.sample(people, min(count, len(people))):
            register(engine, person_actor(person), spec.key)
            registrations += 1
    ai_skills = [s for s in COMMUNITIES[0][4] + COMMUNITIES[2][4] if s in known]
    mentorings = _mentoring(engine, rng, ai_skills)
    return DemoCommunities(len(COMMUNITIES), len(specs), registrations, mentorings)


def _mentoring(engine: Engine, rng: random.Random, skills: list[str]) -> int:
    if not skills:
        return 0
    mentors = _holders(engine, skills, (3, 4))
    chosen = rng.sample(mentors, min(MENTORS, len(mentors)))
    for person in chosen:
        offer_to_mentor(
            engine, person_actor(person), rng.sample(skills, min(2, len(skills))), 2, "Thursdays"
        )
    taken = {p.id for p in chosen}
    mentees = [p for p in _holders(engine, skills, (1, 2)) if p.id not in taken]
    for index, person in enumerate(rng.sample(mentees, min(MENTEES, len(mentees)))):
        ask_for_mentor(
            engine,
            person_actor(person),
            rng.sample(skills, min(2, len(skills))),
            "Grow towards a practitioner role in data science and AI.",
            share_across_organisations=index % 3 != 0,
        )
    try:
        return run_mentoring_round(engine, command_line_actor(), "demo-mentoring-1").matched
    except InvalidInput:
        return 0  # a workforce with nobody who fits: the offers and requests stay open
