"""Programme impact: benefits and savings claimed by AI projects in the register

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-23 17:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "project_benefit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("evidence_url", sa.String(length=1000), nullable=True),
        sa.Column("recorded_by", sa.String(length=300), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('cash_saving', 'time_saving', 'cost_avoidance', 'income', 'other')",
            name=op.f("ck_project_benefit_kind"),
        ),
        sa.CheckConstraint("amount_pence > 0", name=op.f("ck_project_benefit_amount_positive")),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_project_benefit_period_order")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["ai_project.id"],
            name=op.f("fk_project_benefit_project_id_ai_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_benefit")),
    )
    with op.batch_alter_table("project_benefit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_benefit_project_id"), ["project_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("project_benefit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_benefit_project_id"))
    op.drop_table("project_benefit")
