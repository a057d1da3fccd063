"""Verifying a credential offline: the file alone and this Mobilise's store, no network.

Checks, in order: it is a signed credential (a compact JWS, `typ` vc+jwt, alg Ed25519); its key
(`kid`) is one this Mobilise's organisations sign with, retired keys included; the signature
matches; the content is a well-formed OpenBadgeCredential; the issuer it names owns that key;
it is valid now (validFrom, validUntil); this Mobilise issued it and has not revoked it. The
first four stop the checking when they fail (nothing after them can be trusted); each failure
says what failed and why.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey
from sqlalchemy import Engine, select

from mobilise.core.credentials import credential_problems, parse_instant
from mobilise.services.credential_keys import ALGORITHM
from mobilise.store.database import reading
from mobilise.store.models import Credential, CredentialSigningKey, Organisation

MAX_LENGTH = 100_000
CHECKS = ("format", "key", "signature", "shape", "issuer", "validity", "status")


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool | None  # None: not checked, because an earlier check failed
    detail: str


@dataclass(frozen=True)
class Verification:
    checks: list[Check]
    credential: dict[str, Any] | None = None
    issuer_name: str | None = None
    organisation_key: str | None = None
    achievement_name: str | None = None
    recipient_name: str | None = None

    @property
    def valid(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.passed is False]

    @property
    def reason(self) -> str:
        """The failures in one sentence each, or that it is valid."""
        if self.valid:
            return "The credential is valid."
        return " ".join(f"{c.name}: {c.detail}" for c in self.failures)


def _stopped(done: list[Check], name: str, detail: str) -> Verification:
    done.append(Check(name, False, detail))
    rest = CHECKS[len(done) :]
    return Verification(
        done + [Check(n, None, "not checked: an earlier check failed") for n in rest]
    )


def _header(segment: str) -> dict[str, Any] | None:
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        header = json.loads(raw)
    except (binascii.Error, ValueError):
        return None
    return header if isinstance(header, dict) else None


def _format(text: str) -> tuple[dict[str, Any] | None, str]:
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except ValueError:
            return None, "the file is neither a signed credential (JWT) nor JSON"
        if isinstance(document, dict) and "proof" in document:
            return None, (
                "this is a credential with an embedded proof (Data Integrity), which Mobilise "
                "does not issue or check: verify the .jwt file"
            )
        return None, (
            "this is a credential's readable JSON, which carries no signature: verify the "
            "signed .jwt file"
        )
    parts = text.split(".")
    if len(parts) != 3 or not all(parts):
        return None, "it is not a signed credential: a JWT has three parts separated by dots"
    header = _header(parts[0])
    if header is None:
        return None, "the JWT's header is not base64url-encoded JSON"
    if header.get("alg") != ALGORITHM:
        return None, f"the signing algorithm is {header.get('alg')!r}; Mobilise signs with Ed25519"
    if header.get("typ") not in ("vc+jwt", "application/vc+jwt"):
        return None, f"the JWT's typ is {header.get('typ')!r}, not vc+jwt"
    if not isinstance(header.get("kid"), str):
        return None, "the JWT's header names no key (kid)"
    return header, "a signed credential (vc+jwt, Ed25519)"


def verify_credential(engine: Engine, text: str, *, at: datetime | None = None) -> Verification:
    """Check a credential as given (a compact JWT); `at` is the moment to judge validity at
    (now unless given)."""
    moment = at or datetime.now(UTC)
    text = text.strip()
    done: list[Check] = []
    if not text:
        return _stopped(done, "format", "the file is empty")
    if len(text) > MAX_LENGTH:
        return _stopped(done, "format", f"it is longer than {MAX_LENGTH} characters")
    header, detail = _format(text)
    if header is None:
        return _stopped(done, "format", detail)
    done.append(Check("format", True, detail))
    with reading(engine) as session:
        found = session.execute(
            select(CredentialSigningKey, Organisation)
            .join(Organisation, Organisation.id == CredentialSigningKey.organisation_id)
            .where(CredentialSigningKey.kid == header["kid"])
        ).first()
        if found is None:
            return _stopped(
                done,
                "key",
                f"it is signed with a key this Mobilise does not know (kid {header['kid'][:60]})",
            )
        key_row, organisation = found
        issuer_name, organisation_key = organisation.name, organisation.key
        retired = " (since retired; it still verifies what it signed)" if key_row.retired_at else ""
        done.append(Check("key", True, f"a key of {organisation.name}{retired}"))
        try:
            public = OKPKey.import_key(dict(key_row.public_jwk))
            signed = jws.deserialize_compact(text, public, algorithms=[ALGORITHM])
        except JoseError:
            return _stopped(
                done,
                "signature",
                "the signature does not match the content: it was changed after signing, or "
                f"signed with another key than {organisation.name}'s",
            )
        done.append(Check("signature", True, f"signed by {organisation.name}'s key"))
        try:
            credential = json.loads(signed.payload)
        except ValueError:
            return _stopped(done, "shape", "the signed content is not JSON")
        problems = credential_problems(credential)
        if problems:
            return _stopped(
                done,
                "shape",
                "not a well-formed Open Badges 3.0 credential: " + "; ".join(problems),
            )
        done.append(Check("shape", True, "a well-formed Open Badges 3.0 credential"))
        issuer = credential["issuer"]
        if issuer["id"] != key_row.issuer_id:
            done.append(
                Check(
                    "issuer",
                    False,
                    f"it names the issuer {issuer['id'][:80]}, but the key belongs to "
                    f"{organisation.name} ({key_row.issuer_id})",
                )
            )
        else:
            done.append(Check("issuer", True, f"issued by {organisation.name}"))
        done.append(_validity(credential, moment))
        stored = session.scalar(select(Credential).where(Credential.key == credential["id"]))
        if stored is None or stored.signing_key_id != key_row.id:
            done.append(Check("status", False, "this Mobilise has no record of issuing it"))
        elif stored.revoked_at is not None:
            on = stored.revoked_at.date().isoformat()
            done.append(Check("status", False, f"revoked on {on}: {stored.revoked_reason}"))
        else:
            done.append(Check("status", True, "issued by this Mobilise and not revoked"))
    achievement = credential["credentialSubject"]["achievement"]
    names = [
        i.get("identityHash")
        for i in credential["credentialSubject"].get("identifier", [])
        if isinstance(i, dict) and i.get("identityType") == "name" and not i.get("hashed")
    ]
    return Verification(
        done,
        credential=credential,
        issuer_name=issuer_name,
        organisation_key=organisation_key,
        achievement_name=str(achievement["name"]),
        recipient_name=str(names[0]) if names else None,
    )


def _validity(credential: dict[str, Any], moment: datetime) -> Check:
    valid_from = parse_instant(credential["validFrom"])
    assert valid_from is not None  # the shape check has passed
    if moment < valid_from:
        return Check("validity", False, f"it is not valid until {credential['validFrom']}")
    if "validUntil" in credential:
        valid_until = parse_instant(credential["validUntil"])
        assert valid_until is not None
        if moment > valid_until:
            return Check("validity", False, f"it expired at {credential['validUntil']}")
        return Check("validity", True, f"valid until {credential['validUntil']}")
    return Check("validity", True, f"valid from {credential['validFrom']}, with no expiry")
