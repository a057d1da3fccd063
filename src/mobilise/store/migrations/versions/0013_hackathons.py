"""Hackathons: events, challenges (from AI register entries or written for the event), sign-ups
with share grants and teams, judges, submissions and score sheets

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 17:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hackathon",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("team_size", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("rubric", sa.Text(), nullable=False),
        sa.Column("teams_seed", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('draft', 'open', 'teams_formed', 'submissions_open', 'judging', "
            "'results_published')",
            name=op.f("ck_hackathon_state"),
        ),
        sa.CheckConstraint("capacity >= 1", name=op.f("ck_hackathon_capacity")),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_hackathon_dates")),
        sa.CheckConstraint("team_size >= 2", name=op.f("ck_hackathon_team_size")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_hackathon_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hackathon")),
        sa.UniqueConstraint("key", name=op.f("uq_hackathon_key")),
    )
    op.create_index(
        op.f("ix_hackathon_organisation_id"), "hackathon", ["organisation_id"], unique=False
    )
    op.create_table(
        "hackathon_challenge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("hackathon_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hackathon_id"],
            ["hackathon.id"],
            name=op.f("fk_hackathon_challenge_hackathon_id_hackathon"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["ai_project.id"],
            name=op.f("fk_hackathon_challenge_project_id_ai_project"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hackathon_challenge")),
        sa.UniqueConstraint("key", name=op.f("uq_hackathon_challenge_key")),
    )
    op.create_index(
        op.f("ix_hackathon_challenge_hackathon_id"),
        "hackathon_challenge",
        ["hackathon_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_hackathon_challenge_project_id"),
        "hackathon_challenge",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "hackathon_team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("hackathon_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["hackathon_challenge.id"],
            name=op.f("fk_hackathon_team_challenge_id_hackathon_challenge"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["hackathon_id"],
            ["hackathon.id"],
            name=op.f("fk_hackathon_team_hackathon_id_hackathon"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hackathon_team")),
        sa.UniqueConstraint(
            "hackathon_id", "number", name=op.f("uq_hackathon_team_hackathon_id_number")
        ),
        sa.UniqueConstraint("key", name=op.f("uq_hackathon_team_key")),
    )
    op.create_index(
        op.f("ix_hackathon_team_challenge_id"), "hackathon_team", ["challenge_id"], unique=False
    )
    op.create_index(
        op.f("ix_hackathon_team_hackathon_id"), "hackathon_team", ["hackathon_id"], unique=False
    )
    op.create_table(
        "hackathon_submission",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("links", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["hackathon_team.id"],
            name=op.f("fk_hackathon_submission_team_id_hackathon_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_hackathon_submission")),
    )
    op.create_table(
        "hackathon_judge",
        sa.Column("hackathon_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hackathon_id"],
            ["hackathon.id"],
            name=op.f("fk_hackathon_judge_hackathon_id_hackathon"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_hackathon_judge_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("hackathon_id", "person_id", name=op.f("pk_hackathon_judge")),
    )
    op.create_index(
        op.f("ix_hackathon_judge_person_id"), "hackathon_judge", ["person_id"], unique=False
    )
    op.create_table(
        "hackathon_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("hackathon_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("preferences", sa.Text(), nullable=False),
        sa.Column("shared_parts", sa.String(length=100), nullable=False),
        sa.Column("share_granted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("share_revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("show_name", sa.Boolean(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("signed_up_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["hackathon_id"],
            ["hackathon.id"],
            name=op.f("fk_hackathon_participant_hackathon_id_hackathon"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_hackathon_participant_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["hackathon_team.id"],
            name=op.f("fk_hackathon_participant_team_id_hackathon_team"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hackathon_participant")),
        sa.UniqueConstraint(
            "hackathon_id",
            "person_id",
            name=op.f("uq_hackathon_participant_hackathon_id_person_id"),
        ),
        sa.UniqueConstraint("key", name=op.f("uq_hackathon_participant_key")),
    )
    op.create_index(
        op.f("ix_hackathon_participant_hackathon_id"),
        "hackathon_participant",
        ["hackathon_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_hackathon_participant_person_id"),
        "hackathon_participant",
        ["person_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_hackathon_participant_team_id"), "hackathon_participant", ["team_id"], unique=False
    )
    op.create_table(
        "hackathon_score",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Text(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["judge_id"],
            ["person.id"],
            name=op.f("fk_hackathon_score_judge_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["hackathon_team.id"],
            name=op.f("fk_hackathon_score_team_id_hackathon_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", "judge_id", name=op.f("pk_hackathon_score")),
    )
    op.create_index(
        op.f("ix_hackathon_score_judge_id"), "hackathon_score", ["judge_id"], unique=False
    )


def downgrade() -> None:
    # Indexes go with their tables; children first.
    op.drop_table("hackathon_score")
    op.drop_table("hackathon_participant")
    op.drop_table("hackathon_judge")
    op.drop_table("hackathon_submission")
    op.drop_table("hackathon_team")
    op.drop_table("hackathon_challenge")
    op.drop_table("hackathon")
