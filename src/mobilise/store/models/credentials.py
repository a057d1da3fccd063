"""Open Badges credentials: organisations' signing keys, the credentials issued, and the learning
pathways people follow (whose completion issues one).

A signing key's private half is kept encrypted with a key derived from the app's secret setting,
and dropped when the key is retired; its public half (a JWK) stays so that credentials it signed
still verify. A credential keeps the signed JWT exactly as issued, and its revocation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mobilise.store.models.base import Base

CREDENTIAL_KINDS = ("cohort", "pathway", "hackathon", "other")


class CredentialSigningKey(Base):
    __tablename__ = "credential_signing_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    # The JWK thumbprint (RFC 7638): the `kid` of every JWT the key signs.
    kid: Mapped[str] = mapped_column(String(100), unique=True)
    # The issuer Profile's id, the same for every key of the organisation.
    issuer_id: Mapped[str] = mapped_column(String(200))
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    # PKCS#8 PEM encrypted with a key derived from MOBILISE_SECRET_KEY; None once retired.
    private_key: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Credential(Base):
    __tablename__ = "credential"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('cohort', 'pathway', 'hackathon', 'other')",
            name="kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The credential's own id: urn:uuid:…
    key: Mapped[str] = mapped_column(String(60), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    signing_key_id: Mapped[int] = mapped_column(
        ForeignKey("credential_signing_key.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    # The achievement's stable key (e.g. cohort:ai-accelerator-1): one credential per person each.
    achievement_key: Mapped[str] = mapped_column(String(300), index=True)
    achievement_name: Mapped[str] = mapped_column(String(300))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    valid_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    token: Mapped[str] = mapped_column(Text)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str] = mapped_column(Text, default="")


class FollowedPathway(Base):
    """A person follows the learning pathway they were shown to a role level: its items are kept
    as they were then, and completing them all issues a credential."""

    __tablename__ = "followed_pathway"
    __table_args__ = (UniqueConstraint("person_id", "target_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    target_key: Mapped[str] = mapped_column(String(200))
    target_name: Mapped[str] = mapped_column(String(300))
    item_keys: Mapped[list[str]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("credential.id", ondelete="SET NULL"), index=True
    )
