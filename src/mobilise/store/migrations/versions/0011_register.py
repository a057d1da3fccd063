"""The AI project register: projects with their ATRS record (JSON), finder facet values, needed
skills and links

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 16:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ai_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("phase", sa.String(length=30), nullable=True),
        sa.Column("team", sa.String(length=300), nullable=True),
        sa.Column("users", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("source_url", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "phase IS NULL OR phase IN ('pre-deployment', 'beta-pilot', 'private-beta', "
            "'public-beta', 'production', 'retired')",
            name=op.f("ck_ai_project_phase"),
        ),
        sa.CheckConstraint("status IN ('draft', 'published')", name=op.f("ck_ai_project_status")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_ai_project_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_project")),
        sa.UniqueConstraint("key", name=op.f("uq_ai_project_key")),
    )
    with op.batch_alter_table("ai_project", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ai_project_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ai_project_phase"), ["phase"], unique=False)
        batch_op.create_index(batch_op.f("ix_ai_project_status"), ["status"], unique=False)

    op.create_table(
        "ai_project_facet",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("facet", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["ai_project.id"],
            name=op.f("fk_ai_project_facet_project_id_ai_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", "facet", "value", name=op.f("pk_ai_project_facet")),
    )
    with op.batch_alter_table("ai_project_facet", schema=None) as batch_op:
        batch_op.create_index("ix_ai_project_facet_facet_value", ["facet", "value"], unique=False)

    op.create_table(
        "ai_project_link",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["ai_project.id"],
            name=op.f("fk_ai_project_link_project_id_ai_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", "position", name=op.f("pk_ai_project_link")),
    )

    op.create_table(
        "ai_project_skill",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["level"],
            ["skill_level.ordinal"],
            name=op.f("fk_ai_project_skill_level_skill_level"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["ai_project.id"],
            name=op.f("fk_ai_project_skill_project_id_ai_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"],
            ["skill.id"],
            name=op.f("fk_ai_project_skill_skill_id_skill"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("project_id", "skill_id", name=op.f("pk_ai_project_skill")),
    )
    with op.batch_alter_table("ai_project_skill", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ai_project_skill_skill_id"), ["skill_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ai_project_skill", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ai_project_skill_skill_id"))
    op.drop_table("ai_project_skill")
    op.drop_table("ai_project_link")
    with op.batch_alter_table("ai_project_facet", schema=None) as batch_op:
        batch_op.drop_index("ix_ai_project_facet_facet_value")
    op.drop_table("ai_project_facet")
    with op.batch_alter_table("ai_project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ai_project_status"))
        batch_op.drop_index(batch_op.f("ix_ai_project_phase"))
        batch_op.drop_index(batch_op.f("ix_ai_project_organisation_id"))
    op.drop_table("ai_project")
