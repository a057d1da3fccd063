"""The opportunity marketplace: rounds, opportunities with their required skills, saved
opportunities, applications to opportunities with their share grant and transitions.

A round moves through the cohorts' states (open, closed, offers_published, running, finished)
and is allocated by one stored AllocationRun; an application through the programmes'
application states. The move an accepted application makes is a Position row (the person's
history in store/models/workforce.py), linked here so that the return can close it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
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
from mobilise.store.models.programmes import (
    APPLICATION_STATES,
    COHORT_STATES,
    ApplicationColumns,
    TransitionColumns,
    one_of,
)

OPPORTUNITY_KINDS = (
    "secondment_in",
    "secondment_out",
    "loan",
    "project_role",
    "short_assignment",
    "mentoring",
    "apprenticeship",
)


class MarketplaceRound(Base):
    """A round of opportunities that closes and is allocated together."""

    __tablename__ = "marketplace_round"
    __table_args__ = (CheckConstraint(one_of("state", COHORT_STATES), name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    # Its programme admins close, allocate, start and finish it.
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    applications_close_on: Mapped[date | None] = mapped_column(Date)
    # A programme's intake (TechTrack's): its accepted places count towards the programme's target.
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme.id", ondelete="SET NULL"), index=True
    )
    quotas: Mapped[str] = mapped_column(Text, default="[]")  # JSON: the engine's quotas (fair)
    state: Mapped[str] = mapped_column(String(30), default="open")
    allocation_run_key: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Opportunity(Base):
    __tablename__ = "opportunity"
    __table_args__ = (
        CheckConstraint(one_of("kind", OPPORTUNITY_KINDS), name="kind"),
        CheckConstraint("capacity >= 0", name="capacity"),
        CheckConstraint("ends_on >= starts_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("marketplace_round.id", ondelete="CASCADE"), index=True
    )
    # The owning (and hosting) organisation: its programme admins see the applicants.
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    role: Mapped[str | None] = mapped_column(String(100))  # an apprenticeship's role
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(200), default="")  # e.g. "Leeds, hybrid"
    region: Mapped[str | None] = mapped_column(String(60))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OpportunitySkill(Base):
    """A skill an opportunity requires, at a level."""

    __tablename__ = "opportunity_skill"

    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunity.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skill.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    level: Mapped[int] = mapped_column(ForeignKey("skill_level.ordinal"))


class SavedOpportunity(Base):
    __tablename__ = "saved_opportunity"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunity.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OpportunityApplication(ApplicationColumns, Base):
    __tablename__ = "opportunity_application"
    __table_args__ = (
        UniqueConstraint("opportunity_id", "person_id"),
        CheckConstraint(one_of("state", APPLICATION_STATES), name="state"),
        CheckConstraint("preference >= 1", name="preference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    # The applicant's order of the opportunities they apply to in the round (1: first choice).
    preference: Mapped[int] = mapped_column(Integer)
    fit: Mapped[float | None] = mapped_column(Float)  # at allocation
    # The owners' own score of the applicant (0-100), which ranks them before fit does.
    owner_score: Mapped[float | None] = mapped_column(Float)
    # Its place on the opportunity's waiting list, in the order of the round's run (1: first).
    waiting_position: Mapped[int | None] = mapped_column(Integer)
    # The person's move into the opportunity, once the round starts; ended on their return.
    position_id: Mapped[int | None] = mapped_column(
        ForeignKey("position.id", ondelete="SET NULL"), index=True
    )


class OpportunityApplicationTransition(TransitionColumns, Base):
    __tablename__ = "opportunity_application_transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("opportunity_application.id", ondelete="CASCADE"), index=True
    )
