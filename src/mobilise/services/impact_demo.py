"""Demo history for programme impact: past, finished cohorts with a known (planted) effect.

Two programmes get a cohort that finished long enough ago for a year's follow-up: the AI
Accelerator's pilot cohort, whose participants gain PLANTED_UPLIFT levels on the programme's
target skills (the skills its modules teach) by three months after completion (six months after
they started) and keep it; and the senior leaders' pilot, a placebo with no uplift at all. Every
person in the participants' organisations, role levels and grades — participants and the people
like them who did not take part — is assessed on those skills at entry and 3, 6 and 12 months
after the cohort ended. Everyone's levels drift up with their group's own trend (so a naive
before/after comparison is biased and the difference in differences is needed), and participants
are chosen among the less skilled (so an after-only comparison is biased too). Levels are whole
numbers: a fractional expected level is rounded up with the probability of its fraction, so the
expected change is exactly the planted one — as long as no level passes the bottom (1) or the
top (4), which starting levels of 1 to 3 (participants 1 or 2) and small upward trends (at most
0.15 a follow-up) make sure of. tests/services/test_impact.py checks that the impact
service recovers the uplift within its stated interval and finds none for the placebo.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select

from mobilise.core.impact.calendar import months_after
from mobilise.core.programmes import ApplicationState, CohortState
from mobilise.store.database import transaction
from mobilise.store.models import (
    Application,
    Cohort,
    CohortItem,
    LearningItem,
    LearningItemSkill,
    Person,
    Programme,
    SkillClaim,
)

# The planted effect: levels gained on each target skill by three months after completion.
PLANTED_UPLIFT = 0.8
FOLLOW_UPS = (3, 6, 12)  # months after the cohort ended
TOP_LEVEL = 4
CLAIM_SOURCE = "assessed"


@dataclass(frozen=True)
class PastCohort:
    programme: str
    key: str
    name: str
    module: tuple[str, ...]
    uplift: float


PAST_COHORTS = (
    PastCohort(
        "ai-accelerator",
        "ai-accelerator-pilot",
        "AI Accelerator pilot cohort",
        ("aia-ethics", "aia-ml-engineering", "aia-hackathon"),
        PLANTED_UPLIFT,
    ),
    PastCohort(
        "digital-leaders",
        "digital-leaders-pilot",
        "Digital leaders pilot (placebo: no planted effect)",
        ("leaders-digital-strategy",),
        0.0,
    ),
)


def _level(expected: float, rng: random.Random) -> int:
    whole = int(expected // 1)
    level = whole + (rng.random() < expected - whole)
    return max(1, min(TOP_LEVEL, level))


def generate_impact_history(
    engine: Engine,
    *,
    seed: int,
    today: date | None = None,
    participants: int = 40,
    cohorts: Sequence[PastCohort] = PAST_COHORTS,
    smallest_group: int = 6,
) -> int:
    """Add the past cohorts and their assessments; returns how many participants they had.

    Needs the demo programmes (services/programme_demo.py); a programme that is missing is
    skipped, and a cohort already stored is left as it is."""
    rng = random.Random(seed)
    day = today or date.today()
    starts = months_after(day, -20)
    ends = starts + timedelta(weeks=12) - timedelta(days=1)
    now = datetime.now(UTC)
    taken: set[int] = set()
    made = 0
    with transaction(engine) as session:
        for past in cohorts:
            programme = session.scalar(select(Programme).where(Programme.key == past.programme))
            if programme is None or session.scalar(select(Cohort.id).where(Cohort.key == past.key)):
                continue
            cohort = Cohort(
                key=past.key,
                programme_id=programme.id,
                name=past.name,
                starts_on=starts,
                ends_on=ends,
                capacity=participants,
                eligibility="{}",
                stages=json.dumps([{"name": "Pilot", "weeks": 12}]),
                state=CohortState.FINISHED.value,
                created_at=now,
            )
            session.add(cohort)
            session.flush()
            items = session.execute(
                select(LearningItem.id, LearningItemSkill.skill_id)
                .join(LearningItemSkill, LearningItemSkill.item_id == LearningItem.id)
                .where(LearningItem.key.in_(past.module))
                .order_by(LearningItem.id)
            ).all()
            for position, item_id in enumerate(dict.fromkeys(i for i, _ in items)):
                session.add(
                    CohortItem(
                        cohort_id=cohort.id, item_id=item_id, mandatory=True, position=position
                    )
                )
            skills = sorted({s for _, s in items})
            # People at entry: those in post then, by organisation, role level and grade.
            strata: dict[tuple[int | None, int | None, str | None], list[int]] = defaultdict(list)
            for person_id, organisation_id, role_level_id, grade in session.execute(
                select(Person.id, Person.organisation_id, Person.role_level_id, Person.grade)
                .where(
                    Person.organisation_id.is_not(None),
                    Person.started_on.is_(None) | (Person.started_on <= starts),
                    Person.left_on.is_(None),
                )
                .order_by(Person.id)
            ).all():
                if person_id not in taken:
                    strata[(organisation_id, role_level_id, grade)].append(person_id)
            groups = [g for g in strata.values() if len(g) >= smallest_group]
            rng.shuffle(groups)
            chosen: list[int] = []
            pool: list[int] = []
            for group in groups:
                if len(chosen) >= participants:
                    break
                pool.extend(group)
                chosen.extend(rng.sample(group, max(1, len(group) // 4)))
            chosen = chosen[:participants]
            taken.update(pool)
            trends = {g: rng.uniform(0.0, 0.1) for g in range(len(groups))}
            group_of = {p: g for g, group in enumerate(groups) for p in group}
            for index, person_id in enumerate(chosen):
                session.add(
                    Application(
                        key=f"{past.key}-{index:03d}",
                        cohort_id=cohort.id,
                        person_id=person_id,
                        statement="Pilot participant (demo history).",
                        state=ApplicationState.COMPLETED.value,
                        submitted_at=now,
                        updated_at=now,
                    )
                )
            participating = set(chosen)
            for person_id in pool:
                took_part = person_id in participating
                trend = trends[group_of[person_id]]
                for skill_id in skills:
                    # Participants start lower: the programme recruits those with most to learn.
                    start = rng.choice((1, 1, 2, 2) if took_part else (1, 2, 2, 3))
                    session.add(
                        SkillClaim(
                            person_id=person_id,
                            skill_id=skill_id,
                            level=start,
                            source=CLAIM_SOURCE,
                            evidence=f"Assessed at entry to {past.name} (demo history).",
                            claimed_on=starts - timedelta(days=7),
                        )
                    )
                    drift = 0.0
                    for months in FOLLOW_UPS:
                        drift += trend + rng.uniform(0.0, 0.05)
                        expected = start + drift + (past.uplift if took_part else 0.0)
                        session.add(
                            SkillClaim(
                                person_id=person_id,
                                skill_id=skill_id,
                                level=_level(expected, rng),
                                source=CLAIM_SOURCE,
                                evidence=f"Assessed {months} months after {past.name} ended "
                                "(demo history).",
                                claimed_on=months_after(ends, months),
                            )
                        )
            made += len(chosen)
    return made
