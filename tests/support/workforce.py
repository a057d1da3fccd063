"""A small, hand-made workforce in two organisations, for tests of who sees whom.

Department A: `boss` manages `lead`, who manages `analyst`; `outsider` is in A with no link to them.
Agency B: `stranger`, and `b-admin`. Each person has one skill claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select

from mobilise.store.database import transaction
from mobilise.store.models import Organisation, Person, SkillClaim, SkillRecord


@dataclass(frozen=True)
class Workforce:
    org_a: int
    org_b: int
    people: dict[str, int]


PEOPLE = (
    # key, organisation, manager
    ("boss", "a", None),
    ("lead", "a", "boss"),
    ("analyst", "a", "lead"),
    ("outsider", "a", None),
    ("stranger", "b", None),
    ("b-admin", "b", None),
)


def add_workforce(engine: Engine) -> Workforce:
    with transaction(engine) as session:
        org_a = Organisation(key="dept-a", name="Department A", kind="department", region="London")
        org_b = Organisation(key="agency-b", name="Agency B", kind="agency", region="Wales")
        session.add_all([org_a, org_b])
        session.flush()
        orgs = {"a": org_a.id, "b": org_b.id}
        skill = session.scalars(select(SkillRecord).order_by(SkillRecord.id).limit(1)).one()
        ids: dict[str, int] = {}
        for key, org, manager in PEOPLE:
            person = Person(
                key=key,
                display_name=key.replace("-", " ").title(),
                email=f"{key}@example.gov.uk",
                organisation_id=orgs[org],
                grade="G7",
                region="London",
                manager_id=None if manager is None else ids[manager],
                started_on=date(2021, 1, 1),
            )
            session.add(person)
            session.flush()
            ids[key] = person.id
            session.add(
                SkillClaim(
                    person_id=person.id,
                    skill_id=skill.id,
                    level=2,
                    source="self",
                    status="active",
                    evidence=f"evidence of {key}",
                    claimed_on=date(2024, 5, 1),
                )
            )
        return Workforce(org_a.id, org_b.id, ids)
