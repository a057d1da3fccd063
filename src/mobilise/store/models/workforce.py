"""Organisations, people, their skill claims, their dated positions, and sensitive attributes.

Sensitive attributes live in their own table so that no query of people touches them by accident;
only aggregate statistics above the disclosure threshold read them (DESIGN.md, Decisions).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mobilise.store.models.base import Base


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(60))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    headcount: Mapped[int | None] = mapped_column(Integer)


class Person(Base):
    """A person; organisation, manager and role level are optional (candidates, guests)."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    display_name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    grade: Mapped[str | None] = mapped_column(String(20))
    region: Mapped[str | None] = mapped_column(String(60))
    role_level_id: Mapped[int | None] = mapped_column(
        ForeignKey("role_level.id", ondelete="RESTRICT"), index=True
    )
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    started_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)


class Position(Base):
    """A dated spell of a person in an organisation and role level: the workforce's history."""

    __tablename__ = "position"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    role_level_id: Mapped[int | None] = mapped_column(
        ForeignKey("role_level.id", ondelete="RESTRICT")
    )
    grade: Mapped[str | None] = mapped_column(String(20))
    region: Mapped[str | None] = mapped_column(String(60))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)


CLAIM_SOURCES = ("self", "manager", "learning", "inferred", "assessed")
CLAIM_STATUSES = ("active", "suggested", "rejected")


class SkillClaim(Base):
    """A person claims a skill at a level, from a source, with evidence, on a date.

    Upserts key on (person, skill, source, claimed_on): importing a file twice changes nothing.
    """

    __tablename__ = "skill_claim"
    __table_args__ = (
        UniqueConstraint("person_id", "skill_id", "source", "claimed_on"),
        CheckConstraint(
            "source IN ('self', 'manager', 'learning', 'inferred', 'assessed')", name="source"
        ),
        CheckConstraint("status IN ('active', 'suggested', 'rejected')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="RESTRICT"), index=True)
    level: Mapped[int] = mapped_column(ForeignKey("skill_level.ordinal"))
    source: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="active")
    evidence: Mapped[str] = mapped_column(Text, default="")
    claimed_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    # Indexed because deleting a person must find the claims they validated (ON DELETE SET NULL).
    validated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )


class SensitiveAttributes(Base):
    """Diversity data, given with consent, never shown or exported at row level."""

    __tablename__ = "sensitive_attributes"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    consented_on: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(40))
    ethnic_group: Mapped[str | None] = mapped_column(String(60))
    disability: Mapped[str | None] = mapped_column(String(40))
    age_band: Mapped[str | None] = mapped_column(String(20))
