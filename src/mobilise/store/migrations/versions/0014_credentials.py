"""Open Badges credentials: organisations' signing keys, issued credentials, followed pathways

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23 17:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "credential_signing_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kid", sa.String(length=100), nullable=False),
        sa.Column("issuer_id", sa.String(length=200), nullable=False),
        sa.Column("public_jwk", sa.JSON(), nullable=False),
        sa.Column("private_key", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_credential_signing_key_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credential_signing_key")),
        sa.UniqueConstraint("kid", name=op.f("uq_credential_signing_key_kid")),
    )
    with op.batch_alter_table("credential_signing_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_credential_signing_key_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
    op.create_table(
        "credential",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("signing_key_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("achievement_key", sa.String(length=300), nullable=False),
        sa.Column("achievement_name", sa.String(length=300), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('cohort', 'pathway', 'hackathon', 'other')", name=op.f("ck_credential_kind")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_credential_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_credential_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["signing_key_id"],
            ["credential_signing_key.id"],
            name=op.f("fk_credential_signing_key_id_credential_signing_key"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credential")),
        sa.UniqueConstraint("key", name=op.f("uq_credential_key")),
    )
    with op.batch_alter_table("credential", schema=None) as batch_op:
        for column in ("person_id", "organisation_id", "signing_key_id", "achievement_key"):
            batch_op.create_index(batch_op.f(f"ix_credential_{column}"), [column], unique=False)
    op.create_table(
        "followed_pathway",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("target_key", sa.String(length=200), nullable=False),
        sa.Column("target_name", sa.String(length=300), nullable=False),
        sa.Column("item_keys", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("credential_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["credential_id"],
            ["credential.id"],
            name=op.f("fk_followed_pathway_credential_id_credential"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_followed_pathway_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followed_pathway")),
        sa.UniqueConstraint(
            "person_id", "target_key", name=op.f("uq_followed_pathway_person_id_target_key")
        ),
    )
    with op.batch_alter_table("followed_pathway", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_followed_pathway_credential_id"), ["credential_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("followed_pathway")
    op.drop_table("credential")
    op.drop_table("credential_signing_key")
