"""Organisations' credential signing keys (Ed25519): made on first issue, rotated on request.

The private key is kept as encrypted PKCS#8, its password derived (HKDF-SHA256) from the app's
secret setting, so a copy of the database alone cannot sign. Rotating makes a new key and retires
the old one: its private half is dropped, its public JWK kept so that what it signed still
verifies. Changing the secret setting leaves keys that cannot be decrypted; rotating then makes
a usable one (old credentials still verify: verifying needs only public keys).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc.jwk import OKPKey
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mobilise.services.actors import Actor, Role
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.settings import get_settings
from mobilise.store.database import reading, transaction
from mobilise.store.models import CredentialSigningKey, Organisation

ALGORITHM = "Ed25519"  # RFC 9864's fully-specified name for EdDSA over Ed25519


class SigningKeyUnusable(Exception):
    """The organisation's key cannot be decrypted with the current secret setting."""


@dataclass(frozen=True)
class PublishedKey:
    kid: str
    jwk: dict[str, Any]
    created_at: datetime
    retired_at: datetime | None


def _password(secret: str) -> bytes:
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"mobilise",
        info=b"credential signing keys",
    ).derive(secret.encode())
    return derived.hex().encode()


def _secret() -> str:
    return get_settings().session_secret()


def _new_key(session: Session, organisation: Organisation, issuer_id: str) -> CredentialSigningKey:
    key = OKPKey.generate_key("Ed25519")
    public = dict(key.as_dict(private=False))
    public["kid"] = key.thumbprint()
    public["alg"] = ALGORITHM
    public["use"] = "sig"
    row = CredentialSigningKey(
        organisation_id=organisation.id,
        kid=key.thumbprint(),
        issuer_id=issuer_id,
        public_jwk=public,
        private_key=key.as_pem(private=True, password=_password(_secret()).decode()).decode(),
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return row


def current_key(session: Session, organisation: Organisation) -> CredentialSigningKey | None:
    return session.scalar(
        select(CredentialSigningKey)
        .where(
            CredentialSigningKey.organisation_id == organisation.id,
            CredentialSigningKey.retired_at.is_(None),
        )
        .order_by(CredentialSigningKey.id.desc())
    )


def issuer_id_of(session: Session, organisation: Organisation) -> str | None:
    """The organisation's issuer id, if it has ever issued (every key of it carries the same)."""
    return session.scalar(
        select(CredentialSigningKey.issuer_id)
        .where(CredentialSigningKey.organisation_id == organisation.id)
        .order_by(CredentialSigningKey.id)
        .limit(1)
    )


def signing_key(
    session: Session, organisation: Organisation
) -> tuple[CredentialSigningKey, OKPKey]:
    """The organisation's current key with its private half, made on first use, in the caller's
    transaction."""
    row = current_key(session, organisation)
    if row is None:
        issuer_id = issuer_id_of(session, organisation) or f"urn:uuid:{uuid.uuid4()}"
        row = _new_key(session, organisation, issuer_id)
    assert row.private_key is not None
    try:
        key = OKPKey.import_key(row.private_key, password=_password(_secret()).decode())
    except ValueError as error:
        raise SigningKeyUnusable(
            f"the signing key of {organisation.key} cannot be decrypted with this secret "
            f"setting; rotate it (mobilise badge rotate-key {organisation.key})"
        ) from error
    return row, key


def _organisation(session: Session, organisation_key: str) -> Organisation:
    organisation = session.scalar(select(Organisation).where(Organisation.key == organisation_key))
    if organisation is None:
        raise UnknownKey("organisation", organisation_key)
    return organisation


def rotate_key(engine: Engine, actor: Actor, organisation_key: str) -> str:
    """Retire the organisation's current key (keeping its public half) and make a new one; the
    organisation's admins or a service admin. Returns the new key's id (kid)."""
    with transaction(engine) as session:
        organisation = _organisation(session, organisation_key)
        if not (
            actor.is_operator
            or organisation.id in actor.organisations_where(Role.ORGANISATION_ADMIN)
        ):
            raise NotPermitted("only the organisation's admins may rotate its signing key")
        old = current_key(session, organisation)
        issuer_id = issuer_id_of(session, organisation) or f"urn:uuid:{uuid.uuid4()}"
        if old is not None:
            old.retired_at = datetime.now(UTC)
            old.private_key = None
        new = _new_key(session, organisation, issuer_id)
        record_event(
            session,
            actor,
            "credential.key_rotated",
            entity_type="organisation",
            entity_key=organisation.key,
            organisation_id=organisation.id,
            before={"kid": old.kid} if old is not None else None,
            after={"kid": new.kid},
        )
        return new.kid


def published_keys(engine: Engine, organisation_key: str) -> tuple[str | None, list[PublishedKey]]:
    """The organisation's issuer id and every public key it has signed with, newest first."""
    with reading(engine) as session:
        organisation = _organisation(session, organisation_key)
        rows = session.scalars(
            select(CredentialSigningKey)
            .where(CredentialSigningKey.organisation_id == organisation.id)
            .order_by(CredentialSigningKey.id.desc())
        ).all()
        return (
            rows[-1].issuer_id if rows else None,
            [
                PublishedKey(
                    r.kid, dict(r.public_jwk), _utc(r.created_at), _utc_or_none(r.retired_at)
                )
                for r in rows
            ],
        )


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; all are stored in UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _utc_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else _utc(value)
