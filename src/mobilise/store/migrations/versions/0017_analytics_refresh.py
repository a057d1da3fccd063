"""Analytics: an outbox of people whose facts changed in place, kept by triggers

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-23 17:45:00

The warehouse finds new rows by id (a claim, person or position with a larger id than it has
read). Rows changed in place — a claim's level edited, a claim validated, rejected, withdrawn or
deleted, a person leaving or moving, a position ended, consent withdrawn — keep their ids, so
triggers note the person each such change concerns in `analytics_change`; the incremental
refresh reads the entries after its own mark. Triggers, not application code, because claims are
written by many services and by bulk upserts (ON CONFLICT DO UPDATE fires update triggers on both
SQLite and PostgreSQL), and a change any of them missed would be a silently stale statistic.
Updates touching only other columns (a validator's id, evidence, a display name) note nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table: (the column naming the person, the columns the warehouse reads from it)
WATCHED = {
    "skill_claim": (
        "person_id",
        ("person_id", "skill_id", "level", "source", "status", "claimed_on", "expires_on"),
    ),
    "person": ("id", ("organisation_id", "region", "grade", "role_level_id", "left_on")),
    "position": (
        "person_id",
        ("person_id", "organisation_id", "role_level_id", "started_on", "ended_on"),
    ),
    "sensitive_attributes": (
        "person_id",
        ("consent", "sex", "ethnic_group", "disability", "age_band"),
    ),
}


def _sqlite_triggers(table: str, person: str, columns: tuple[str, ...]) -> list[str]:
    note = "INSERT INTO analytics_change (entity, person_id)"
    return [
        f"""CREATE TRIGGER analytics_{table}_updated AFTER UPDATE OF {", ".join(columns)}
            ON {table} BEGIN
                {note} VALUES ('{table}', NEW.{person});
                {note} SELECT '{table}', OLD.{person} WHERE OLD.{person} <> NEW.{person};
            END""",
        f"""CREATE TRIGGER analytics_{table}_deleted AFTER DELETE ON {table} BEGIN
                {note} VALUES ('{table}', OLD.{person});
            END""",
    ]


POSTGRES_FUNCTION = """
CREATE FUNCTION analytics_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    person_column text := TG_ARGV[1];
    before bigint;
    after bigint;
BEGIN
    before := (to_jsonb(OLD) ->> person_column)::bigint;
    INSERT INTO analytics_change (entity, person_id) VALUES (TG_ARGV[0], before);
    IF TG_OP = 'UPDATE' THEN
        after := (to_jsonb(NEW) ->> person_column)::bigint;
        IF after IS DISTINCT FROM before THEN
            INSERT INTO analytics_change (entity, person_id) VALUES (TG_ARGV[0], after);
        END IF;
    END IF;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "analytics_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_change")),
        sqlite_autoincrement=True,
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table, (person, columns) in WATCHED.items():
            for statement in _sqlite_triggers(table, person, columns):
                op.execute(statement)
    else:
        op.execute(POSTGRES_FUNCTION)
        for table, (person, columns) in WATCHED.items():
            op.execute(
                f"CREATE TRIGGER analytics_{table}_changed "
                f"AFTER UPDATE OF {', '.join(columns)} OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION analytics_note_change('{table}', '{person}')"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in WATCHED:
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS analytics_{table}_updated")
            op.execute(f"DROP TRIGGER IF EXISTS analytics_{table}_deleted")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS analytics_{table}_changed ON {table}")
    if dialect != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS analytics_note_change()")
    # IF EXISTS: a database migrated while 0017 was still an empty placeholder has none, and
    # downgrading it to 0016 and upgrading again is how it gets them.
    op.execute("DROP TABLE IF EXISTS analytics_change")
