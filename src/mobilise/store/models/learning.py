"""The learning catalogue: items, the skills each teaches, their prerequisites, and completions.

Hours are a decimal with two places (a 15-minute article is 0.25); cost is whole pence, so sums
and comparisons are exact (files write pounds: docs/formats.md). A completion is kept as a record
of its own beside the skill claims it created, so the evidence of a claim can be traced to it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mobilise.store.models.base import Base

LEARNING_FORMATS = ("e-learning", "course", "article", "workshop", "apprenticeship-module")


class LearningItem(Base):
    __tablename__ = "learning_item"
    __table_args__ = (
        CheckConstraint(
            "format IN ('e-learning', 'course', 'article', 'workshop', 'apprenticeship-module')",
            name="format",
        ),
        CheckConstraint("hours > 0", name="hours"),
        CheckConstraint("cost_pence >= 0", name="cost_pence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300), index=True)
    provider: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(30))
    hours: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    cost_pence: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(2000))


class LearningItemSkill(Base):
    """An item teaches a skill up to a level."""

    __tablename__ = "learning_item_skill"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("learning_item.id", ondelete="CASCADE"), primary_key=True
    )
    # Indexed for "what teaches this skill" and so a skill's deletion finds its items.
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skill.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    level: Mapped[int] = mapped_column(ForeignKey("skill_level.ordinal"))


class LearningPrerequisite(Base):
    """An item requires another to be completed first."""

    __tablename__ = "learning_prerequisite"
    __table_args__ = (CheckConstraint("item_id <> required_item_id", name="not_itself"),)

    item_id: Mapped[int] = mapped_column(
        ForeignKey("learning_item.id", ondelete="CASCADE"), primary_key=True
    )
    # An item others require cannot be deleted from under them.
    required_item_id: Mapped[int] = mapped_column(
        ForeignKey("learning_item.id", ondelete="RESTRICT"), primary_key=True, index=True
    )


class LearningCompletion(Base):
    """A person completed an item on a day; the same item again on another day is another row."""

    __tablename__ = "learning_completion"
    __table_args__ = (UniqueConstraint("person_id", "item_id", "completed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(
        ForeignKey("learning_item.id", ondelete="RESTRICT"), index=True
    )
    completed_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
