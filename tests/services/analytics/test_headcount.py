"""Headcount tables: the store's numbers, never a small count, only for analysts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services.actors import Actor, Role, command_line_actor
from mobilise.services.analytics.headcount import DIMENSIONS, headcount
from mobilise.services.analytics.statistics import SUPPRESSED, table_csv
from mobilise.services.audit import NotPermitted
from mobilise.store.database import reading
from mobilise.store.models import Person, SensitiveAttributes

ANALYST = Actor(account_id=7, display_name="Analyst", roles=frozenset({Role.ANALYST}))


def _in_post(engine: Engine, *conditions: object) -> int:
    with reading(engine) as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(Person)
                .where(Person.left_on.is_(None), *conditions)  # type: ignore[arg-type]
            )
            or 0
        )


def test_no_table_shows_a_count_below_the_threshold(demo_engine: Engine, warehouse: Path) -> None:
    for by in DIMENSIONS:
        table = headcount(demo_engine, ANALYST, by, path=warehouse, threshold=10)
        assert table.rows, by
        for row in [*table.rows, table.totals]:
            assert row is not None
            for figure, column in zip(row.figures, table.columns, strict=True):
                if column.kind == "count" and figure is not None:
                    assert figure == 0 or figure >= 10, (by, row.label, column.key, figure)


def test_totals_are_the_people_in_post(demo_engine: Engine, warehouse: Path) -> None:
    table = headcount(demo_engine, ANALYST, "grade", path=warehouse)
    assert table.totals is not None
    ddat, _other, everyone, share = table.totals.figures
    assert everyone == _in_post(demo_engine)
    assert ddat == _in_post(demo_engine, Person.role_level_id.is_not(None))
    assert share == pytest.approx(ddat / everyone)
    shown = [row for row in table.rows if row.figures[2] is not None]
    assert shown, "some grades are large enough to show"
    for row in shown:
        assert row.figures[2] == _in_post(demo_engine, Person.grade == row.key)


def test_sensitive_attributes_count_only_people_who_consented(
    demo_engine: Engine, warehouse: Path
) -> None:
    table = headcount(demo_engine, ANALYST, "sex", path=warehouse)
    with reading(demo_engine) as session:
        consenting = session.scalar(
            select(func.count())
            .select_from(SensitiveAttributes)
            .join(Person, Person.id == SensitiveAttributes.person_id)
            .where(
                SensitiveAttributes.consent.is_(True),
                SensitiveAttributes.sex.is_not(None),
                Person.left_on.is_(None),
            )
        )
    assert table.totals is not None
    assert table.totals.figures[2] == consenting < _in_post(demo_engine)
    assert any("consented" in note for note in table.notes)


def test_csv_marks_suppressed_figures(demo_engine: Engine, warehouse: Path) -> None:
    table = headcount(demo_engine, command_line_actor(), "role_level", path=warehouse)
    assert table.suppressed > 0
    text = table_csv(table)
    assert text.splitlines()[0] == "Role level,People in DDaT roles"
    assert SUPPRESSED in text


def test_people_without_an_analyst_role_are_refused(demo_engine: Engine, warehouse: Path) -> None:
    person = Actor(account_id=8, display_name="P", roles=frozenset({Role.PERSON}))
    with pytest.raises(NotPermitted):
        headcount(demo_engine, person, "grade", path=warehouse)


def test_an_unknown_dimension_is_refused_by_name(demo_engine: Engine, warehouse: Path) -> None:
    with pytest.raises(InvalidInput, match="column 'by': value 'shoe_size'"):
        headcount(demo_engine, ANALYST, "shoe_size", path=warehouse)
