"""Allocation runs in the web service: the organisation a run belongs to

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 15:00:00

A run created in the web service belongs to the organisation whose programme admins made it:
they list and read it, and nobody else but service admins does. Runs stored before, or by the
command line, belong to none (service admins only).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("allocation_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_allocation_run_organisation_id_organisation"),
            "organisation",
            ["organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            batch_op.f("ix_allocation_run_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("allocation_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocation_run_organisation_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_allocation_run_organisation_id_organisation"), type_="foreignkey"
        )
        batch_op.drop_column("organisation_id")
