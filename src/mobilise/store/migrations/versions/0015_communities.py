"""Communities of practice, events with registrations and a waiting list, mentoring (offers,
requests, rounds matched by the engine, mentorings), and the marketplace's waiting list position

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-23 17:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "community",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("skills", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_community_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community")),
        sa.UniqueConstraint("key", name=op.f("uq_community_key")),
    )
    op.create_index(
        op.f("ix_community_organisation_id"), "community", ["organisation_id"], unique=False
    )
    op.create_table(
        "mentoring_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("allocation_run_key", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ('open', 'matched')", name=op.f("ck_mentoring_round_state")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_mentoring_round_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_round")),
        sa.UniqueConstraint("key", name=op.f("uq_mentoring_round_key")),
    )
    op.create_index(
        op.f("ix_mentoring_round_organisation_id"),
        "mentoring_round",
        ["organisation_id"],
        unique=False,
    )
    op.create_table(
        "community_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("registration_open", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("capacity >= 1", name=op.f("ck_community_event_capacity")),
        sa.CheckConstraint("ends_at >= starts_at", name=op.f("ck_community_event_times")),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_community_event_community_id_community"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_community_event_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_event")),
        sa.UniqueConstraint("key", name=op.f("uq_community_event_key")),
    )
    op.create_index(
        op.f("ix_community_event_community_id"), "community_event", ["community_id"], unique=False
    )
    op.create_index(
        op.f("ix_community_event_organisation_id"),
        "community_event",
        ["organisation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_community_event_starts_at"), "community_event", ["starts_at"], unique=False
    )
    op.create_table(
        "community_membership",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_community_membership_community_id_community"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_community_membership_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("community_id", "person_id", name=op.f("pk_community_membership")),
    )
    op.create_index(
        op.f("ix_community_membership_person_id"),
        "community_membership",
        ["person_id"],
        unique=False,
    )
    op.create_table(
        "event_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("waiting_position", sa.Integer(), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('registered', 'waiting', 'cancelled', 'attended', 'absent')",
            name=op.f("ck_event_registration_state"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["community_event.id"],
            name=op.f("fk_event_registration_event_id_community_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_event_registration_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_registration")),
        sa.UniqueConstraint(
            "event_id", "person_id", name=op.f("uq_event_registration_event_id_person_id")
        ),
        sa.UniqueConstraint("key", name=op.f("uq_event_registration_key")),
    )
    op.create_index(
        op.f("ix_event_registration_event_id"), "event_registration", ["event_id"], unique=False
    )
    op.create_index(
        op.f("ix_event_registration_person_id"), "event_registration", ["person_id"], unique=False
    )
    op.create_table(
        "mentee_request",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("skills", sa.Text(), nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("share_across_organisations", sa.Boolean(), nullable=False),
        sa.Column("share_granted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_mentee_request_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_mentee_request")),
    )
    op.create_table(
        "mentor_offer",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("skills", sa.Text(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("availability", sa.String(length=500), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("capacity >= 0", name=op.f("ck_mentor_offer_capacity")),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_mentor_offer_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_mentor_offer")),
    )
    op.create_table(
        "mentoring",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("fit", sa.Float(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=1000), nullable=False),
        sa.CheckConstraint("state IN ('active', 'ended')", name=op.f("ck_mentoring_state")),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["person.id"],
            name=op.f("fk_mentoring_mentee_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["person.id"],
            name=op.f("fk_mentoring_mentor_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["mentoring_round.id"],
            name=op.f("fk_mentoring_round_id_mentoring_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring")),
        sa.UniqueConstraint("key", name=op.f("uq_mentoring_key")),
    )
    op.create_index(op.f("ix_mentoring_mentee_id"), "mentoring", ["mentee_id"], unique=False)
    op.create_index(op.f("ix_mentoring_mentor_id"), "mentoring", ["mentor_id"], unique=False)
    op.create_index(op.f("ix_mentoring_round_id"), "mentoring", ["round_id"], unique=False)
    op.add_column(
        "opportunity_application", sa.Column("waiting_position", sa.Integer(), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("opportunity_application") as batch_op:
        batch_op.drop_column("waiting_position")
    op.drop_index(op.f("ix_mentoring_round_id"), table_name="mentoring")
    op.drop_index(op.f("ix_mentoring_mentor_id"), table_name="mentoring")
    op.drop_index(op.f("ix_mentoring_mentee_id"), table_name="mentoring")
    op.drop_table("mentoring")
    op.drop_table("mentor_offer")
    op.drop_table("mentee_request")
    op.drop_index(op.f("ix_event_registration_person_id"), table_name="event_registration")
    op.drop_index(op.f("ix_event_registration_event_id"), table_name="event_registration")
    op.drop_table("event_registration")
    op.drop_index(op.f("ix_community_membership_person_id"), table_name="community_membership")
    op.drop_table("community_membership")
    op.drop_index(op.f("ix_community_event_starts_at"), table_name="community_event")
    op.drop_index(op.f("ix_community_event_organisation_id"), table_name="community_event")
    op.drop_index(op.f("ix_community_event_community_id"), table_name="community_event")
    op.drop_table("community_event")
    op.drop_index(op.f("ix_mentoring_round_organisation_id"), table_name="mentoring_round")
    op.drop_table("mentoring_round")
    op.drop_index(op.f("ix_community_organisation_id"), table_name="community")
    op.drop_table("community")
