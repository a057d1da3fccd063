"""Hackathons: the event, its challenges (some from AI register entries), sign-ups with their
share grants, teams formed by the engine, submissions, judges and their score sheets.

A participant's team is a column on the sign-up (one team per person per event); the engine's
draft teams and the published ones are the same rows, the hackathon's state says which. Sensitive
attributes are never stored here: team formation reads them as opaque codes inside its run.
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
from mobilise.store.models.programmes import one_of

HACKATHON_STATES = (
    "draft",
    "open",
    "teams_formed",
    "submissions_open",
    "judging",
    "results_published",
)


class Hackathon(Base):
    __tablename__ = "hackathon"
    __table_args__ = (
        CheckConstraint(one_of("state", HACKATHON_STATES), name="state"),
        CheckConstraint("capacity >= 1", name="capacity"),
        CheckConstraint("team_size >= 2", name="team_size"),
        CheckConstraint("ends_on >= starts_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    # Its programme admins organise it.
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(300), default="")  # empty: online only
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    capacity: Mapped[int] = mapped_column(Integer)
    team_size: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(30), default="draft")
    rubric: Mapped[str] = mapped_column(Text)  # JSON: the judges' criteria
    # The engine's seed of the teams as they stand (re-running with another seed re-forms them).
    teams_seed: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HackathonChallenge(Base):
    __tablename__ = "hackathon_challenge"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    hackathon_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    # The AI register entry it was created from; the challenge stays if the entry goes.
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("ai_project.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class HackathonTeam(Base):
    __tablename__ = "hackathon_team"
    __table_args__ = (UniqueConstraint("hackathon_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    hackathon_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    challenge_id: Mapped[int | None] = mapped_column(
        ForeignKey("hackathon_challenge.id", ondelete="SET NULL"), index=True
    )
    # Set when results are published: the rank (None: no judge scored it) and mean z-score.
    rank: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)


class HackathonParticipant(Base):
    """A person's sign-up, their challenge preferences, their share grant and their team."""

    __tablename__ = "hackathon_participant"
    __table_args__ = (UniqueConstraint("hackathon_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    hackathon_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    preferences: Mapped[str] = mapped_column(Text, default="")  # challenge keys, best first
    shared_parts: Mapped[str] = mapped_column(String(100), default="")
    share_granted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    share_revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Consent to show their name on the public results page.
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("hackathon_team.id", ondelete="SET NULL"), index=True
    )
    signed_up_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HackathonJudge(Base):
    __tablename__ = "hackathon_judge"

    hackathon_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class HackathonSubmission(Base):
    __tablename__ = "hackathon_submission"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon_team.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    links: Mapped[str] = mapped_column(Text, default="[]")  # JSON: [{"label", "url"}], http(s)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HackathonScore(Base):
    """A judge's sheet for a team's submission: points per criterion and their total (0-100)."""

    __tablename__ = "hackathon_score"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon_team.id", ondelete="CASCADE"), primary_key=True
    )
    judge_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    points: Mapped[str] = mapped_column(Text)  # JSON: criterion key -> points
    total: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    scored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
