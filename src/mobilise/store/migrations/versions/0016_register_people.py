"""Register people search (opt-in) and register projects offered to programme cohorts

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-23 17:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "project_search_opt_in",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("opted_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_project_search_opt_in_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_project_search_opt_in")),
    )
    op.create_table(
        "cohort_project",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("offered_by", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort.id"],
            name=op.f("fk_cohort_project_cohort_id_cohort"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["ai_project.id"],
            name=op.f("fk_cohort_project_project_id_ai_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cohort_id", "project_id", name=op.f("pk_cohort_project")),
    )
    with op.batch_alter_table("cohort_project", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cohort_project_project_id"), ["project_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("cohort_project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_project_project_id"))
    op.drop_table("cohort_project")
    op.drop_table("project_search_opt_in")
