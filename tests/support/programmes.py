"""A programme to run journeys on, over tests/support/workforce.py's two organisations.

Department A runs the "ai-accelerator" programme; `admin` (of A) is its programme admin. Its
cohort "aia-1" (one place, a waiting list of two) takes people in the Data family at working
level or above, and teaches `ai-ethics` (mandatory) and `ml-foundations`. `judge` (of agency B)
sits on the panel. Role levels: analyst and stranger are data scientists (eligible; stranger has
no manager, so no release step), outsider an associate data scientist (not eligible), lead a
principal data scientist. `candidate` has no organisation, no manager and no role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Engine, select

from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Actor, Role
from mobilise.services.programmes import (
    CohortSpec,
    CurriculumEntry,
    ProgrammeSpec,
    add_panel_member,
    create_programme,
    open_cohort,
)
from mobilise.store.database import transaction
from mobilise.store.models import (
    LearningItem,
    LearningItemSkill,
    Person,
    RoleLevelRecord,
    SkillRecord,
)
from tests.support.workforce import Workforce, add_workforce

RUBRIC = [
    {"key": "motivation", "name": "Motivation", "max_points": 5, "weight": 1},
    {"key": "experience", "name": "Relevant experience", "max_points": 5, "weight": 2},
]
ROLE_LEVELS = {
    "analyst": "data-scientist",
    "stranger": "data-scientist",
    "outsider": "associate-data-scientist",
    "lead": "principal-data-scientist",
}


@dataclass(frozen=True)
class ProgrammeSetup:
    workforce: Workforce
    cohort: str
    starts_on: date

    def actor(self, engine: Engine, person: str, *roles: Role) -> Actor:
        return development_sign_in(engine, person, roles)


def _add_people_and_items(engine: Engine, workforce: Workforce) -> None:
    with transaction(engine) as session:
        levels = dict(
            session.execute(
                select(RoleLevelRecord.key, RoleLevelRecord.id).where(
                    RoleLevelRecord.key.in_(set(ROLE_LEVELS.values()))
                )
            ).all()
        )
        for key, level in ROLE_LEVELS.items():
            person = session.get(Person, workforce.people[key])
            assert person is not None
            person.role_level_id = levels[level]
        for key, organisation in (("admin", workforce.org_a), ("judge", workforce.org_b)):
            session.add(
                Person(
                    key=key,
                    display_name=key.title(),
                    email=f"{key}@example.gov.uk",
                    organisation_id=organisation,
                    grade="G6",
                    region="London",
                )
            )
        session.add(Person(key="candidate", display_name="Candidate", email="c@example.com"))
        skill_id = session.scalars(select(SkillRecord.id).order_by(SkillRecord.id).limit(1)).one()
        for key, title in (
            ("ai-ethics", "AI ethics: transparency, accountability and bias"),
            ("ml-foundations", "Machine learning foundations"),
        ):
            item = LearningItem(
                key=key,
                title=title,
                provider="Test academy",
                format="course",
                hours=Decimal("6"),
                cost_pence=0,
                description="",
            )
            session.add(item)
            session.flush()
            session.add(LearningItemSkill(item_id=item.id, skill_id=skill_id, level=3))


def add_programme(engine: Engine, *, capacity: int = 1, waiting: int = 2) -> ProgrammeSetup:
    workforce = add_workforce(engine)
    _add_people_and_items(engine, workforce)
    admin = development_sign_in(engine, "admin", [Role.PROGRAMME_ADMIN])
    create_programme(
        engine,
        admin,
        ProgrammeSpec(
            key="ai-accelerator",
            name="AI Accelerator",
            kind="accelerator",
            organisation="dept-a",
            rubric=RUBRIC,
            waiting_list_size=waiting,
        ),
    )
    starts_on = date.today() - timedelta(days=7)
    open_cohort(
        engine,
        admin,
        "ai-accelerator",
        CohortSpec(
            key="aia-1",
            name="AI Accelerator cohort 1",
            starts_on=starts_on,
            ends_on=starts_on + timedelta(weeks=12),
            capacity=capacity,
            eligibility={"families": ["data"], "min_level_order": 3},
            curriculum=[CurriculumEntry("ai-ethics", True), CurriculumEntry("ml-foundations")],
            stages=[{"name": "Foundations", "weeks": 4}, {"name": "Hackathon", "weeks": 8}],
        ),
    )
    add_panel_member(engine, admin, "aia-1", "judge")
    return ProgrammeSetup(workforce, "aia-1", starts_on)
