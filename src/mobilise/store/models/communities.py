"""Communities of practice, their events with registrations and a waiting list, and mentoring:
offers to mentor, requests for a mentor, the rounds that match them and the mentorings made.

A community is owned by an organisation (its programme admins run it) or by nobody, which makes it
cross-government (run by service admins). Topics and skills are kept as JSON lists of names and
framework skill keys. An event may belong to a community or stand alone (a conference); it is
organised by an organisation's programme admins.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
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
from mobilise.store.models.programmes import one_of

REGISTRATION_STATES = ("registered", "waiting", "cancelled", "attended", "absent")
MENTORING_STATES = ("active", "ended")
MENTORING_ROUND_STATES = ("open", "matched")


class Community(Base):
    __tablename__ = "community"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    # None: cross-government, run by the service's admins.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    description: Mapped[str] = mapped_column(Text, default="")
    topics: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of names
    skills: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of framework skill keys
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CommunityMembership(Base):
    __tablename__ = "community_membership"

    community_id: Mapped[int] = mapped_column(
        ForeignKey("community.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CommunityEvent(Base):
    __tablename__ = "community_event"
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity"),
        CheckConstraint("ends_at >= starts_at", name="times"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("community.id", ondelete="SET NULL"), index=True
    )
    # Its programme admins organise it: open and close registration, mark attendance.
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(String(60), default="meet-up")  # conference, AI Insights...
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    place: Mapped[str] = mapped_column(String(300), default="")  # empty: online only
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    capacity: Mapped[int] = mapped_column(Integer)
    registration_open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EventRegistration(Base):
    """One person's place (or place in the queue) at an event; a cancelled registration is kept
    and comes back to life if they register again, at the back of any queue."""

    __tablename__ = "event_registration"
    __table_args__ = (
        UniqueConstraint("event_id", "person_id"),
        CheckConstraint(one_of("state", REGISTRATION_STATES), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("community_event.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    # Increasing numbers in the order people joined the queue; None unless waiting.
    waiting_position: Mapped[int | None] = mapped_column(Integer)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MentorOffer(Base):
    __tablename__ = "mentor_offer"
    __table_args__ = (CheckConstraint("capacity >= 0", name="capacity"),)

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    skills: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of framework skill keys
    capacity: Mapped[int] = mapped_column(Integer)  # mentees at a time; 0 pauses the offer
    availability: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MenteeRequest(Base):
    __tablename__ = "mentee_request"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    skills: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of framework skill keys
    goals: Mapped[str] = mapped_column(Text, default="")
    # The share grant: the request (skills, goals) and profile may go to a mentor in another
    # organisation. Without it only mentors of the mentee's own organisation are considered.
    share_across_organisations: Mapped[bool] = mapped_column(Boolean, default=False)
    share_granted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # False once matched (a new request after the mentoring ends opens it again).
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MentoringRound(Base):
    __tablename__ = "mentoring_round"
    __table_args__ = (CheckConstraint(one_of("state", MENTORING_ROUND_STATES), name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    # None: run by the service's admins across government.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    state: Mapped[str] = mapped_column(String(20), default="open")
    method: Mapped[str] = mapped_column(String(20), default="stable")
    allocation_run_key: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Mentoring(Base):
    __tablename__ = "mentoring"
    __table_args__ = (CheckConstraint(one_of("state", MENTORING_STATES), name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_round.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="active")
    fit: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str] = mapped_column(String(1000), default="")
