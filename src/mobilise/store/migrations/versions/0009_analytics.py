"""Workforce analytics targets

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIGURES = (
    "figures.md: Civil Service Statistics and GOV.UK announcements, Open Government Licence v3.0"
)
# The four published targets. "By 2030" is read as the March 2030 statistics (the civil service's
# annual snapshot date); a user may set another deadline (`mobilise targets set`).
PUBLISHED_TARGETS = (
    {
        "key": "ddat-share-2030",
        "title": "1 in 10 civil servants in digital and data roles by 2030",
        "metric": "ddat_share",
        "scope": "civil-service",
        "value": 0.10,
        "baseline": 0.042,
        "baseline_on": date(2022, 3, 31),
        "deadline": date(2030, 3, 31),
        "source": FIGURES,
    },
    {
        "key": "double-ddat-profession",
        "title": "Double the digital and data profession by 2030 (from 20,010 in 2022)",
        "metric": "ddat_headcount",
        "scope": "civil-service",
        "value": 40_020.0,
        "baseline": 20_010.0,
        "baseline_on": date(2022, 3, 31),
        "deadline": date(2030, 3, 31),
        "source": FIGURES,
    },
    {
        "key": "techtrack-apprentices-2030",
        "title": "2,000 TechTrack apprentices into departments by 2030",
        "metric": "programme_participants",
        "scope": "programme:techtrack",
        "value": 2_000.0,
        "baseline": None,
        "baseline_on": None,
        "deadline": date(2030, 3, 31),
        "source": FIGURES,
    },
    {
        "key": "techtrack-outside-london",
        "title": "TechTrack's regional spread: 60% of apprentices based outside London",
        "metric": "programme_share_outside_london",
        "scope": "programme:techtrack",
        "value": 0.60,
        "baseline": None,
        "baseline_on": None,
        "deadline": date(2030, 3, 31),
        "source": FIGURES + " (the share reported of an intake, taken as the aim)",
    },
)


def upgrade() -> None:
    target = op.create_table(
        "target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=220), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("baseline_on", sa.Date(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "metric IN ('ddat_headcount', 'ddat_share', 'programme_participants', "
            "'programme_share_outside_london')",
            name=op.f("ck_target_metric"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
        sa.UniqueConstraint("key", name=op.f("uq_target_key")),
    )
    op.bulk_insert(target, list(PUBLISHED_TARGETS))


def downgrade() -> None:
    op.drop_table("target")
