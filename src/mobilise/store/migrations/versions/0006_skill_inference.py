"""Skill inference: ESCO skills, crosswalk and inferred suggestions

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 14:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "learning_item_tag",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("esco_key", sa.String(length=200), nullable=False),
        sa.Column("esco_label", sa.String(length=300), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("tagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "span_start >= 0 AND span_end >= span_start", name=op.f("ck_learning_item_tag_span")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["learning_item.id"],
            name=op.f("fk_learning_item_tag_item_id_learning_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "esco_key", name=op.f("pk_learning_item_tag")),
    )
    with op.batch_alter_table("learning_item_tag", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_learning_item_tag_esco_key"), ["esco_key"], unique=False
        )

    op.create_table(
        "skill_change_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_version_id", sa.Integer(), nullable=False),
        sa.Column("esco_key", sa.String(length=200), nullable=False),
        sa.Column("esco_label", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sightings", sa.Integer(), nullable=False),
        sa.Column("best_score", sa.Float(), nullable=False),
        sa.Column("example", sa.String(length=500), nullable=False),
        sa.Column("example_source", sa.String(length=300), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=300), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'accepted', 'declined')",
            name=op.f("ck_skill_change_request_status"),
        ),
        sa.CheckConstraint("sightings >= 1", name=op.f("ck_skill_change_request_sightings")),
        sa.ForeignKeyConstraint(
            ["framework_version_id"],
            ["framework_version.id"],
            name=op.f("fk_skill_change_request_framework_version_id_framework_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_change_request")),
        sa.UniqueConstraint(
            "framework_version_id",
            "esco_key",
            name=op.f("uq_skill_change_request_framework_version_id_esco_key"),
        ),
    )

    op.create_table(
        "skill_crosswalk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_version_id", sa.Integer(), nullable=False),
        sa.Column("esco_key", sa.String(length=200), nullable=False),
        sa.Column("esco_label", sa.String(length=300), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=300), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "source IN ('computed', 'reviewed')", name=op.f("ck_skill_crosswalk_source")
        ),
        sa.CheckConstraint("score >= 0 AND score <= 1", name=op.f("ck_skill_crosswalk_score")),
        sa.ForeignKeyConstraint(
            ["framework_version_id"],
            ["framework_version.id"],
            name=op.f("fk_skill_crosswalk_framework_version_id_framework_version"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"],
            ["skill.id"],
            name=op.f("fk_skill_crosswalk_skill_id_skill"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_crosswalk")),
        sa.UniqueConstraint(
            "skill_id", "esco_key", name=op.f("uq_skill_crosswalk_skill_id_esco_key")
        ),
    )
    with op.batch_alter_table("skill_crosswalk", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_skill_crosswalk_skill_id"), ["skill_id"], unique=False)
        batch_op.create_index(
            "ix_skill_crosswalk_version_esco", ["framework_version_id", "esco_key"], unique=False
        )

    op.create_table(
        "inferred_claim_evidence",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("esco_key", sa.String(length=200), nullable=False),
        sa.Column("esco_label", sa.String(length=300), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("document", sa.String(length=40), nullable=False),
        sa.Column("text_digest", sa.String(length=64), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("span_text", sa.String(length=500), nullable=False),
        sa.Column("inferred_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "span_start >= 0 AND span_end >= span_start",
            name=op.f("ck_inferred_claim_evidence_span"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["skill_claim.id"],
            name=op.f("fk_inferred_claim_evidence_claim_id_skill_claim"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("claim_id", "esco_key", name=op.f("pk_inferred_claim_evidence")),
    )


def downgrade() -> None:
    op.drop_table("inferred_claim_evidence")
    with op.batch_alter_table("skill_crosswalk", schema=None) as batch_op:
        batch_op.drop_index("ix_skill_crosswalk_version_esco")
        batch_op.drop_index(batch_op.f("ix_skill_crosswalk_skill_id"))
    op.drop_table("skill_crosswalk")
    op.drop_table("skill_change_request")
    with op.batch_alter_table("learning_item_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_item_tag_esco_key"))
    op.drop_table("learning_item_tag")
