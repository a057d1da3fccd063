"""Demo programmes calibrated on ../shared/data/figures.md, run through the real journey.

Four programmes: the AI Accelerator (12-week cohorts of 25 data people, a mandatory ethics
module; its first cohort is selected and running, the next open), TechTrack apprenticeships
(2,000 by 2030; regional quota of 60% outside London; open to candidates with no organisation),
a local-authority digital academy (year-long, councils only) and a senior leaders' digital
programme (grade 6 and Senior Civil Service). The first AI Accelerator cohort is taken through
every step by the services themselves: applications, releases, three panel members' scores,
selection by the engine, offers, one decline filled from the waiting list, start and attendance.
Everything is drawn from a seeded generator, so the same workforce and seed give the same demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Engine, func, select

from mobilise.core.programmes import CohortAction, rule_from_document, unmet
from mobilise.services.actors import Actor
from mobilise.services.applications import act, applicant_facts, apply
from mobilise.services.cohort_delivery import participants, record_attendance
from mobilise.services.cohort_selection import run_selection
from mobilise.services.programmes import (
    DEFAULT_RUBRIC,
    CohortSpec,
    CurriculumEntry,
    ProgrammeSpec,
    add_panel_member,
    change_cohort,
    create_programme,
    open_cohort,
)
from mobilise.services.selection_panel import score_application
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    Application,
    JobFamilyRecord,
    LearningItem,
    LearningItemSkill,
    Organisation,
    Person,
    Programme,
    RoleLevelRecord,
    RoleRecord,
    SkillRecord,
)

# (key, title, hours, skill key taught at practitioner level)
MODULES = (
    (
        "aia-ethics",
        "AI ethics: transparency, accountability and bias",
        12,
        "data-ethics-and-privacy",
    ),
    (
        "aia-ml-engineering",
        "Machine learning engineering in government",
        60,
        "programming-and-build-data-science",
    ),
    ("aia-hackathon", "Hackathon on a live government challenge", 40, "data-science-innovation"),
    (
        "techtrack-foundations",
        "Software development foundations (apprenticeship)",
        120,
        "programming-and-build-software-engineering",
    ),
    (
        "academy-digital-council",
        "Digital, data and technology for councils",
        80,
        "designing-strategically",
    ),
    (
        "leaders-digital-strategy",
        "Leading digital and data strategy",
        24,
        "shaping-the-direction-of-organisational-strategy-through-digital-data-and-technology",
    ),
)
RUBRIC = list(DEFAULT_RUBRIC)
STATEMENTS = (
    "I want to move from analysis into building and deploying machine learning services.",
    "My team has a backlog of models that never reach production; I want to change that.",
    "I lead data work in my department and want the engineering and ethics depth to do it well.",
    "I would bring experience of live services and want to learn how to assure AI responsibly.",
)


def programmes_are_empty(engine: Engine) -> bool:
    with reading(engine) as session:
        return not session.scalar(select(func.count(Programme.id)))


def _ensure_modules(engine: Engine) -> None:
    with transaction(engine) as session:
        for key, title, hours, skill_key in MODULES:
            if session.scalar(select(LearningItem.id).where(LearningItem.key == key)):
                continue
            item = LearningItem(
                key=key,
                title=title,
                provider="Mobilise demo programmes",
                format="course",
                hours=Decimal(hours),
                cost_pence=0,
                description=title,
            )
            session.add(item)
            session.flush()
            skill = session.scalar(
                select(SkillRecord.id).where(SkillRecord.key == skill_key).limit(1)
            )
            if skill is not None:
                session.add(LearningItemSkill(item_id=item.id, skill_id=skill, level=3))


def organisation_or_first(engine: Engine, preferred: str) -> str:
    """The preferred organisation's key if it is stored, else the first stored one."""
    with reading(engine) as session:
        if session.scalar(select(Organisation.id).where(Organisation.key == preferred)):
            return preferred
        found = session.scalar(select(Organisation.key).order_by(Organisation.id).limit(1))
    if found is None:
        raise LookupError("the demo programmes need at least one organisation")
    return found


@dataclass(frozen=True)
class DemoPerson:
    id: int
    key: str
    display_name: str


def person_actor(person: DemoPerson) -> Actor:
    # The generator acts for each demo person on the server (no account), as the CLI would.
    return Actor(
        account_id=None,
        display_name=person.display_name,
        person_id=person.id,
        person_key=person.key,
    )


def _eligible(
    engine: Engine, cohort_eligibility: dict[str, object], limit: int, rng: random.Random
) -> list[DemoPerson]:
    rule = rule_from_document(cohort_eligibility)
    families = sorted(rule.families)
    with reading(engine) as session:
        query = (
            select(Person)
            .join(RoleLevelRecord, RoleLevelRecord.id == Person.role_level_id)
            .join(RoleRecord, RoleRecord.id == RoleLevelRecord.role_id)
            .join(JobFamilyRecord, JobFamilyRecord.id == RoleRecord.job_family_id)
            .where(Person.left_on.is_(None))
            .order_by(Person.id)
        )
        if families:
            query = query.where(JobFamilyRecord.key.in_(families))
        people = [
            DemoPerson(p.id, p.key, p.display_name)
            for p in session.scalars(query.limit(20 * limit))
            if not unmet(rule, applicant_facts(session, p))
        ]
    rng.shuffle(people)
    return people[:limit]


def _judges(engine: Engine, organisation: str, avoid: set[int]) -> list[DemoPerson]:
    with reading(engine) as session:
        rows = session.execute(
            select(Person.id, Person.key, Person.display_name)
            .join(Organisation, Organisation.id == Person.organisation_id)
            .where(Organisation.key == organisation, Person.left_on.is_(None))
            .order_by(Person.id)
            .limit(20)
        ).all()
        if len(rows) < 3:
            rows = session.execute(
                select(Person.id, Person.key, Person.display_name).order_by(Person.id).limit(20)
            ).all()
    return [DemoPerson(*row) for row in rows if row[0] not in avoid][:3]


def generate_demo_programmes(engine: Engine, *, seed: int, today: date | None = None) -> int:
    """Create the four demo programmes and run the first AI Accelerator cohort; returns how many
    applications were made."""
    rng = random.Random(seed)
    day = today or date.today()
    _ensure_modules(engine)
    runner = organisation_or_first(engine, "government-digital-service")
    create_programme(
        engine,
        None,
        ProgrammeSpec(
            key="ai-accelerator",
            name="AI Accelerator",
            kind="accelerator",
            organisation=runner,
            summary="Twelve weeks that turn data scientists into machine learning engineers, "
            "through hackathons on live government challenges, with ethics (transparency, "
            "accountability and bias) as a major, mandatory part.",
            rubric=RUBRIC,
            waiting_list_size=10,
            min_attendance=0.8,
        ),
    )
    create_programme(
        engine,
        None,
        ProgrammeSpec(
            key="techtrack",
            name="TechTrack apprenticeships",
            kind="apprenticeship",
            organisation=runner,
            summary="Apprenticeships into departments as software developers, DevOps engineers, "
            "business analysts and cyber security technologists: 2,000 apprentices by 2030, with "
            "most placed outside London.",
            rubric=RUBRIC,
            quotas=[
                {
                    "id": "outside-london",
                    "attribute": "region",
                    "not_values": ["London"],
                    "min_share": 0.6,
                }
            ],
            target_people=2000,
            target_year=2030,
        ),
    )
    academy_owner = organisation_or_first(engine, "leeds-city-council")
    create_programme(
        engine,
        None,
        ProgrammeSpec(
            key="council-digital-academy",
            name="Local-authority digital academy",
            kind="academy",
            organisation=academy_owner,
            summary="A year-long, apprenticeship-levy funded academy for council officers moving "
            "into digital, data and technology roles.",
            rubric=RUBRIC,
        ),
    )
    create_programme(
        engine,
        None,
        ProgrammeSpec(
            key="digital-leaders",
            name="Senior leaders' digital programme",
            kind="leadership",
            organisation=organisation_or_first(engine, "cabinet-office"),
            summary="For grade 6 and Senior Civil Service leaders who set digital and data "
            "strategy.",
            rubric=RUBRIC,
        ),
    )
    data_rule = {"families": ["data"], "min_level_order": 3}
    first_start = day - timedelta(weeks=4)
    applicants = _eligible(engine, data_rule, 45, rng)
    judges = _judges(engine, runner, {p.id for p in applicants})
    # 25 places for 34 applicants as calibrated; fewer of both from a small demo workforce.
    split = min(34, max(3, 3 * len(applicants) // 4))
    first, second = applicants[:split], applicants[split:]
    aia_curriculum = [
        CurriculumEntry("aia-ethics", True),
        CurriculumEntry("aia-ml-engineering", True),
        CurriculumEntry("aia-hackathon"),
    ]
    aia_stages = [
        {"name": "Foundations and ethics", "weeks": 4},
        {"name": "Engineering practice", "weeks": 4},
        {"name": "Hackathon on a live challenge", "weeks": 4},
    ]
    for key, name, starts in (
        ("ai-accelerator-1", "AI Accelerator cohort 1", first_start),
        ("ai-accelerator-2", "AI Accelerator cohort 2", day + timedelta(weeks=10)),
    ):
        open_cohort(
            engine,
            None,
            "ai-accelerator",
            CohortSpec(
                key=key,
                name=name,
                starts_on=starts,
                ends_on=starts + timedelta(weeks=12) - timedelta(days=1),
                # 25 places as calibrated; fewer when a small demo has fewer applicants.
                capacity=25 if split == 34 else max(1, 2 * split // 3),
                eligibility=data_rule,
                curriculum=aia_curriculum,
                stages=aia_stages,
            ),
        )
    next_september = date(day.year + (day.month >= 9), 9, 1)
    # TechTrack's places come from departments' bids in its intakes (services/techtrack_demo.py).
    open_cohort(
        engine,
        None,
        "council-digital-academy",
        CohortSpec(
            key=f"council-academy-{next_september.year}",
            name=f"Council digital academy {next_september.year}",
            starts_on=next_september,
            ends_on=next_september + timedelta(weeks=52),
            capacity=30,
            eligibility={"organisation_kinds": ["local_authority"]},
            curriculum=[CurriculumEntry("academy-digital-council", True)],
        ),
    )
    open_cohort(
        engine,
        None,
        "digital-leaders",
        CohortSpec(
            key="digital-leaders-spring",
            name="Digital leaders, spring",
            starts_on=day + timedelta(weeks=8),
            ends_on=day + timedelta(weeks=20),
            capacity=20,
            eligibility={"grades": ["G6", "SCS1", "SCS2", "SCS3"]},
            curriculum=[CurriculumEntry("leaders-digital-strategy", True)],
        ),
    )
    if len(applicants) < 4 or len(judges) < 3:
        return 0
    for judge in judges:
        add_panel_member(engine, None, "ai-accelerator-1", judge.key)
        add_panel_member(engine, None, "ai-accelerator-2", judge.key)
    keys = [
        apply(
            engine,
            person_actor(p),
            "ai-accelerator-1",
            rng.choice(STATEMENTS),
            ["role", "skills", "learning"],
            consent=True,
        )
        for p in first
    ]
    with reading(engine) as session:
        awaiting = set(
            session.scalars(
                select(Application.key).where(
                    Application.key.in_(keys), Application.state == "awaiting_release"
                )
            )
        )
    for key in keys:
        if key in awaiting:
            act(engine, None, key, "release")
    change_cohort(engine, None, "ai-accelerator-1", CohortAction.CLOSE)
    for judge in judges:
        severity = rng.choice((-1, 0, 0, 1))
        for key in keys:
            points = {str(c["key"]): max(0, min(5, rng.randint(2, 5) + severity)) for c in RUBRIC}
            score_application(engine, person_actor(judge), key, points)
    result = run_selection(engine, None, "ai-accelerator-1", seed=seed)
    for index, key in enumerate(result.offered):
        act(engine, None, key, "decline" if index == 0 else "accept")
    # The declined place went to the first on the waiting list; they accept too.
    for key in result.waiting[:1]:
        act(engine, None, key, "accept")
    change_cohort(engine, None, "ai-accelerator-1", CohortAction.START)
    present = [k for k, _ in participants(engine, None, "ai-accelerator-1")]
    for week in range(3):
        attended = [k for k in present if rng.random() < 0.9]
        record_attendance(
            engine, None, "ai-accelerator-1", first_start + timedelta(weeks=week), attended
        )
    # The next cohort is open: some applications wait for their managers, some for the panel.
    for person in second:
        apply(
            engine,
            person_actor(person),
            "ai-accelerator-2",
            rng.choice(STATEMENTS),
            ["role", "skills"],
            consent=True,
        )
    return len(first) + len(second)
