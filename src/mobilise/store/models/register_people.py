"""People and programmes around the AI register: who agreed to be found for AI projects, and
which register projects are offered to which programme cohorts.

An opt-in is a row; withdrawing it deletes the row, so no search can find a person who withdrew
(the audit log keeps when each was given and withdrawn).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from mobilise.store.models.base import Base


class ProjectSearchOptIn(Base):
    """A person agreed that owners of AI projects may find them by their skills."""

    __tablename__ = "project_search_opt_in"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    opted_in_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CohortProject(Base):
    """A register project offered to a cohort's participants as a project to work on."""

    __tablename__ = "cohort_project"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True
    )
    project_id: Mapped[int] = mapped_column(
        ForeignKey("ai_project.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    offered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    offered_by: Mapped[str] = mapped_column(String(300))  # the actor's name, as the audit has it
