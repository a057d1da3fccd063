"""Targets the workforce is measured against (DESIGN.md: metric, scope, value, deadline)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mobilise.store.models.base import Base

TARGET_METRICS = (
    "ddat_headcount",  # people in post in DDaT roles
    "ddat_share",  # … as a share of all people in post
    "programme_participants",  # places taken up in a programme's intakes (cohorts, rounds)
    "programme_share_outside_london",  # … of them, the share based outside London
)


class Target(Base):
    """A published or user-set target: reach `value` of `metric` over `scope` by `deadline`.

    Scope is `civil-service` or `programme:<key>` (never one organisation: docs/disclosure.md).
    The baseline (a value on a date) is where progress is measured from and where the trend's
    window starts.
    """

    __tablename__ = "target"
    __table_args__ = (
        CheckConstraint(
            "metric IN ('ddat_headcount', 'ddat_share', 'programme_participants', "
            "'programme_share_outside_london')",
            name="metric",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    metric: Mapped[str] = mapped_column(String(40))
    scope: Mapped[str] = mapped_column(String(220), default="civil-service")
    value: Mapped[float] = mapped_column(Float)
    baseline: Mapped[float | None] = mapped_column(Float)
    baseline_on: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")


class AnalyticsChange(Base):
    """A person whose facts the warehouse reads changed in place (migration 0017's triggers
    write these; nothing else does): the incremental refresh re-reads them."""

    __tablename__ = "analytics_change"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The table changed: skill_claim, person, position or sensitive_attributes.
    entity: Mapped[str] = mapped_column(String(30))
    # No foreign key: a deleted person's entry must outlive them.
    person_id: Mapped[int] = mapped_column(Integer)
