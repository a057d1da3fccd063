"""People beyond the civil service: interest in programmes, job families and courses, each
cohort's terms (open to outsiders, training provider, funding source), participants' assessments,
the training provider each TechTrack bid names, and course enrolments with weekly progress

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-23 17:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "interest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target_key", sa.String(length=200), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('programme', 'role_family', 'course')", name=op.f("ck_interest_kind")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_interest_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interest")),
        sa.UniqueConstraint(
            "person_id", "kind", "target_key", name=op.f("uq_interest_person_id_kind_target_key")
        ),
    )
    op.create_index(op.f("ix_interest_person_id"), "interest", ["person_id"])
    op.create_index(op.f("ix_interest_target_key"), "interest", ["target_key"])
    op.create_table(
        "cohort_terms",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("open_to_outsiders", sa.Boolean(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("funding_source", sa.String(length=40), nullable=True),
        sa.CheckConstraint(
            "funding_source IS NULL OR funding_source IN ('apprenticeship_levy', "
            "'department_budget', 'central_funding', 'self_funded')",
            name=op.f("ck_cohort_terms_funding_source"),
        ),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort.id"],
            name=op.f("fk_cohort_terms_cohort_id_cohort"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["organisation.id"],
            name=op.f("fk_cohort_terms_provider_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("cohort_id", name=op.f("pk_cohort_terms")),
    )
    op.create_index(op.f("ix_cohort_terms_provider_id"), "cohort_terms", ["provider_id"])
    op.create_table(
        "assessment_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("max_score", sa.Float(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=300), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "max_score > 0 AND score >= 0 AND score <= max_score",
            name=op.f("ck_assessment_score_score"),
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_assessment_score_application_id_application"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_score")),
        sa.UniqueConstraint(
            "application_id", "name", name=op.f("uq_assessment_score_application_id_name")
        ),
    )
    op.create_index(
        op.f("ix_assessment_score_application_id"), "assessment_score", ["application_id"]
    )

    op.create_table(
        "bid_provider",
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_bid_provider_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["organisation.id"],
            name=op.f("fk_bid_provider_provider_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("opportunity_id", name=op.f("pk_bid_provider")),
    )
    op.create_index(op.f("ix_bid_provider_provider_id"), "bid_provider", ["provider_id"])

    op.create_table(
        "course_enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["learning_item.id"],
            name=op.f("fk_course_enrolment_item_id_learning_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_course_enrolment_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_enrolment")),
        sa.UniqueConstraint(
            "person_id", "item_id", name=op.f("uq_course_enrolment_person_id_item_id")
        ),
    )
    op.create_index(op.f("ix_course_enrolment_item_id"), "course_enrolment", ["item_id"])
    op.create_index(op.f("ix_course_enrolment_person_id"), "course_enrolment", ["person_id"])
    op.create_table(
        "course_week",
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Integer(), nullable=False),
        sa.Column("percent_done", sa.Integer(), nullable=False),
        sa.Column("quiz_score", sa.Float(), nullable=True),
        sa.Column("quiz_max", sa.Float(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("week >= 1 AND week <= 104", name=op.f("ck_course_week_week")),
        sa.CheckConstraint(
            "percent_done >= 0 AND percent_done <= 100", name=op.f("ck_course_week_percent_done")
        ),
        sa.CheckConstraint(
            "(quiz_score IS NULL AND quiz_max IS NULL) OR "
            "(quiz_max > 0 AND quiz_score >= 0 AND quiz_score <= quiz_max)",
            name=op.f("ck_course_week_quiz"),
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["course_enrolment.id"],
            name=op.f("fk_course_week_enrolment_id_course_enrolment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("enrolment_id", "week", name=op.f("pk_course_week")),
    )


def downgrade() -> None:
    op.drop_table("course_week")
    op.drop_table("course_enrolment")
    op.drop_table("bid_provider")
    op.drop_table("assessment_score")
    op.drop_table("cohort_terms")
    op.drop_table("interest")
