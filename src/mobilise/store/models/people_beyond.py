"""People beyond the civil service: interest in what has not opened yet, and each cohort's terms
for outsiders, its training provider and its funding source.

Interest is kept per person and target (a programme, a job family or a learning item, by key) so
a cohort opening finds who asked in one indexed read. A cohort's terms live beside the cohort,
not on it, because most cohorts have none: no row means the cohort is closed to outsiders and
no provider or funding source is recorded. Assessment scores (a provider's assessments, quizzes)
belong to a participant's application: that is their place on the cohort.
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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mobilise.store.models.base import Base
from mobilise.store.models.programmes import one_of

INTEREST_KINDS = ("programme", "role_family", "course")
FUNDING_SOURCES = ("apprenticeship_levy", "department_budget", "central_funding", "self_funded")


class Interest(Base):
    """A person asking to be told when applications open for something."""

    __tablename__ = "interest"
    __table_args__ = (
        UniqueConstraint("person_id", "kind", "target_key"),
        CheckConstraint(one_of("kind", INTEREST_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    target_key: Mapped[str] = mapped_column(String(200), index=True)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The latest time a cohort opening was announced to them (they are told again for the next).
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CohortTerms(Base):
    """Who may apply from outside government, who delivers a cohort and who pays for it."""

    __tablename__ = "cohort_terms"
    __table_args__ = (
        CheckConstraint(
            "funding_source IS NULL OR " + one_of("funding_source", FUNDING_SOURCES),
            name="funding_source",
        ),
    )

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True
    )
    open_to_outsiders: Mapped[bool] = mapped_column(Boolean, default=False)
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    funding_source: Mapped[str | None] = mapped_column(String(40))


class AssessmentScore(Base):
    """A participant's score in one named assessment of their cohort (recording it again
    replaces it)."""

    __tablename__ = "assessment_score"
    __table_args__ = (
        UniqueConstraint("application_id", "name"),
        CheckConstraint("max_score > 0 AND score >= 0 AND score <= max_score", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)
    assessed_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(300))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BidProvider(Base):
    """The training provider a bid (an apprenticeship opportunity, one per role) names."""

    __tablename__ = "bid_provider"

    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunity.id", ondelete="CASCADE"), primary_key=True
    )
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )


class CourseEnrolment(Base):
    """A person enrolled on a course of the learning catalogue (open courses as well as a
    cohort's). Finishing it is a learning completion, kept where every completion is."""

    __tablename__ = "course_enrolment"
    __table_args__ = (UniqueConstraint("person_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("learning_item.id", ondelete="CASCADE"), index=True
    )
    enrolled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CourseWeek(Base):
    """One week of progress on an enrolment: how much is done and the week's quiz score."""

    __tablename__ = "course_week"
    __table_args__ = (
        CheckConstraint("week >= 1 AND week <= 104", name="week"),
        CheckConstraint("percent_done >= 0 AND percent_done <= 100", name="percent_done"),
        CheckConstraint(
            "(quiz_score IS NULL AND quiz_max IS NULL) OR "
            "(quiz_max > 0 AND quiz_score >= 0 AND quiz_score <= quiz_max)",
            name="quiz",
        ),
    )

    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("course_enrolment.id", ondelete="CASCADE"), primary_key=True
    )
    week: Mapped[int] = mapped_column(Integer, primary_key=True)
    percent_done: Mapped[int] = mapped_column(Integer)
    quiz_score: Mapped[float | None] = mapped_column(Float)
    quiz_max: Mapped[float | None] = mapped_column(Float)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
