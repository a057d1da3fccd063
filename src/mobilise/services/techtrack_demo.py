"""TechTrack's demo intakes, calibrated on ../shared/data/figures.md: departments bid for
apprentices (software developer, DevOps engineer, business analyst, cyber security
technologist) in several regions; candidates with no organisation (about 70% from minority
backgrounds, with consent, and most outside London) rank up to three placements; each placement
ranks its candidates by an assessment score; the intake is allocated by the engine's fair method
with TechTrack's quotas (at least 60% placed based outside London; at least half from
under-represented groups, as the opaque code g1). Last September's intake is allocated and its
offers answered; next September's takes applications.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, select

from mobilise.core.marketplace import APPRENTICESHIP_ROLES
from mobilise.core.programmes import CohortAction
from mobilise.services.actors import command_line_actor
from mobilise.services.marketplace_applications import act, apply, score_applicant
from mobilise.services.marketplace_rounds import RoundSpec, change_round, open_round
from mobilise.services.opportunities import OpportunitySpec, post_opportunity
from mobilise.services.programme_demo import DemoPerson, person_actor
from mobilise.services.round_allocation import allocate_round
from mobilise.store.database import reading, transaction
from mobilise.store.models import Organisation, Person, Programme, SensitiveAttributes

QUOTAS = (
    {"id": "outside-london", "attribute": "region", "not_values": ["London"], "min_share": 0.6},
    {"id": "under-represented", "attribute": "group", "values": ["g1"], "min_share": 0.5},
)
# Where the bids are, with the share of candidates living there.
REGIONS = (
    ("London", 0.35),
    ("North West", 0.15),
    ("Yorkshire and The Humber", 0.12),
    ("West Midlands", 0.1),
    ("North East", 0.1),
    ("Wales", 0.08),
    ("Scotland", 0.1),
)
MINORITY_SHARE = 0.7  # figures.md: about 70% of an intake from minority backgrounds
GROUPS = (
    "Asian or Asian British",
    "Black, Black British, Caribbean or African",
    "Mixed or multiple",
)


@dataclass(frozen=True)
class DemoIntakes:
    bids: int
    candidates: int
    applications: int
    placed: int


def _candidates(engine: Engine, count: int, rng: random.Random) -> list[DemoPerson]:
    """People looking to start a government career: no organisation, no manager."""
    made = []
    with transaction(engine) as session:
        for number in range(1, count + 1):
            region = rng.choices([r for r, _ in REGIONS], [w for _, w in REGIONS])[0]
            person = Person(
                key=f"techtrack-candidate-{number}",
                display_name=f"TechTrack candidate {number}",
                email=f"techtrack-candidate-{number}@example.com",
                region=region,
            )
            session.add(person)
            session.flush()
            if rng.random() < 0.9:  # most consent to diversity data
                session.add(
                    SensitiveAttributes(
                        person_id=person.id,
                        consent=True,
                        consented_on=date(2026, 1, 1),
                        ethnic_group=rng.choice(GROUPS)
                        if rng.random() < MINORITY_SHARE
                        else "White",
                    )
                )
            made.append(DemoPerson(person.id, person.key, person.display_name))
    return made


def _bid(
    engine: Engine, intake: str, departments: list[str], starts: date, rng: random.Random
) -> list[tuple[str, str]]:
    """Departments' bids: (opportunity key, region); 100 places over twelve bids."""
    bids = []
    places = [10, 10, 10, 9, 9, 8, 8, 8, 8, 7, 7, 6]
    regions = [r for r, _ in REGIONS]
    for number, capacity in enumerate(places, start=1):
        role = APPRENTICESHIP_ROLES[number % len(APPRENTICESHIP_ROLES)]
        # About 40% of places in London, the rest spread over the regions.
        region = "London" if number % 5 in (1, 3) else rng.choice(regions[1:])
        key = f"{intake}-{number}"
        post_opportunity(
            engine,
            None,
            OpportunitySpec(
                key=key,
                round=intake,
                organisation=departments[number % len(departments)],
                kind="apprenticeship",
                role=role,
                title=f"{role[0].upper()}{role[1:]} apprentice, {region}",
                region=region,
                place=region,
                starts_on=starts,
                ends_on=starts + timedelta(weeks=104),
                capacity=capacity,
                summary=f"A two-year {role} apprenticeship with a training provider.",
            ),
        )
        bids.append((key, region))
    return bids


def _apply_candidates(
    engine: Engine,
    bids: list[tuple[str, str]],
    candidates: list[DemoPerson],
    rng: random.Random,
) -> int:
    """Each candidate ranks up to three placements (near home first); each placement scores
    them by their assessment (a mark per candidate, with the placement's own view)."""
    operator = command_line_actor()
    with reading(engine) as session:
        home = dict(session.execute(select(Person.id, Person.region)).all())
    made = 0
    for candidate in candidates:
        assessment = rng.randint(40, 95)
        near = [k for k, r in bids if r == home.get(candidate.id)]
        others = [k for k, _ in bids if k not in near]
        chosen = (rng.sample(near, min(len(near), 2)) + rng.sample(others, 3))[:3]
        for preference, key in enumerate(chosen, start=1):
            application = apply(
                engine,
                person_actor(candidate),
                key,
                "I want to start a career in government technology.",
                ["skills"],
                consent=True,
                preference=preference,
            )
            score = max(0, min(100, assessment + rng.randint(-10, 10)))
            score_applicant(engine, operator, application, score)
            made += 1
    return made


def generate_demo_intakes(engine: Engine, *, seed: int, today: date | None = None) -> DemoIntakes:
    """Both intakes of the `techtrack` programme (nothing if it is not there)."""
    rng = random.Random(seed)
    day = today or date.today()
    with reading(engine) as session:
        found = session.execute(
            select(Programme.key, Organisation.key)
            .join(Organisation, Organisation.id == Programme.organisation_id)
            .where(Programme.key == "techtrack")
        ).first()
        departments = list(
            session.scalars(
                select(Organisation.key)
                .where(Organisation.kind == "department")
                .order_by(Organisation.headcount.desc(), Organisation.key)
                .limit(8)
            )
        )
    if found is None or not departments:
        return DemoIntakes(0, 0, 0, 0)
    runner = found[1]
    last = date(day.year - (day.month < 9), 9, 1)
    intakes = (
        (f"techtrack-{last.year}", last),
        (f"techtrack-{last.year + 1}", date(last.year + 1, 9, 1)),
    )
    candidates = _candidates(engine, 220, rng)
    bids = made = placed = 0
    for number, (intake, starts) in enumerate(intakes):
        open_round(
            engine,
            None,
            RoundSpec(
                intake,
                f"TechTrack {starts.year} intake",
                runner,
                applications_close_on=None if number == 0 else starts - timedelta(weeks=12),
                programme="techtrack",
                quotas=QUOTAS,
            ),
        )
        posted = _bid(engine, intake, departments, starts, rng)
        bids += len(posted)
        group = candidates[:160] if number == 0 else candidates[160:]
        made += _apply_candidates(engine, posted, group, rng)
        if number == 0:
            change_round(engine, None, intake, CohortAction.CLOSE)
            outcome = allocate_round(engine, None, intake, seed=seed)
            for index, key in enumerate(outcome.offered):
                accepted = index % 10 != 9
                act(engine, None, key, "accept" if accepted else "decline")
                placed += accepted
    return DemoIntakes(bids, len(candidates), made, placed)
