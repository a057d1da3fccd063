"""The team matrix: members, skill columns, gaps to their role levels, CSV, and who may ask."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, update

from mobilise.services.accounts import development_sign_in
from mobilise.services.audit import NotPermitted
from mobilise.services.team_capability import team_matrix, team_matrix_csv
from mobilise.store.database import transaction
from mobilise.store.models import Person, RoleLevelRecord, RoleLevelSkill
from tests.support.workforce import Workforce, add_workforce


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


def test_gaps_to_the_role_levels_the_team_holds(engine: Engine, workforce: Workforce) -> None:
    with transaction(engine) as session:
        level_id, level_name = session.execute(
            select(RoleLevelRecord.id, RoleLevelRecord.name)
            .join(RoleLevelSkill, RoleLevelSkill.role_level_id == RoleLevelRecord.id)
            .order_by(RoleLevelRecord.id)
            .limit(1)
        ).one()
        required = len(
            session.scalars(
                select(RoleLevelSkill.skill_id).where(RoleLevelSkill.role_level_id == level_id)
            ).all()
        )
        session.execute(
            update(Person).where(Person.key.in_(["lead", "analyst"])).values(role_level_id=level_id)
        )
    boss = development_sign_in(engine, "boss", [])

    matrix = team_matrix(engine, boss, whole_line=True)

    assert [m.key for m in matrix.members] == ["analyst", "boss", "lead"]
    assert len(matrix.skills) >= required
    ((name, people, short, levels),) = matrix.role_level_gaps
    assert (name, people) == (level_name, 2)
    assert short == 2
    assert levels > 0
    assert all(m.gap_to_own_role_level for m in matrix.members if m.key != "boss")
    csv_text = team_matrix_csv(matrix)
    assert csv_text.count("\r\n") == 4


def test_only_managers_have_a_team(engine: Engine, workforce: Workforce) -> None:
    with pytest.raises(NotPermitted):
        team_matrix(engine, development_sign_in(engine, "analyst", []))
