"""Programmes, their cohorts, applications to cohorts, and the outbox of notifications.

A programme is one model configured per programme (AI Accelerator, TechTrack, an academy, a
leaders' programme): its rubric, quotas and waiting-list size are JSON text read by the core's
rules. An application's state changes only through the core's state machine; each change is
kept as a transition row (the applicant's own timeline) besides the audit log. The share grant
lives on the application because it lasts exactly as long as the application does.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mobilise.store.models.base import Base

APPLICATION_STATES = (
    "awaiting_release",
    "released",
    "offered",
    "waiting_list",
    "not_selected",
    "accepted",
    "declined",
    "withdrawn",
    "completed",
    "left",
)
COHORT_STATES = ("open", "closed", "offers_published", "running", "finished")


def one_of(column: str, values: tuple[str, ...]) -> str:
    """A CHECK constraint's text: the column holds one of the values."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Programme(Base):
    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text, default="")
    # Its programme admins run it and see the applications to its cohorts.
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    rubric: Mapped[str] = mapped_column(Text)  # JSON: the panel's criteria
    quotas: Mapped[str] = mapped_column(Text, default="[]")  # JSON: the engine's quotas
    waiting_list_size: Mapped[int | None] = mapped_column(Integer)  # None: as many as places
    min_attendance: Mapped[float] = mapped_column(Float, default=0.8)
    target_people: Mapped[int | None] = mapped_column(Integer)  # e.g. TechTrack: 2,000
    target_year: Mapped[int | None] = mapped_column(Integer)  # … by 2030
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Cohort(Base):
    __tablename__ = "cohort"
    __table_args__ = (
        CheckConstraint(one_of("state", COHORT_STATES), name="state"),
        CheckConstraint("capacity >= 0", name="capacity"),
        CheckConstraint("ends_on >= starts_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    applications_close_on: Mapped[date | None] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)
    eligibility: Mapped[str] = mapped_column(Text, default="{}")  # JSON: the core's rule
    stages: Mapped[str] = mapped_column(Text, default="[]")  # JSON: [{"name", "weeks"}]
    state: Mapped[str] = mapped_column(String(30), default="open")
    # The stored AllocationRun that selected it (allocation_run.key), once offers are published.
    selection_run_key: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CohortItem(Base):
    """A learning item in a cohort's curriculum."""

    __tablename__ = "cohort_item"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("learning_item.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class PanelMember(Base):
    """A person on a cohort's selection panel: they score its applications."""

    __tablename__ = "panel_member"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ApplicationColumns:
    """What every application carries, to a cohort or to an opportunity: its statement and
    state, the line manager who releases (the applicant's manager when they applied), and the
    share grant (the parts of the profile the applicant consented to share with the owners,
    and the panel for a cohort, until revoked or the application ends)."""

    statement: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(30))
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    shared_parts: Mapped[str] = mapped_column(String(200), default="")
    share_granted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    share_revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text, default="")  # of the latest decision
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Application(ApplicationColumns, Base):
    __tablename__ = "application"
    __table_args__ = (
        UniqueConstraint("cohort_id", "person_id"),
        CheckConstraint(one_of("state", APPLICATION_STATES), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    score: Mapped[float | None] = mapped_column(Float)  # severity-normalised, at selection
    waiting_position: Mapped[int | None] = mapped_column(Integer)


class TransitionColumns:
    """What a step of an application's timeline keeps (for cohorts and for opportunities)."""

    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    action: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str] = mapped_column(String(30))
    actor_label: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(Text, default="")


class ApplicationTransition(TransitionColumns, Base):
    __tablename__ = "application_transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )


class PanelScore(Base):
    """One panel member's score sheet for one application (scoring again replaces it)."""

    __tablename__ = "panel_score"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    judge_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    points: Mapped[str] = mapped_column(Text)  # JSON: criterion key → points
    total: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    scored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Attendance(Base):
    __tablename__ = "attendance"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    session_on: Mapped[date] = mapped_column(Date, primary_key=True)
    present: Mapped[bool] = mapped_column(Boolean)


class OutboxMessage(Base):
    """A notification to a person, recorded in the transaction of the change it reports."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    email: Mapped[str | None] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(500), default="")
    # Indexed: a sender reads the unsent messages (sent_at is set once delivered).
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
