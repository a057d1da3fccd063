"""Bulk appends write exactly the rows given, typed as the ORM reads them, in one transaction."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from mobilise.store.bulk import advance_identity, append_rows
from mobilise.store.database import reading, transaction
from mobilise.store.models import Base, Organisation, Person, SensitiveAttributes

PEOPLE = Base.metadata.tables["person"]
SENSITIVE = Base.metadata.tables["sensitive_attributes"]

PERSON_COLUMNS = ("id", "key", "display_name", "organisation_id", "grade", "started_on", "left_on")


def _organisation(engine: Engine) -> int:
    with transaction(engine) as session:
        organisation = Organisation(key="o", name="O", kind="department", region="London")
        session.add(organisation)
        session.flush()
        return organisation.id


def _people(organisation_id: int, count: int, first_id: int = 1) -> list[tuple[object, ...]]:
    return [
        (
            first_id + i,
            f"p-{first_id + i}",
            f"Person {i}",
            organisation_id,
            "HEO",
            # Dates as date objects and as ISO strings, as generated data passes them.
            date(2020, 1, 1 + i % 28) if i % 2 else f"2021-02-{1 + i % 28:02d}",
            None if i % 3 else date(2024, 12, 31),
        )
        for i in range(count)
    ]


def test_rows_read_back_as_written(engine: Engine) -> None:
    organisation_id = _organisation(engine)
    rows = _people(organisation_id, 10)
    seen: list[int] = []
    with engine.begin() as connection:
        written = append_rows(
            connection,
            PEOPLE,
            PERSON_COLUMNS,
            iter(rows),
            chunk_rows=3,
            progress=seen.append,
        )
        append_rows(
            connection,
            SENSITIVE,
            ("person_id", "consent", "consented_on", "sex"),
            [(1, True, date(2022, 5, 6), "Female"), (2, False, None, None)],
        )
    assert written == 10
    assert seen == [3, 3, 3, 1]
    with reading(engine) as session:
        people = session.scalars(select(Person).order_by(Person.id)).all()
        assert [p.key for p in people] == [f"p-{i}" for i in range(1, 11)]
        assert people[0].started_on == date(2021, 2, 1)
        assert people[1].started_on == date(2020, 1, 2)
        assert people[0].left_on == date(2024, 12, 31)
        assert people[1].left_on is None
        attributes = session.scalars(
            select(SensitiveAttributes).order_by(SensitiveAttributes.person_id)
        ).all()
        assert [(a.consent, a.consented_on, a.sex) for a in attributes] == [
            (True, date(2022, 5, 6), "Female"),
            (False, None, None),
        ]


def test_a_failed_transaction_leaves_nothing(engine: Engine) -> None:
    organisation_id = _organisation(engine)

    def append_then_fail() -> None:
        with engine.begin() as connection:
            append_rows(connection, PEOPLE, PERSON_COLUMNS, _people(organisation_id, 5))
            raise RuntimeError("later step failed")

    with pytest.raises(RuntimeError):
        append_then_fail()
    with reading(engine) as session:
        assert session.scalar(select(func.count(Person.id))) == 0


def test_a_bad_row_aborts_the_append(engine: Engine) -> None:
    organisation_id = _organisation(engine)
    rows = _people(organisation_id, 4) + _people(organisation_id, 1)  # a duplicate id
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"), engine.begin() as connection:
        append_rows(connection, PEOPLE, PERSON_COLUMNS, rows)
    with reading(engine) as session:
        assert session.scalar(select(func.count(Person.id))) == 0


def test_unknown_columns_are_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="no column"), engine.begin() as connection:
        append_rows(connection, PEOPLE, ("id", "shoe_size"), [(1, 42)])


def test_ids_continue_after_explicit_ones(engine: Engine) -> None:
    organisation_id = _organisation(engine)
    with engine.begin() as connection:
        append_rows(connection, PEOPLE, PERSON_COLUMNS, _people(organisation_id, 3, 100))
        advance_identity(connection, PEOPLE)
    with transaction(engine) as session:
        person = Person(key="next", display_name="Next")
        session.add(person)
        session.flush()
        assert person.id == 103
