"""Skill inference in the store: the ESCO ↔ DDaT crosswalk, where an inferred claim came from,
the skills inferred for learning items (and their review) and suggested for opportunities, and
skill demand no framework skill covers.

ESCO skills are not rows here: the ESCO list ships with the package and is named by its key (the
skill's URI). Its label is stored beside each key so that a page or export reads without the list.
The text a person pasted is never stored; an inferred claim keeps only the span that supports it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mobilise.store.models.base import Base

CROSSWALK_SOURCES = ("computed", "reviewed")
CHANGE_REQUEST_STATUSES = ("open", "accepted", "declined")
MAX_SPAN = 500


class SkillCrosswalkEntry(Base):
    """An ESCO skill maps to a skill of a framework version, with a similarity score.

    `computed` entries are replaced whenever the crosswalk is rebuilt; `reviewed` ones are a
    person's decision (accepted or not) and survive rebuilds. A rejected pair is kept, not
    deleted, so that a rebuild does not bring it back.
    """

    __tablename__ = "skill_crosswalk"
    __table_args__ = (
        UniqueConstraint("skill_id", "esco_key"),
        CheckConstraint("source IN ('computed', 'reviewed')", name="source"),
        CheckConstraint("score >= 0 AND score <= 1", name="score"),
        # Text is mapped through the crosswalk of one version, ESCO keys first.
        Index("ix_skill_crosswalk_version_esco", "framework_version_id", "esco_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_version_id: Mapped[int] = mapped_column(
        ForeignKey("framework_version.id", ondelete="CASCADE")
    )
    esco_key: Mapped[str] = mapped_column(String(200))
    esco_label: Mapped[str] = mapped_column(String(300))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(20))
    accepted: Mapped[bool] = mapped_column(Boolean, default=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(300))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")


class InferredClaimEvidence(Base):
    """Why an inferred claim was suggested: the ESCO skill found, its score, and the span."""

    __tablename__ = "inferred_claim_evidence"
    __table_args__ = (CheckConstraint("span_start >= 0 AND span_end >= span_start", name="span"),)

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("skill_claim.id", ondelete="CASCADE"), primary_key=True
    )
    esco_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    esco_label: Mapped[str] = mapped_column(String(300))
    score: Mapped[float] = mapped_column(Float)
    # What was read ("cv", "summary", ...) and a SHA-256 of it: the same text is recognised
    # again without the text itself being kept.
    document: Mapped[str] = mapped_column(String(40))
    text_digest: Mapped[str] = mapped_column(String(64))
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    span_text: Mapped[str] = mapped_column(String(MAX_SPAN))
    inferred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LearningItemTag(Base):
    """An ESCO skill inferred from a learning item's description (framework skills follow from
    the crosswalk when read, so a reviewed crosswalk changes them without tagging again)."""

    __tablename__ = "learning_item_tag"
    __table_args__ = (
        CheckConstraint("span_start >= 0 AND span_end >= span_start", name="span"),
        CheckConstraint("status IN ('inferred', 'confirmed', 'rejected')", name="status"),
    )

    item_id: Mapped[int] = mapped_column(
        ForeignKey("learning_item.id", ondelete="CASCADE"), primary_key=True
    )
    esco_key: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)
    esco_label: Mapped[str] = mapped_column(String(300))
    score: Mapped[float] = mapped_column(Float)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    tagged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # A learning admin's review: confirmed and rejected tags survive re-tagging (a rejected one
    # is kept so that tagging again cannot bring it back).
    status: Mapped[str] = mapped_column(String(20), default="inferred", server_default="inferred")
    reviewed_by: Mapped[str | None] = mapped_column(String(300))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The framework skill keys (space-separated) confirming added to what the item teaches, so
    # that rejecting it later removes exactly those and nothing the catalogue declared.
    added_skills: Mapped[str] = mapped_column(Text, default="", server_default="")


class OpportunitySkillSuggestion(Base):
    """A framework skill an opportunity's description suggests, for its owner to confirm as a
    required skill (with a level of their choosing); written by the `tag-opportunities` job."""

    __tablename__ = "opportunity_skill_suggestion"
    __table_args__ = (CheckConstraint("span_start >= 0 AND span_end >= span_start", name="span"),)

    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunity.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    esco_key: Mapped[str] = mapped_column(String(200))
    esco_label: Mapped[str] = mapped_column(String(300))
    score: Mapped[float] = mapped_column(Float)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    suggested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SkillChangeRequest(Base):
    """Demand for an ESCO skill that no skill of a framework version covers, for its owners.

    `sightings` counts the texts it was found in. `example` is only ever taken from text that is
    not about a person (a learning item's description), never from a CV.
    """

    __tablename__ = "skill_change_request"
    __table_args__ = (
        UniqueConstraint("framework_version_id", "esco_key"),
        CheckConstraint("status IN ('open', 'accepted', 'declined')", name="status"),
        CheckConstraint("sightings >= 1", name="sightings"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique (version, ESCO key) constraint indexes the version too.
    framework_version_id: Mapped[int] = mapped_column(
        ForeignKey("framework_version.id", ondelete="CASCADE")
    )
    esco_key: Mapped[str] = mapped_column(String(200))
    esco_label: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="open")
    sightings: Mapped[int] = mapped_column(Integer, default=1)
    best_score: Mapped[float] = mapped_column(Float)
    example: Mapped[str] = mapped_column(String(MAX_SPAN), default="")
    example_source: Mapped[str] = mapped_column(String(300), default="")
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(300))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")
