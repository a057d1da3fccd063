"""The demo marketplace `make run` creates over the demo workforce: a past round of secondments
and loans run through every step (applications, releases, allocation, acceptances, the moves
recorded) and an open round to browse and apply to, with partner-firm staff for the secondments
into government; and TechTrack's intakes where the programme is there (techtrack_demo.py).
Figures: ../shared/data/figures.md ("Secondments": experts from large private firms placed in
departments, civil servants placed in firms, moves between departments).

Required skills come from the framework's role levels (each opportunity asks for a few skills a
working-level role of its family requires), so people's fit varies as their profiles do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, func, select

from mobilise.core.framework import SkillLevel
from mobilise.core.marketplace import OpportunityKind, applicant_problem
from mobilise.core.problems import InvalidInput
from mobilise.core.programmes import CohortAction
from mobilise.services.marketplace_applications import act, apply
from mobilise.services.marketplace_rounds import RoundSpec, change_round, open_round
from mobilise.services.opportunities import OpportunitySpec, RequiredSkill, post_opportunity
from mobilise.services.programme_demo import DemoPerson, organisation_or_first, person_actor
from mobilise.services.round_allocation import allocate_round
from mobilise.services.techtrack_demo import generate_demo_intakes
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    MarketplaceRound,
    Organisation,
    Person,
    RoleLevelRecord,
    RoleLevelSkill,
    SkillClaim,
    SkillRecord,
)

K = OpportunityKind
# (kind, title, owner kind: "public" or "firm", places) — the open round.
OPEN_ROUND = (
    (K.LOAN, "Data engineer on loan for the benefits migration", "public", 2),
    (K.LOAN, "Service designer on loan to a spending review team", "public", 1),
    (K.LOAN, "Cyber security analyst on loan for a critical national service", "public", 1),
    (K.SECONDMENT_IN, "Cloud architect seconded from a partner firm", "public", 2),
    (K.SECONDMENT_IN, "Machine learning engineer seconded from a partner firm", "public", 1),
    (K.SECONDMENT_OUT, "Product manager placement with a partner firm", "firm", 2),
    (K.SECONDMENT_OUT, "Data scientist placement with a partner firm", "firm", 1),
    (K.PROJECT_ROLE, "Delivery manager for a cross-government AI project", "public", 1),
    (K.PROJECT_ROLE, "User researcher for a local digital service", "public", 2),
    (K.SHORT_ASSIGNMENT, "Six-week data quality sprint", "public", 3),
    (K.SHORT_ASSIGNMENT, "Accessibility audit of a public service", "public", 2),
    (K.MENTORING, "Mentoring a new head of data", "public", 1),
)
PAST_ROUND = (
    (K.LOAN, "Performance analyst on loan for the winter pressures team", "public", 2),
    (K.LOAN, "Software developer on loan to a digital identity team", "public", 2),
    (K.PROJECT_ROLE, "Technical architect for a shared platform", "public", 1),
    (K.SECONDMENT_IN, "DevOps engineer seconded from a partner firm", "public", 1),
)
STATEMENTS = (
    "I have built similar services and want to bring that experience where it is needed most.",
    "This would stretch my skills and I would bring back what I learn to my team.",
    "My manager and I agree this is the right next step in my development.",
    "I have worked on the data and users this team serves and could start quickly.",
)
CONSULTANTS_PER_FIRM = 3
# A person who may apply: themself, their organisation's id and kind, their manager's id.
Applicant = tuple[DemoPerson, int | None, str | None, int | None]


@dataclass(frozen=True)
class DemoMarketplace:
    rounds: int
    opportunities: int
    applications: int


def marketplace_is_empty(engine: Engine) -> bool:
    with reading(engine) as session:
        return not session.scalar(select(func.count(MarketplaceRound.id)))


def _skill_sets(engine: Engine, rng: random.Random, count: int) -> list[list[RequiredSkill]]:
    """`count` sets of 2-4 skills, each required by one working-level role level."""
    with reading(engine) as session:
        levels = list(
            session.scalars(
                select(RoleLevelRecord.id)
                .where(RoleLevelRecord.level_order == 3)
                .order_by(RoleLevelRecord.id)
            )
        )
        sets = []
        for level_id in rng.sample(levels, min(count, len(levels))):
            rows = session.execute(
                select(SkillRecord.key, RoleLevelSkill.level)
                .join(RoleLevelSkill, RoleLevelSkill.skill_id == SkillRecord.id)
                .where(RoleLevelSkill.role_level_id == level_id)
                .order_by(SkillRecord.key)
            ).all()
            chosen = rng.sample(rows, min(len(rows), rng.randint(2, 4)))
            sets.append([RequiredSkill(k, SkillLevel(int(lv)).label) for k, lv in chosen])
    while len(sets) < count:
        sets.append([])
    return sets


def _organisations(engine: Engine) -> tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]]:
    """(id, key, kind) of public organisations with people, and of partner firms."""
    with reading(engine) as session:
        staffed = session.execute(
            select(Organisation.id, Organisation.key, Organisation.kind)
            .join(Person, Person.organisation_id == Organisation.id)
            .where(Organisation.kind != "private_firm")
            .group_by(Organisation.id, Organisation.key, Organisation.kind)
            .order_by(func.count(Person.id).desc(), Organisation.key)
            .limit(12)
        ).all()
        firms = session.execute(
            select(Organisation.id, Organisation.key, Organisation.kind)
            .where(Organisation.kind == "private_firm")
            .order_by(Organisation.key)
        ).all()
    return [tuple(r) for r in staffed], [tuple(r) for r in firms]  # type: ignore[misc]


def _add_consultants(engine: Engine, firms: list[tuple[int, str, str]], rng: random.Random) -> None:
    """Partner firms' staff (with no line manager in Mobilise) and a few skills each."""
    with transaction(engine) as session:
        skills = list(session.scalars(select(SkillRecord.id).order_by(SkillRecord.id)))
        region = dict(session.execute(select(Organisation.id, Organisation.region)).all())
        for firm_id, firm_key, _ in firms:
            for number in range(1, CONSULTANTS_PER_FIRM + 1):
                key = f"{firm_key}-consultant-{number}"
                if session.scalar(select(Person.id).where(Person.key == key)):
                    continue
                person = Person(
                    key=key,
                    display_name=f"Consultant {number} of {firm_key.replace('-', ' ').title()}",
                    email=f"{key}@example.com",
                    organisation_id=firm_id,
                    region=region.get(firm_id),
                    started_on=date(2022, 1, 1),
                )
                session.add(person)
                session.flush()
                for skill in rng.sample(skills, min(5, len(skills))):
                    session.add(
                        SkillClaim(
                            person_id=person.id,
                            skill_id=skill,
                            level=rng.randint(2, 4),
                            source="self",
                            status="active",
                            claimed_on=date(2025, 1, 1),
                        )
                    )


def _people(
    engine: Engine, limit: int, rng: random.Random
) -> list[tuple[DemoPerson, int | None, str | None, int | None]]:
    """People in post: (person, organisation id, its kind, manager id), shuffled."""
    with reading(engine) as session:
        rows = session.execute(
            select(
                Person.id,
                Person.key,
                Person.display_name,
                Person.organisation_id,
                Organisation.kind,
                Person.manager_id,
            )
            .join(Organisation, Organisation.id == Person.organisation_id)
            .where(Person.left_on.is_(None))
            .order_by(Person.id)
            .limit(40 * limit)
        ).all()
    people: list[Applicant] = [(DemoPerson(i, k, n), o, kind, m) for i, k, n, o, kind, m in rows]
    rng.shuffle(people)
    return people


def _post_round(
    engine: Engine,
    key: str,
    name: str,
    runner: str,
    plan: tuple[tuple[OpportunityKind, str, str, int], ...],
    public: list[tuple[int, str, str]],
    firms: list[tuple[int, str, str]],
    starts_on: date,
    closes: date | None,
    rng: random.Random,
) -> list[tuple[str, OpportunityKind, int]]:
    """Open the round and post its opportunities; (key, kind, owner id) of each."""
    open_round(engine, None, RoundSpec(key, name, runner, closes))
    posted = []
    for number, ((kind, title, owner_kind, places), skills) in enumerate(
        zip(plan, _skill_sets(engine, rng, len(plan)), strict=True), start=1
    ):
        owners = firms if owner_kind == "firm" else public
        if not owners:
            continue
        owner_id, owner_key, _ = rng.choice(owners)
        opportunity = f"{key}-{number}"
        post_opportunity(
            engine,
            None,
            OpportunitySpec(
                key=opportunity,
                round=key,
                organisation=owner_key,
                kind=kind.value,
                title=title,
                starts_on=starts_on,
                ends_on=starts_on + timedelta(days=rng.choice((42, 91, 182, 365))),
                capacity=places,
                summary=f"{title}. Hosted by {owner_key.replace('-', ' ')}.",
                skills=skills,
            ),
        )
        posted.append((opportunity, kind, owner_id))
    return posted


def _apply_people(
    engine: Engine,
    posted: list[tuple[str, OpportunityKind, int]],
    people: list[tuple[DemoPerson, int | None, str | None, int | None]],
    rng: random.Random,
    *,
    release_share: float,
) -> int:
    made = 0
    for person, organisation, kind, manager in people:
        open_to = [
            (key, owner)
            for key, opportunity_kind, owner in posted
            if applicant_problem(opportunity_kind, owner, organisation, kind) is None
        ]
        chosen = rng.sample(open_to, min(len(open_to), rng.randint(1, 3)))
        for key, _ in chosen:
            try:
                application = apply(
                    engine,
                    person_actor(person),
                    key,
                    rng.choice(STATEMENTS),
                    ["role", "skills"],
                    consent=True,
                )
            except InvalidInput:
                continue
            made += 1
            if manager is not None and rng.random() < release_share:
                with reading(engine) as session:
                    boss = session.get(Person, manager)
                    assert boss is not None
                    actor = person_actor(DemoPerson(boss.id, boss.key, boss.display_name))
                act(engine, actor, application, "release")
    return made


def generate_demo_marketplace(
    engine: Engine, *, seed: int, today: date | None = None
) -> DemoMarketplace:
    """Both rounds; the past one allocated, accepted and started (its moves recorded)."""
    rng = random.Random(seed)
    day = today or date.today()
    runner = organisation_or_first(engine, "government-digital-service")
    public, firms = _organisations(engine)
    _add_consultants(engine, firms, rng)
    with reading(engine) as session:
        consultants: list[Applicant] = [
            (DemoPerson(i, k, n), o, "private_firm", None)
            for i, k, n, o in session.execute(
                select(Person.id, Person.key, Person.display_name, Person.organisation_id)
                .join(Organisation, Organisation.id == Person.organisation_id)
                .where(Organisation.kind == "private_firm")
                .order_by(Person.id)
            ).all()
        ]
    people = _people(engine, 60, rng)
    past = _post_round(
        engine,
        "autumn-2026",
        "Autumn 2026 secondments and loans",
        runner,
        PAST_ROUND,
        public,
        firms,
        day - timedelta(days=30),
        None,
        rng,
    )
    made = _apply_people(engine, past, people[:30] + consultants[:3], rng, release_share=1.0)
    change_round(engine, None, "autumn-2026", CohortAction.CLOSE)
    outcome = allocate_round(engine, None, "autumn-2026", seed=seed)
    for number, key in enumerate(outcome.offered):
        act(engine, None, key, "decline" if number % 5 == 4 else "accept")
    change_round(engine, None, "autumn-2026", CohortAction.START)
    spring = _post_round(
        engine,
        "spring-2027",
        "Spring 2027 secondments and loans",
        runner,
        OPEN_ROUND,
        public,
        firms,
        day + timedelta(days=60),
        day + timedelta(days=21),
        rng,
    )
    made += _apply_people(engine, spring, people[30:90] + consultants[3:], rng, release_share=0.7)
    intakes = generate_demo_intakes(engine, seed=seed, today=day)
    rounds = 2 + (2 if intakes.bids else 0)
    return DemoMarketplace(
        rounds, len(past) + len(spring) + intakes.bids, made + intakes.applications
    )
