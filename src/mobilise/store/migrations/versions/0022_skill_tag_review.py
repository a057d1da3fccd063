"""Learning items' skill tags are reviewed (confirmed or rejected); opportunities get suggested
skills

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-23 18:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("learning_item_tag", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=20), server_default="inferred", nullable=False)
        )
        batch_op.add_column(sa.Column("reviewed_by", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("added_skills", sa.Text(), server_default="", nullable=False))
        batch_op.create_check_constraint(
            "status", "status IN ('inferred', 'confirmed', 'rejected')"
        )

    op.create_table(
        "opportunity_skill_suggestion",
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("esco_key", sa.String(length=200), nullable=False),
        sa.Column("esco_label", sa.String(length=300), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("suggested_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "span_start >= 0 AND span_end >= span_start",
            name=op.f("ck_opportunity_skill_suggestion_span"),
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_opportunity_skill_suggestion_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"],
            ["skill.id"],
            name=op.f("fk_opportunity_skill_suggestion_skill_id_skill"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "opportunity_id", "skill_id", name=op.f("pk_opportunity_skill_suggestion")
        ),
    )
    with op.batch_alter_table("opportunity_skill_suggestion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_opportunity_skill_suggestion_skill_id"), ["skill_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("opportunity_skill_suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunity_skill_suggestion_skill_id"))
    op.drop_table("opportunity_skill_suggestion")
    with op.batch_alter_table("learning_item_tag", schema=None) as batch_op:
        batch_op.drop_constraint("status", type_="check")
        batch_op.drop_column("added_skills")
        batch_op.drop_column("reviewed_at")
        batch_op.drop_column("reviewed_by")
        batch_op.drop_column("status")
