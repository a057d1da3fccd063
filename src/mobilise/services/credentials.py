"""Issuing Open Badges 3.0 credentials, reading them, and revoking them.

A credential is an `OpenBadgeCredential` (core/credentials) signed as a VC-JOSE JWT (`typ`
vc+jwt, EdDSA over Ed25519) with the issuing organisation's current key (services/
credential_keys.py). Issuing is audited and announced to the recipient in the outbox, in the
transaction that issues; one credential per person and achievement (issuing again returns it,
unless it was revoked). Other areas call `issue_credential` (its own transaction, for a caller
with the right to issue) or `issue_in_session` (inside a change the caller already checked, e.g.
a participant marked complete).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from joserfc import jws
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from mobilise.core.credentials import Achievement, CredentialFacts, Issuer, build_credential
from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor, Role, command_line_actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.credential_keys import ALGORITHM, signing_key
from mobilise.services.outbox import notify
from mobilise.services.people import PersonNotFound, may_see
from mobilise.store.database import reading, transaction
from mobilise.store.models import Credential, Organisation, Person
from mobilise.store.models.credentials import CREDENTIAL_KINDS

MEDIA_TYPE = "application/vc+jwt"
# Open Badges 3.0's achievementType vocabulary, by what earned the credential.
ACHIEVEMENT_TYPES = {
    "cohort": "CertificateOfCompletion",
    "pathway": "LearningProgram",
    "hackathon": "Award",
    "other": "Achievement",
}
REASON_LENGTH = 500


class CredentialNotFound(UnknownKey):
    """No credential with this id that the actor may see."""

    def __init__(self, key: str) -> None:
        super().__init__("credential", key)


@dataclass(frozen=True)
class AchievementSpec:
    """What a credential says was achieved. `key` is stable for the achievement (e.g.
    `cohort:ai-accelerator-1`, `hackathon:ai-2026:winner`): a person holds one credential per
    key and issuer. `kind` is one of cohort, pathway, hackathon, other."""

    key: str
    name: str
    description: str
    criteria: str
    kind: str = "other"
    valid_for_days: int | None = None


@dataclass(frozen=True)
class IssuedCredential:
    key: str  # urn:uuid:…
    person_key: str
    person_name: str
    organisation_id: int
    organisation_key: str
    organisation_name: str
    kind: str
    achievement_key: str
    achievement_name: str
    issued_at: datetime
    valid_until: datetime | None
    revoked_at: datetime | None
    revoked_reason: str
    token: str

    @property
    def uuid(self) -> str:
        return self.key.removeprefix("urn:uuid:")

    @property
    def credential(self) -> dict[str, Any]:
        """The signed credential's content (the JWT's payload), as issued."""
        payload = jws.extract_compact(self.token.encode()).payload
        document: dict[str, Any] = json.loads(payload)
        return document


def _utc(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; all are stored in UTC.
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def _view(row: Credential, person: Person, organisation: Organisation) -> IssuedCredential:
    issued = _utc(row.issued_at)
    assert issued is not None
    return IssuedCredential(
        key=row.key,
        person_key=person.key,
        person_name=person.display_name,
        organisation_id=organisation.id,
        organisation_key=organisation.key,
        organisation_name=organisation.name,
        kind=row.kind,
        achievement_key=row.achievement_key,
        achievement_name=row.achievement_name,
        issued_at=issued,
        valid_until=_utc(row.valid_until),
        revoked_at=_utc(row.revoked_at),
        revoked_reason=row.revoked_reason,
        token=row.token,
    )


def _checked(spec: AchievementSpec) -> None:
    source = f"achievement {spec.key[:60]}"
    problems = [
        Problem(source, None, name, value[:60], "must not be empty")
        for name, value in (
            ("key", spec.key),
            ("name", spec.name),
            ("description", spec.description),
            ("criteria", spec.criteria),
        )
        if not value.strip()
    ]
    if len(spec.key) > 300 or len(spec.name) > 300:
        problems.append(Problem(source, None, "key", spec.key[:60], "key and name: at most 300"))
    if spec.kind not in CREDENTIAL_KINDS:
        rule = "must be one of " + ", ".join(CREDENTIAL_KINDS)
        problems.append(Problem(source, None, "kind", spec.kind, rule))
    if spec.valid_for_days is not None and not 1 <= spec.valid_for_days <= 36_500:
        rule = "must be from 1 to 36500 days"
        problems.append(Problem(source, None, "valid_for_days", str(spec.valid_for_days), rule))
    if problems:
        raise InvalidInput(problems)


def _email_hash(email: str, salt: str) -> str:
    # OB 3.0 IdentityObject: sha256$ and the hex digest of the address and the salt.
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def issue_in_session(
    session: Session,
    actor: Actor | None,
    person: Person,
    organisation: Organisation,
    spec: AchievementSpec,
    *,
    issued_at: datetime | None = None,
) -> IssuedCredential:
    """Issue in the caller's transaction, which has already decided the actor may; or return
    the person's unrevoked credential for this achievement from this issuer."""
    _checked(spec)
    existing = session.scalar(
        select(Credential).where(
            Credential.person_id == person.id,
            Credential.organisation_id == organisation.id,
            Credential.achievement_key == spec.key,
            Credential.revoked_at.is_(None),
        )
    )
    if existing is not None:
        return _view(existing, person, organisation)
    key_row, private_key = signing_key(session, organisation)
    issued = (issued_at or datetime.now(UTC)).replace(microsecond=0)
    valid_until = issued + timedelta(days=spec.valid_for_days) if spec.valid_for_days else None
    credential_id = f"urn:uuid:{uuid.uuid4()}"
    issuer_uuid = uuid.UUID(key_row.issuer_id.removeprefix("urn:uuid:"))
    salt = secrets.token_hex(8)
    document = build_credential(
        CredentialFacts(
            credential_id=credential_id,
            issuer=Issuer(key_row.issuer_id, organisation.name),
            achievement=Achievement(
                id=f"urn:uuid:{uuid.uuid5(issuer_uuid, spec.key)}",
                name=spec.name,
                description=spec.description,
                criteria=spec.criteria,
                achievement_type=ACHIEVEMENT_TYPES[spec.kind],
            ),
            recipient_name=person.display_name,
            recipient_email_hash=_email_hash(person.email, salt) if person.email else None,
            recipient_salt=salt,
            valid_from=issued,
            valid_until=valid_until,
        )
    )
    token = jws.serialize_compact(
        {"alg": ALGORITHM, "typ": "vc+jwt", "cty": "vc", "kid": key_row.kid},
        json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode(),
        private_key,
        algorithms=[ALGORITHM],
    )
    row = Credential(
        key=credential_id,
        person_id=person.id,
        organisation_id=organisation.id,
        signing_key_id=key_row.id,
        kind=spec.kind,
        achievement_key=spec.key,
        achievement_name=spec.name[:300],
        issued_at=issued,
        valid_until=valid_until,
        token=token,
        revoked_reason="",
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor,
        "credential.issued",
        entity_type="credential",
        entity_key=credential_id,
        organisation_id=organisation.id,
        after={
            "person": person.key,
            "achievement": spec.key,
            "kind": spec.kind,
            "kid": key_row.kid,
            "valid_until": valid_until,
        },
    )
    view = _view(row, person, organisation)
    notify(
        session,
        person,
        "credential.issued",
        f"You have a credential: {spec.name}",
        f"{organisation.name} issued you an Open Badges credential for “{spec.name}”. "
        "Download it from your credentials page; anyone can check it on the verify page.",
        f"/credentials/{view.uuid}",
    )
    return view


def may_issue(actor: Actor, organisation_id: int) -> bool:
    """Service admins, and the issuing organisation's programme and organisation admins."""
    return actor.is_operator or any(
        organisation_id in actor.organisations_where(role)
        for role in (Role.ORGANISATION_ADMIN, Role.PROGRAMME_ADMIN)
    )


def issue_credential(
    engine: Engine,
    actor: Actor | None,
    *,
    recipient_person_key: str,
    issuer_organisation_key: str,
    achievement: AchievementSpec,
    issued_at: datetime | None = None,
) -> IssuedCredential:
    """Issue a credential to a person from an organisation, in its own transaction, if the
    actor may issue for that organisation (NotPermitted otherwise)."""
    who = actor or command_line_actor()
    with transaction(engine) as session:
        organisation = session.scalar(
            select(Organisation).where(Organisation.key == issuer_organisation_key)
        )
        if organisation is None:
            raise UnknownKey("organisation", issuer_organisation_key)
        if not may_issue(who, organisation.id):
            raise NotPermitted("only the organisation's admins may issue its credentials")
        person = session.scalar(select(Person).where(Person.key == recipient_person_key))
        if person is None:
            raise PersonNotFound(recipient_person_key)
        return issue_in_session(
            session, actor, person, organisation, achievement, issued_at=issued_at
        )


def _rows(session: Session, *conditions: Any) -> list[IssuedCredential]:
    rows = session.execute(
        select(Credential, Person, Organisation)
        .join(Person, Person.id == Credential.person_id)
        .join(Organisation, Organisation.id == Credential.organisation_id)
        .where(*conditions)
        .order_by(Credential.issued_at.desc(), Credential.id.desc())
    ).all()
    return [_view(c, p, o) for c, p, o in rows]


def my_credentials(engine: Engine, actor: Actor) -> list[IssuedCredential]:
    """The actor's own credentials, newest first (none for an account that is not a person)."""
    if actor.person_id is None:
        return []
    with reading(engine) as session:
        return _rows(session, Credential.person_id == actor.person_id)


def issued_by(engine: Engine, actor: Actor, organisation_key: str) -> list[IssuedCredential]:
    """What an organisation has issued, for its admins (and service admins)."""
    with reading(engine) as session:
        organisation = session.scalar(
            select(Organisation).where(Organisation.key == organisation_key)
        )
        if organisation is None:
            raise UnknownKey("organisation", organisation_key)
        if not may_issue(actor, organisation.id):
            raise NotPermitted("only the organisation's admins see what it issued")
        return _rows(session, Credential.organisation_id == organisation.id)


def issued_for_admin(
    engine: Engine, actor: Actor, *, limit: int = 50, offset: int = 0
) -> tuple[list[IssuedCredential], int]:
    """What the organisations the actor administers have issued (all, for service admins),
    newest first, a page at a time, with the total."""
    if actor.is_operator:
        condition: Any = Credential.id.is_not(None)
    else:
        organisations = actor.organisations_where(Role.ORGANISATION_ADMIN) | (
            actor.organisations_where(Role.PROGRAMME_ADMIN)
        )
        if not organisations:
            raise NotPermitted("only organisation and programme admins see what was issued")
        condition = Credential.organisation_id.in_(organisations)
    with reading(engine) as session:
        total = session.scalar(select(func.count(Credential.id)).where(condition)) or 0
        rows = session.execute(
            select(Credential, Person, Organisation)
            .join(Person, Person.id == Credential.person_id)
            .join(Organisation, Organisation.id == Credential.organisation_id)
            .where(condition)
            .order_by(Credential.issued_at.desc(), Credential.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        return [_view(c, p, o) for c, p, o in rows], int(total)


def _load(session: Session, credential_uuid: str) -> tuple[Credential, Person, Organisation]:
    row = session.execute(
        select(Credential, Person, Organisation)
        .join(Person, Person.id == Credential.person_id)
        .join(Organisation, Organisation.id == Credential.organisation_id)
        .where(Credential.key == f"urn:uuid:{credential_uuid.removeprefix('urn:uuid:')}")
    ).first()
    if row is None:
        raise CredentialNotFound(credential_uuid)
    return row[0], row[1], row[2]


def credential_for(engine: Engine, actor: Actor, credential_uuid: str) -> IssuedCredential:
    """One credential, for its recipient, whoever may see them, and its issuer's admins."""
    with reading(engine) as session:
        row, person, organisation = _load(session, credential_uuid)
        if not (
            actor.person_id == person.id
            or may_issue(actor, organisation.id)
            or may_see(session, actor, person)
        ):
            raise CredentialNotFound(credential_uuid)
        return _view(row, person, organisation)


def may_revoke(actor: Actor, organisation_id: int) -> bool:
    """Service admins and the issuing organisation's admins."""
    return actor.is_operator or organisation_id in actor.organisations_where(
        Role.ORGANISATION_ADMIN
    )


def revoke_credential(
    engine: Engine, actor: Actor | None, credential_uuid: str, reason: str
) -> IssuedCredential:
    """Revoke a credential (with a reason) as the issuing organisation's admins; verifying it
    fails from then on. Audited, and the recipient is told."""
    who = actor or command_line_actor()
    text = reason.strip()
    source = f"credential {credential_uuid[:60]}"
    if not text or len(text) > REASON_LENGTH:
        rule = f"is needed, at most {REASON_LENGTH} characters"
        raise InvalidInput([Problem(source, None, "reason", text[:40] or None, rule)])
    with transaction(engine) as session:
        row, person, organisation = _load(session, credential_uuid)
        if not may_revoke(who, organisation.id):
            if actor is not None and actor.person_id == person.id:
                raise NotPermitted("only the issuing organisation's admins may revoke it")
            raise CredentialNotFound(credential_uuid)
        if row.revoked_at is not None:
            raise InvalidInput([Problem(source, None, "credential", row.key, "is already revoked")])
        row.revoked_at = datetime.now(UTC)
        row.revoked_reason = text
        record_event(
            session,
            actor,
            "credential.revoked",
            entity_type="credential",
            entity_key=row.key,
            organisation_id=organisation.id,
            before={"revoked": False},
            after={"revoked": True, "reason": text, "person": person.key},
        )
        notify(
            session,
            person,
            "credential.revoked",
            f"Your credential “{row.achievement_name}” was revoked",
            f"{organisation.name} revoked your credential “{row.achievement_name}”: {text}",
            f"/credentials/{credential_uuid.removeprefix('urn:uuid:')}",
        )
        session.flush()
        return _view(row, person, organisation)
