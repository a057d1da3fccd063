"""Migrations give the same schema as the models, on SQLite and PostgreSQL, up and down."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select

from mobilise.store import schema
from mobilise.store.database import reading
from mobilise.store.models import Base, SkillLevelRecord


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_database_is_at_the_newest_revision(engine: Engine) -> None:
    assert schema.current_revision(engine) == schema.head_revision(engine)


def test_skill_levels_are_seeded_in_order(engine: Engine) -> None:
    with reading(engine) as session:
        levels = session.execute(
            select(SkillLevelRecord.ordinal, SkillLevelRecord.name).order_by(
                SkillLevelRecord.ordinal
            )
        ).all()
    assert [tuple(row) for row in levels] == [
        (1, "awareness"),
        (2, "working"),
        (3, "practitioner"),
        (4, "expert"),
    ]


def test_downgrade_to_base_removes_every_table_and_upgrade_restores_them(engine: Engine) -> None:
    schema.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    schema.upgrade(engine)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


def test_a_database_is_behind_only_at_an_older_revision_of_this_release(engine: Engine) -> None:
    head = schema.head_revision(engine)
    assert not schema.is_behind(head, head)
    assert schema.is_behind(None, head)
    assert schema.is_behind("0001", head)
    # A revision this release has never heard of is a later release's (expand) migration.
    assert not schema.is_behind("9999_from_a_later_release", head)
