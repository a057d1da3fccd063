"""The guidance hub: guidance items with the project phases and kinds they apply to

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-23 17:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "guidance_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("publisher", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("phases", sa.JSON(), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["guidance_item.id"],
            name=op.f("fk_guidance_item_superseded_by_id_guidance_item"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guidance_item")),
        sa.UniqueConstraint("key", name=op.f("uq_guidance_item_key")),
    )
    with op.batch_alter_table("guidance_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_guidance_item_superseded_by_id"), ["superseded_by_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("guidance_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guidance_item_superseded_by_id"))
    op.drop_table("guidance_item")
