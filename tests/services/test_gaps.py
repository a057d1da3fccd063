"""Gaps, nearest role levels and career paths through the store, on the shipped framework."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from mobilise.core.problems import InvalidInput
from mobilise.services.accounts import development_sign_in
from mobilise.services.gaps import career_to, gap_to, nearest_to, role_levels_for
from mobilise.services.people import PersonNotFound
from mobilise.store.database import reading, transaction
from mobilise.store.models import Person, RoleLevelRecord, RoleRecord
from tests.support.workforce import Workforce, add_workforce


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


def _role_levels_of_one_role(engine: Engine) -> list[str]:
    """The levels of a role with at least three, most junior first."""
    with reading(engine) as session:
        for role_id in session.scalars(select(RoleRecord.id).order_by(RoleRecord.id)):
            keys = list(
                session.scalars(
                    select(RoleLevelRecord.key)
                    .where(RoleLevelRecord.role_id == role_id)
                    .order_by(RoleLevelRecord.level_order)
                )
            )
            if len(keys) >= 3:
                return keys
    raise AssertionError("the shipped framework has roles with three levels")


def test_the_gap_lists_every_required_skill_biggest_shortfall_first(
    engine: Engine, workforce: Workforce
) -> None:
    analyst = development_sign_in(engine, "analyst", [])
    target = _role_levels_of_one_role(engine)[1]

    gap = gap_to(engine, analyst, "analyst", target)

    assert gap.target.key == target
    assert gap.skills
    assert [v.shortfall for v in gap.skills] == sorted(
        (v.shortfall for v in gap.skills), reverse=True
    )
    assert gap.total == sum(
        int(v.required) - int(v.current or 0) for v in gap.skills if v.shortfall
    )
    assert all(v.how_sure in ("", "validated", "self-claimed only") for v in gap.skills)


def test_a_target_outside_the_framework_is_named(engine: Engine, workforce: Workforce) -> None:
    analyst = development_sign_in(engine, "analyst", [])

    with pytest.raises(InvalidInput) as raised:
        gap_to(engine, analyst, "analyst", "no-such-role-level")

    assert raised.value.problems[0].column == "target"


def test_nearest_role_levels_are_ranked_by_gap(engine: Engine, workforce: Workforce) -> None:
    analyst = development_sign_in(engine, "analyst", [])

    nearest = nearest_to(engine, analyst, "analyst", k=5)

    assert len(nearest) == 5
    assert [n.total for n in nearest] == sorted(n.total for n in nearest)
    assert len(role_levels_for(engine, analyst, "analyst")) > 100


def test_a_career_path_climbs_a_role(engine: Engine, workforce: Workforce) -> None:
    keys = _role_levels_of_one_role(engine)
    with transaction(engine) as session:
        person = session.scalars(select(Person).where(Person.key == "lead")).one()
        person.role_level_id = session.scalar(
            select(RoleLevelRecord.id).where(RoleLevelRecord.key == keys[0])
        )
    lead = development_sign_in(engine, "lead", [])

    path = career_to(engine, lead, "lead", keys[2])
    backwards = career_to(engine, lead, "lead", keys[0])

    assert path.reachable
    assert [s.to_level.key for s in path.steps][-1] == keys[2]
    assert path.steps[0].from_level.key == keys[0]
    assert path.total == sum(s.total for s in path.steps)
    assert backwards.steps == []
    with pytest.raises(InvalidInput):
        career_to(engine, development_sign_in(engine, "analyst", []), "analyst", keys[2])


def test_gaps_keep_to_tenancy(engine: Engine, workforce: Workforce) -> None:
    stranger = development_sign_in(engine, "stranger", [])

    with pytest.raises(PersonNotFound):
        gap_to(engine, stranger, "analyst", _role_levels_of_one_role(engine)[0])
