"""The guidance hub: published guidance (GOV.UK, ICO, ...) as links with a summary written here.

An item says which register project phases and kinds it applies to, so each AI project shows the
guidance for where it is. Topics, phases and kinds are short closed or near-closed lists read
whole with the item (tens of items, never filtered in SQL), so they are JSON lists. An item
replaced by a newer one points at it; following the pointers gives the chain.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mobilise.store.models.base import Base


class GuidanceItem(Base):
    """One piece of published guidance, linked to where it lives."""

    __tablename__ = "guidance_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(1000))
    summary: Mapped[str] = mapped_column(Text)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    phases: Mapped[list[str]] = mapped_column(JSON, default=list)  # register finder phases
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)  # project, challenge
    published_on: Mapped[date] = mapped_column(Date)
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("guidance_item.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
