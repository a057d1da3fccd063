"""The AI project register: projects with their ATRS record, needed skills, links and facets.

A project's ATRS record is one JSON document keyed by the standard's field ids (fields.csv), as
validated by core/register; the columns beside it are what the register searches, filters and
shows in lists. Multi-valued finder facets (function, region, ...) are rows of
`ai_project_facet` so that a filter is an indexed lookup, not a scan of JSON.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from mobilise.core.register.ethics import HIGHEST, LOWEST
from mobilise.core.register.vocabulary import KINDS, PHASES, STATUSES
from mobilise.store.models.base import Base
from mobilise.store.models.programmes import one_of


class AIProject(Base):
    """An AI project or challenge in the register, with its transparency record."""

    __tablename__ = "ai_project"
    __table_args__ = (
        CheckConstraint(one_of("status", STATUSES), name="status"),
        CheckConstraint(f"phase IS NULL OR {one_of('phase', PHASES)}", name="phase"),
        CheckConstraint(one_of("kind", KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    # Null only for a published record that names no body (one of the 136 does not).
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # Published records carry no phase (the sources lack it): null means "not stated".
    phase: Mapped[str | None] = mapped_column(String(30), index=True)
    team: Mapped[str | None] = mapped_column(String(300))
    users: Mapped[str] = mapped_column(Text, default="")  # who uses it, in the team's words
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)  # ATRS field id -> value
    kind: Mapped[str] = mapped_column(String(20), default="project")
    # The editor's sections (task list slugs) the team marked complete.
    completed_sections: Mapped[list[str]] = mapped_column(JSON, default=list)
    published_on: Mapped[date | None] = mapped_column(Date)
    # Where an imported record came from (its GOV.UK page), null for one written in Mobilise.
    source_url: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AIProjectFacet(Base):
    """One value of a multi-valued finder facet (function, region, capability, ...)."""

    __tablename__ = "ai_project_facet"
    __table_args__ = (Index("ix_ai_project_facet_facet_value", "facet", "value"),)

    project_id: Mapped[int] = mapped_column(
        ForeignKey("ai_project.id", ondelete="CASCADE"), primary_key=True
    )
    facet: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(100), primary_key=True)


class AIProjectSkill(Base):
    """A skill the project needs, at a level (to find people who fit, with their consent)."""

    __tablename__ = "ai_project_skill"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("ai_project.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skill.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    level: Mapped[int] = mapped_column(ForeignKey("skill_level.ordinal"))


class AIProjectLink(Base):
    """A link about the project (service page, repository, DPIA), validated as http(s)."""

    __tablename__ = "ai_project_link"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("ai_project.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(1000))


class AIProjectEthics(Base):
    """One cell of a project's data-ethics self-assessment: a principle of the Data Ethics
    Framework in one of its activities, with a score (core/register/ethics.py SCALE) and notes."""

    __tablename__ = "ai_project_ethics"
    __table_args__ = (
        CheckConstraint(f"score IS NULL OR score BETWEEN {LOWEST} AND {HIGHEST}", name="score"),
    )

    project_id: Mapped[int] = mapped_column(
        ForeignKey("ai_project.id", ondelete="CASCADE"), primary_key=True
    )
    principle: Mapped[str] = mapped_column(String(40), primary_key=True)
    activity: Mapped[str] = mapped_column(String(60), primary_key=True)
    score: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
