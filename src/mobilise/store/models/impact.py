"""Benefits and savings that AI projects in the register claim, each with its evidence."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mobilise.store.models.base import Base

BENEFIT_KINDS = ("cash_saving", "time_saving", "cost_avoidance", "income", "other")


class ProjectBenefit(Base):
    """A benefit a project claims: an amount in pence of a kind over a period, with evidence
    (a link, a text, or both). Time savings are recorded as their value in pence too, so that
    every claim sums; the evidence says how it was valued."""

    __tablename__ = "project_benefit"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('cash_saving', 'time_saving', 'cost_avoidance', 'income', 'other')",
            name="kind",
        ),
        CheckConstraint("amount_pence > 0", name="amount_positive"),
        CheckConstraint("period_end >= period_start", name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("ai_project.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str | None] = mapped_column(String(1000))
    recorded_by: Mapped[str] = mapped_column(String(300))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
