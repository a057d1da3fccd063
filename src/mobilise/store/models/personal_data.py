"""Personal-data rights in the store: a person's requests to be erased and their decisions.

A request outlives the erasure it leads to: once carried out it keeps only the pseudonym that
replaced the person's name everywhere, the dates and who decided (their reason, never the
person's own words, which are cleared).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mobilise.store.models.base import Base

ERASURE_STATES = ("pending", "erased", "refused", "cancelled")


class ErasureRequest(Base):
    """A person asks to be erased; an admin of their organisation (a service admin for people
    without one) carries it out or refuses it with a reason."""

    __tablename__ = "erasure_request"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'erased', 'refused', 'cancelled')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    # Whose admins decide; None: the service's admins (people outside any organisation).
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[str] = mapped_column(String(20), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")  # the person's; cleared on erasure
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str] = mapped_column(String(300), default="")
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    # The stable pseudonym that replaced the person's name, key and email on erasure.
    pseudonym: Mapped[str | None] = mapped_column(String(40), unique=True)
