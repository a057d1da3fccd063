"""Skills supply and demand: every published figure is the true one, computed here independently
from the store with the profile rules; suppressed ones are those the cross-table hides."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, select

from mobilise.core.profiles.precedence import derive_profile
from mobilise.services.actors import command_line_actor
from mobilise.services.analytics.skills import skill_gaps
from mobilise.services.profiles import claim_facts
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    MarketplaceRound,
    Opportunity,
    OpportunitySkill,
    Organisation,
    Person,
    RoleLevelSkill,
    SkillRecord,
)


def test_published_figures_are_the_true_counts(demo_engine: Engine, warehouse: Path) -> None:
    table = skill_gaps(demo_engine, command_line_actor(), path=warehouse, threshold=10)
    with reading(demo_engine) as session:
        people = dict(
            session.execute(
                select(Person.id, Person.role_level_id).where(Person.left_on.is_(None))
            ).all()
        )
        requirements: dict[int, dict[int, int]] = {}
        for level_id, skill_id, level in session.execute(
            select(RoleLevelSkill.role_level_id, RoleLevelSkill.skill_id, RoleLevelSkill.level)
        ):
            requirements.setdefault(level_id, {})[skill_id] = level
        facts = claim_facts(session, list(people))
        keys = dict(session.execute(select(SkillRecord.id, SkillRecord.key)).all())
    required: Counter[str] = Counter()
    short: Counter[str] = Counter()
    supply: Counter[tuple[str, int]] = Counter()
    for person, role_level in people.items():
        levels = derive_profile(facts.get(person, []), date.today()).levels()
        for skill, level in levels.items():
            for least in range(1, level + 1):
                supply[(keys[skill], least)] += 1
        for skill, level in requirements.get(role_level, {}).items():
            required[keys[skill]] += 1
            short[keys[skill]] += levels.get(skill, 0) < level
    shown = 0
    for row in table.rows:
        figures = dict(zip((c.key for c in table.columns), row.figures, strict=True))
        expected = {
            "required": required[row.key],
            "short": short[row.key],
            **{f"supply_{name}": supply[(row.key, k + 1)] for k, name in enumerate(
                ("awareness", "working", "practitioner", "expert")
            )},
        }  # fmt: skip
        for column, value in expected.items():
            if figures[column] is not None:
                assert figures[column] == value, (row.key, column)
                shown += 1
    assert shown > len(table.rows)  # most figures are large enough to show
    assert table.suppressed > 0


def test_open_opportunities_places_count_as_demand(demo_engine: Engine, warehouse: Path) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with transaction(demo_engine) as session:
        organisation = session.scalar(select(Organisation.id).limit(1))
        skill = session.scalars(select(SkillRecord).order_by(SkillRecord.id).limit(1)).one()
        assert organisation is not None
        for state, capacity in (("open", 3), ("closed", 5)):
            round_ = MarketplaceRound(
                key=f"round-{state}",
                name=state,
                organisation_id=organisation,
                state=state,
                created_at=now,
            )
            session.add(round_)
            session.flush()
            opportunity = Opportunity(
                key=f"opp-{state}",
                round_id=round_.id,
                organisation_id=organisation,
                kind="loan",
                title="A loan",
                starts_on=date(2026, 3, 1),
                ends_on=date(2026, 9, 1),
                capacity=capacity,
                created_at=now,
            )
            session.add(opportunity)
            session.flush()
            session.add(OpportunitySkill(opportunity_id=opportunity.id, skill_id=skill.id, level=3))
        key = skill.key
    table = skill_gaps(demo_engine, command_line_actor(), path=warehouse)
    (row,) = [r for r in table.rows if r.key == key]
    assert table.figure(row, "places") == 3  # the closed round's five places are not demand
