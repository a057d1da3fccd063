"""Skills supply and demand: every published figure is the true one, computed here independently
from the store with the profile rules; suppressed ones are those the cross-table hides."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select

from mobilise.core.profiles.precedence import derive_profile
from mobilise.services.actors import command_line_actor
from mobilise.services.analytics.skills import skill_gaps
from mobilise.services.profiles import claim_facts
from mobilise.store.database import reading
from mobilise.store.models import Person, RoleLevelSkill, SkillRecord


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
