"""The shape of an Open Badges 3.0 credential (an `OpenBadgeCredential`, a W3C Verifiable
Credential 2.0): build one from plain facts, and list what is wrong with one read from a file.

Pure: dictionaries and dataclasses in and out, no keys and no store. Signing and checking the
signature belong to the services (VC-JOSE: the credential is the payload of a signed JWT).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
URN_UUID = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# A URI: a scheme, a colon and something after it (RFC 3986's scheme rule).
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


@dataclass(frozen=True)
class Issuer:
    """The issuing organisation's Profile."""

    id: str
    name: str


@dataclass(frozen=True)
class Achievement:
    """What was achieved: its id (a URI), name, description and criteria (a narrative)."""

    id: str
    name: str
    description: str
    criteria: str
    achievement_type: str = "Achievement"


@dataclass(frozen=True)
class CredentialFacts:
    credential_id: str  # urn:uuid:…
    issuer: Issuer
    achievement: Achievement
    recipient_name: str
    # sha256$hex of the salted email (OB 3.0 IdentityObject), or None without an email.
    recipient_email_hash: str | None
    recipient_salt: str
    valid_from: datetime
    valid_until: datetime | None = None


def instant(value: datetime) -> str:
    """An XML Schema dateTimeStamp in UTC, to the second, as VC 2.0 asks."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_instant(value: object) -> datetime | None:
    """A dateTimeStamp (with its zone) read back, or None if it is not one."""
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d\d-\d\dT", value):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def build_credential(facts: CredentialFacts) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential for these facts."""
    identifiers: list[dict[str, Any]] = [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": facts.recipient_name,
        }
    ]
    if facts.recipient_email_hash is not None:
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": facts.recipient_email_hash,
                "salt": facts.recipient_salt,
            }
        )
    achievement = facts.achievement
    credential: dict[str, Any] = {
        "@context": [VC2_CONTEXT, OB3_CONTEXT],
        "id": facts.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement.name,
        "issuer": {"id": facts.issuer.id, "type": ["Profile"], "name": facts.issuer.name},
        "validFrom": instant(facts.valid_from),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "achievement": {
                "id": achievement.id,
                "type": ["Achievement"],
                "achievementType": achievement.achievement_type,
                "name": achievement.name,
                "description": achievement.description,
                "criteria": {"narrative": achievement.criteria},
                "creator": {
                    "id": facts.issuer.id,
                    "type": ["Profile"],
                    "name": facts.issuer.name,
                },
            },
        },
    }
    if facts.valid_until is not None:
        credential["validUntil"] = instant(facts.valid_until)
    return credential


def _types(value: object) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return set(value)
    return set()


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _profile_problems(where: str, profile: object) -> list[str]:
    if not isinstance(profile, dict):
        return [f"{where} must be an object (a Profile)"]
    problems = []
    if not (isinstance(profile.get("id"), str) and URI.match(profile["id"])):
        problems.append(f"{where}.id must be a URI")
    if "Profile" not in _types(profile.get("type")):
        problems.append(f"{where}.type must include Profile")
    return problems


def _achievement_problems(achievement: object) -> list[str]:
    where = "credentialSubject.achievement"
    if not isinstance(achievement, dict):
        return [f"{where} must be an object (an Achievement)"]
    problems = []
    if not (isinstance(achievement.get("id"), str) and URI.match(achievement["id"])):
        problems.append(f"{where}.id must be a URI")
    if "Achievement" not in _types(achievement.get("type")):
        problems.append(f"{where}.type must include Achievement")
    for name in ("name", "description"):
        if not _text(achievement.get(name)):
            problems.append(f"{where}.{name} must be a non-empty string")
    criteria = achievement.get("criteria")
    if not (
        isinstance(criteria, dict)
        and (_text(criteria.get("narrative")) or _text(criteria.get("id")))
    ):
        problems.append(f"{where}.criteria must have a narrative or an id")
    return problems


def credential_problems(credential: object) -> list[str]:
    """What keeps this from being a well-formed OpenBadgeCredential (empty if nothing), each
    naming the property and the rule it breaks."""
    if not isinstance(credential, dict):
        return ["the credential must be a JSON object"]
    problems = []
    context = credential.get("@context")
    if not (isinstance(context, list) and context and context[0] == VC2_CONTEXT):
        problems.append(f"@context must be a list starting with {VC2_CONTEXT}")
    elif not any(
        isinstance(c, str) and c.startswith("https://purl.imsglobal.org/spec/ob/v3p0/context")
        for c in context
    ):
        problems.append("@context must include the Open Badges 3.0 context")
    types = _types(credential.get("type"))
    for needed in ("VerifiableCredential", "OpenBadgeCredential"):
        if needed not in types:
            problems.append(f"type must include {needed}")
    if not (isinstance(credential.get("id"), str) and URN_UUID.match(credential["id"])):
        problems.append("id must be a urn:uuid")
    problems += _profile_problems("issuer", credential.get("issuer"))
    valid_from = parse_instant(credential.get("validFrom"))
    if valid_from is None:
        problems.append("validFrom must be a date and time with its time zone")
    if "validUntil" in credential:
        valid_until = parse_instant(credential["validUntil"])
        if valid_until is None:
            problems.append("validUntil must be a date and time with its time zone")
        elif valid_from is not None and valid_until < valid_from:
            problems.append("validUntil must not be before validFrom")
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict):
        problems.append("credentialSubject must be an object (an AchievementSubject)")
    else:
        if "AchievementSubject" not in _types(subject.get("type")):
            problems.append("credentialSubject.type must include AchievementSubject")
        if not subject.get("id") and not subject.get("identifier"):
            problems.append("credentialSubject must have an id or an identifier")
        problems += _achievement_problems(subject.get("achievement"))
    return problems
