"""A marketplace round to run journeys on, over tests/support/workforce.py's two organisations and
a partner firm.

Department A runs the round "winter-2026" (`admin` is its programme admin). Agency B offers the
loan "data-loan" (one place; accessibility at working level and agile working at practitioner
level); `b-admin` is B's programme admin. Department A offers the secondment in "gds-secondment"
for partner firms' staff; the partner firm "firm-c" offers the secondment out "firm-placement"
(`firm-admin` its programme admin, `consultant` its staff, with no manager). Everyone has
accessibility at working level; `analyst` also has agile working at practitioner level, so
fits the loan fully, and `outsider` (no manager) fits it 0.4.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, select

from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Actor, Role
from mobilise.services.marketplace_rounds import RoundSpec, open_round
from mobilise.services.opportunities import OpportunitySpec, RequiredSkill, post_opportunity
from mobilise.store.database import transaction
from mobilise.store.models import Organisation, Person, Position, SkillClaim, SkillRecord
from tests.support.workforce import Workforce, add_workforce

ROUND = "winter-2026"


@dataclass(frozen=True)
class MarketplaceSetup:
    workforce: Workforce
    firm: int
    starts_on: date
    ends_on: date

    def actor(self, engine: Engine, person: str, *roles: Role) -> Actor:
        return development_sign_in(engine, person, roles)


def _add_people(engine: Engine, workforce: Workforce) -> int:
    with transaction(engine) as session:
        firm = Organisation(
            key="firm-c", name="Firm C Ltd", kind="private_firm", region="North West"
        )
        session.add(firm)
        session.flush()
        for key, organisation in (
            ("admin", workforce.org_a),
            ("firm-admin", firm.id),
            ("consultant", firm.id),
        ):
            session.add(
                Person(
                    key=key,
                    display_name=key.replace("-", " ").title(),
                    email=f"{key}@example.com",
                    organisation_id=organisation,
                    grade="G7",
                    region="North West" if organisation == firm.id else "London",
                )
            )
        session.add(Person(key="candidate", display_name="Candidate", email="c@example.com"))
        session.flush()
        skills = dict(session.execute(select(SkillRecord.key, SkillRecord.id)).all())
        people = dict(session.execute(select(Person.key, Person.id)).all())
        for key in ("consultant", "candidate"):
            session.add(
                SkillClaim(
                    person_id=people[key],
                    skill_id=skills["accessibility"],
                    level=2,
                    source="self",
                    status="active",
                    claimed_on=date(2024, 5, 1),
                )
            )
        session.add(
            SkillClaim(
                person_id=people["analyst"],
                skill_id=skills["agile-working"],
                level=3,
                source="self",
                status="active",
                claimed_on=date(2024, 5, 1),
            )
        )
        # The analyst's current post, which the loan interrupts.
        session.add(
            Position(
                person_id=people["analyst"],
                organisation_id=workforce.org_a,
                grade="G7",
                region="London",
                started_on=date(2021, 1, 1),
            )
        )
        return firm.id


def add_marketplace(engine: Engine) -> MarketplaceSetup:
    workforce = add_workforce(engine)
    firm = _add_people(engine, workforce)
    starts_on = date.today() + timedelta(days=60)
    ends_on = starts_on + timedelta(days=180)
    admin = development_sign_in(engine, "admin", [Role.PROGRAMME_ADMIN])
    open_round(engine, admin, RoundSpec(ROUND, "Winter 2026 secondments and loans", "dept-a"))
    opportunities = (
        (
            "b-admin",
            OpportunitySpec(
                key="data-loan",
                round=ROUND,
                organisation="agency-b",
                kind="loan",
                title="Data engineer on loan to Agency B",
                starts_on=starts_on,
                ends_on=ends_on,
                capacity=1,
                place="Cardiff, hybrid",
                skills=(
                    RequiredSkill("accessibility", "working"),
                    RequiredSkill("agile-working", "practitioner"),
                ),
            ),
        ),
        (
            "admin",
            OpportunitySpec(
                key="gds-secondment",
                round=ROUND,
                organisation="dept-a",
                kind="secondment_in",
                title="Cloud architect seconded into Department A",
                starts_on=starts_on,
                ends_on=ends_on,
                capacity=1,
                skills=(RequiredSkill("accessibility", "awareness"),),
            ),
        ),
        (
            "firm-admin",
            OpportunitySpec(
                key="firm-placement",
                round=ROUND,
                organisation="firm-c",
                kind="secondment_out",
                title="Product manager placement at Firm C",
                starts_on=starts_on,
                ends_on=ends_on,
                capacity=2,
                skills=(RequiredSkill("agile-and-lean-practices", "expert"),),
            ),
        ),
    )
    for owner, spec in opportunities:
        post_opportunity(engine, development_sign_in(engine, owner, [Role.PROGRAMME_ADMIN]), spec)
    return MarketplaceSetup(workforce, firm, starts_on, ends_on)
