"""The demo workforce is written whole or not at all, consistent with itself, and replaceable."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import aliased

from mobilise.core.problems import InvalidInput
from mobilise.services.demo import WorkforceExists, generate_demo, workforce_is_empty
from mobilise.services.organisations import ensure_default_organisations
from mobilise.store.database import reading, transaction
from mobilise.store.models import Person, Position, SensitiveAttributes, SkillClaim

PEOPLE = 600


def _counts(engine: Engine) -> tuple[int, int, int, int]:
    with reading(engine) as session:
        return (
            session.scalar(select(func.count(Person.id))) or 0,
            session.scalar(select(func.count(Position.id))) or 0,
            session.scalar(select(func.count(SkillClaim.id))) or 0,
            session.scalar(select(func.count(SensitiveAttributes.person_id))) or 0,
        )


def test_writes_the_whole_workforce(engine: Engine) -> None:
    assert workforce_is_empty(engine)
    calls: list[tuple[int, int]] = []
    result = generate_demo(
        engine, people=PEOPLE, seed=5, progress=lambda done, total: calls.append((done, total))
    )
    assert not workforce_is_empty(engine)
    everyone = result.people + result.leavers
    assert result.people == PEOPLE
    assert _counts(engine) == (everyone, result.positions, result.claims, everyone)
    assert calls[-1][0] == calls[-1][1] == everyone * 2 + result.positions + result.claims
    with reading(engine) as session:
        keys = session.scalars(select(Person.key).order_by(Person.key).limit(2)).all()
        assert keys == ["demo-000001", "demo-000002"]
        in_post = session.scalar(select(func.count(Person.id)).where(Person.left_on.is_(None)))
        assert in_post == PEOPLE
        first = session.scalars(select(Person).where(Person.key == "demo-000001")).one()
        assert first.display_name
        assert first.email == "demo-000001@example.invalid"
        assert first.grade
        assert first.region


def test_managers_work_in_the_same_organisation_and_validate_claims(engine: Engine) -> None:
    generate_demo(engine, people=PEOPLE, seed=6)
    manager = aliased(Person)
    with reading(engine) as session:
        pairs = session.execute(
            select(Person.organisation_id, manager.organisation_id, manager.left_on).join(
                manager, manager.id == Person.manager_id
            )
        ).all()
        assert len(pairs) > PEOPLE * 0.8
        assert all(mine == theirs and left is None for mine, theirs, left in pairs)
        validations = session.execute(
            select(SkillClaim.validated_by_id, Person.manager_id)
            .join(Person, Person.id == SkillClaim.person_id)
            .where(SkillClaim.source == "manager")
        ).all()
        assert validations
        assert all(by == boss for by, boss in validations)
        assert set(session.scalars(select(SkillClaim.source).distinct())) == {
            "self",
            "manager",
            "assessed",
        }


def test_sensitive_attributes_only_with_consent(engine: Engine) -> None:
    generate_demo(engine, people=PEOPLE, seed=7)
    with reading(engine) as session:
        rows = session.execute(
            select(
                SensitiveAttributes.consent,
                SensitiveAttributes.consented_on,
                SensitiveAttributes.sex,
                SensitiveAttributes.ethnic_group,
                SensitiveAttributes.disability,
                SensitiveAttributes.age_band,
            )
        ).all()
    consented = [r for r in rows if r[0]]
    assert 0.7 < len(consented) / len(rows) < 0.9
    assert all(isinstance(r[1], date) and None not in r[2:] for r in consented)
    assert all(r[1:] == (None,) * 5 for r in rows if not r[0])


def test_refuses_to_mix_with_existing_people(engine: Engine) -> None:
    generate_demo(engine, people=50, seed=1)
    before = _counts(engine)
    with pytest.raises(WorkforceExists, match="already holds"):
        generate_demo(engine, people=50, seed=2)
    assert _counts(engine) == before


def test_replace_swaps_demo_people_and_keeps_others(engine: Engine) -> None:
    generate_demo(engine, people=80, seed=1, history=False)
    with reading(engine) as session:
        first_names = session.scalars(select(Person.display_name).order_by(Person.key)).all()
        boss = session.scalars(select(Person.id).where(Person.key == "demo-000001")).one()
    with transaction(engine) as session:
        session.add(Person(key="real-1", display_name="Imported person", manager_id=boss))
    generate_demo(engine, people=80, seed=1, history=False, replace=True)
    with reading(engine) as session:
        again = session.scalars(
            select(Person.display_name).where(Person.key.like("demo-%")).order_by(Person.key)
        ).all()
        kept = session.scalars(select(Person).where(Person.key == "real-1")).one()
        assert kept.manager_id is None
    assert again == first_names  # the same seed gives the same people
    assert _counts(engine)[0] == 81


def test_a_failure_mid_write_leaves_no_people(engine: Engine) -> None:
    ensure_default_organisations(engine)

    def fail_once_claims_are_written(done: int, total: int) -> None:
        if done > total // 2:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        generate_demo(engine, people=300, seed=3, progress=fail_once_claims_are_written)
    assert _counts(engine) == (0, 0, 0, 0)
    assert workforce_is_empty(engine)


@pytest.mark.parametrize(
    ("people", "claims", "column"),
    [(-1, 8.0, "people"), (10, -1.0, "claims_per_person"), (10, float("inf"), "claims_per_person")],
)
def test_bad_options_are_refused(engine: Engine, people: int, claims: float, column: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        generate_demo(engine, people=people, seed=1, claims_per_person=claims)
    assert caught.value.problems[0].column == column
    assert workforce_is_empty(engine)


def test_without_history_each_person_has_one_current_position(engine: Engine) -> None:
    result = generate_demo(engine, people=200, seed=9, history=False, claims_per_person=3)
    assert result.leavers == 0
    assert result.positions == 200
    with reading(engine) as session:
        ended = session.scalar(select(func.count(Position.id)).where(Position.ended_on.isnot(None)))
        assert ended == 0
