"""Register editor and data-ethics self-assessment: a project's kind (project or challenge), the
editor's sections marked complete, and the self-assessment's cells

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 17:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ai_project", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="project")
        )
        batch_op.add_column(
            sa.Column("completed_sections", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.create_check_constraint("kind", "kind IN ('project', 'challenge')")

    op.create_table(
        "ai_project_ethics",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("principle", sa.String(length=40), nullable=False),
        sa.Column("activity", sa.String(length=60), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "score IS NULL OR score BETWEEN 0 AND 3", name=op.f("ck_ai_project_ethics_score")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["ai_project.id"],
            name=op.f("fk_ai_project_ethics_project_id_ai_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "project_id", "principle", "activity", name=op.f("pk_ai_project_ethics")
        ),
    )


def downgrade() -> None:
    op.drop_table("ai_project_ethics")
    with op.batch_alter_table("ai_project", schema=None) as batch_op:
        batch_op.drop_constraint("kind", type_="check")
        batch_op.drop_column("completed_sections")
        batch_op.drop_column("kind")
