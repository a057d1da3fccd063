"""The opportunity marketplace: rounds (a programme's intake, with quotas), opportunities (an
apprenticeship's role), required skills, saved opportunities, applications to opportunities (the
owners' score) and their transitions

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 15:23:30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "marketplace_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("applications_close_on", sa.Date(), nullable=True),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("quotas", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("allocation_run_key", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('open', 'closed', 'offers_published', 'running', 'finished')",
            name=op.f("ck_marketplace_round_state"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_marketplace_round_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_marketplace_round_programme_id_programme"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_round")),
        sa.UniqueConstraint("key", name=op.f("uq_marketplace_round_key")),
    )
    with op.batch_alter_table("marketplace_round", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_round_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_round_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "opportunity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=60), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('secondment_in', 'secondment_out', 'loan', 'project_role', "
            "'short_assignment', 'mentoring', 'apprenticeship')",
            name=op.f("ck_opportunity_kind"),
        ),
        sa.CheckConstraint("capacity >= 0", name=op.f("ck_opportunity_capacity")),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_opportunity_dates")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_opportunity_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["marketplace_round.id"],
            name=op.f("fk_opportunity_round_id_marketplace_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity")),
        sa.UniqueConstraint("key", name=op.f("uq_opportunity_key")),
    )
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_opportunity_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_opportunity_round_id"), ["round_id"], unique=False)

    op.create_table(
        "opportunity_skill",
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["level"], ["skill_level.ordinal"], name=op.f("fk_opportunity_skill_level_skill_level")
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_opportunity_skill_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"],
            ["skill.id"],
            name=op.f("fk_opportunity_skill_skill_id_skill"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("opportunity_id", "skill_id", name=op.f("pk_opportunity_skill")),
    )
    with op.batch_alter_table("opportunity_skill", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_opportunity_skill_skill_id"), ["skill_id"], unique=False
        )

    op.create_table(
        "saved_opportunity",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_saved_opportunity_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_saved_opportunity_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "opportunity_id", name=op.f("pk_saved_opportunity")),
    )
    with op.batch_alter_table("saved_opportunity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_saved_opportunity_opportunity_id"), ["opportunity_id"], unique=False
        )

    op.create_table(
        "opportunity_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("preference", sa.Integer(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("shared_parts", sa.String(length=200), nullable=False),
        sa.Column("share_granted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("share_revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fit", sa.Float(), nullable=True),
        sa.Column("owner_score", sa.Float(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('awaiting_release', 'released', 'offered', 'waiting_list', 'not_selected', "
            "'accepted', 'declined', 'withdrawn', 'completed', 'left')",
            name=op.f("ck_opportunity_application_state"),
        ),
        sa.CheckConstraint("preference >= 1", name=op.f("ck_opportunity_application_preference")),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["person.id"],
            name=op.f("fk_opportunity_application_manager_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_opportunity_application_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_opportunity_application_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["position.id"],
            name=op.f("fk_opportunity_application_position_id_position"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity_application")),
        sa.UniqueConstraint("key", name=op.f("uq_opportunity_application_key")),
        sa.UniqueConstraint(
            "opportunity_id",
            "person_id",
            name=op.f("uq_opportunity_application_opportunity_id_person_id"),
        ),
    )
    with op.batch_alter_table("opportunity_application", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_opportunity_application_manager_id"), ["manager_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_opportunity_application_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_opportunity_application_position_id"), ["position_id"], unique=False
        )

    op.create_table(
        "opportunity_application_transition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("from_state", sa.String(length=30), nullable=True),
        sa.Column("to_state", sa.String(length=30), nullable=False),
        sa.Column("actor_label", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["opportunity_application.id"],
            name=op.f(
                "fk_opportunity_application_transition_application_id_opportunity_application"
            ),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity_application_transition")),
    )
    with op.batch_alter_table("opportunity_application_transition", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_opportunity_application_transition_application_id"),
            ["application_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("opportunity_application_transition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunity_application_transition_application_id"))

    op.drop_table("opportunity_application_transition")
    with op.batch_alter_table("opportunity_application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunity_application_position_id"))
        batch_op.drop_index(batch_op.f("ix_opportunity_application_person_id"))
        batch_op.drop_index(batch_op.f("ix_opportunity_application_manager_id"))

    op.drop_table("opportunity_application")
    with op.batch_alter_table("saved_opportunity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_opportunity_opportunity_id"))

    op.drop_table("saved_opportunity")
    with op.batch_alter_table("opportunity_skill", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunity_skill_skill_id"))

    op.drop_table("opportunity_skill")
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunity_round_id"))
        batch_op.drop_index(batch_op.f("ix_opportunity_organisation_id"))

    op.drop_table("opportunity")
    with op.batch_alter_table("marketplace_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_round_programme_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_round_organisation_id"))

    op.drop_table("marketplace_round")
