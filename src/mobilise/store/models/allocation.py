"""Allocation runs: frozen inputs, method and parameters, and the result, so a run can be replayed.

Documents are stored as canonical JSON text (sorted keys, no spaces), not as a JSON column, so that
"reproduced byte for byte" can be checked by comparing strings on either store.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mobilise.store.models.base import Base


class AllocationRunRecord(Base):
    __tablename__ = "allocation_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    method: Mapped[str] = mapped_column(String(20))
    seed: Mapped[int] = mapped_column(Integer)
    parameters: Mapped[str] = mapped_column(Text)
    problem: Mapped[str] = mapped_column(Text)
    problem_sha256: Mapped[str] = mapped_column(String(64), index=True)
    result: Mapped[str] = mapped_column(Text)
    applicants: Mapped[int] = mapped_column(Integer)
    matched: Mapped[int] = mapped_column(Integer)
    solve_seconds: Mapped[float] = mapped_column(Float)
    # The organisation whose programme admins made the run in the web service (they may read
    # it); None for runs from the command line or a selection, which service admins read.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True, default=None
    )
