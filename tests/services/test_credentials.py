"""Issuing, verifying, revoking and rotating Open Badges credentials through the services: a
credential verifies offline; each kind of tampering fails with its own reason."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from joserfc import jws
from joserfc.jwk import OKPKey
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Role
from mobilise.services.audit import NotPermitted, list_events
from mobilise.services.credential_keys import published_keys, rotate_key, signing_key
from mobilise.services.credential_verification import verify_credential
from mobilise.services.credentials import (
    AchievementSpec,
    CredentialNotFound,
    credential_for,
    issue_credential,
    issued_for_admin,
    my_credentials,
    revoke_credential,
)
from mobilise.services.outbox import messages_for
from mobilise.store.database import reading
from mobilise.store.models import Credential, Organisation
from tests.support.workforce import Workforce, add_workforce

SPEC = AchievementSpec(
    key="test:data-ethics",
    name="Data ethics in practice",
    description="Completed the data ethics module.",
    criteria="Complete every session and the assessment.",
    kind="other",
)


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


def _issue(engine: Engine, *, spec: AchievementSpec = SPEC, **kwargs: object) -> str:
    issued = issue_credential(
        engine,
        None,
        recipient_person_key="analyst",
        issuer_organisation_key="dept-a",
        achievement=spec,
        **kwargs,  # type: ignore[arg-type]
    )
    return issued.token


def _segments(token: str) -> list[str]:
    return token.split(".")


def _encode(value: dict[str, object]) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _payload(token: str) -> dict[str, object]:
    document: dict[str, object] = json.loads(jws.extract_compact(token.encode()).payload)
    return document


def _failed(engine: Engine, token: str, **kwargs: object) -> dict[str, str]:
    result = verify_credential(engine, token, **kwargs)  # type: ignore[arg-type]
    assert not result.valid
    return {c.name: c.detail for c in result.failures}


def test_an_issued_credential_verifies_and_is_an_open_badge(
    engine: Engine, workforce: Workforce
) -> None:
    token = _issue(engine)
    result = verify_credential(engine, token)
    assert result.valid, result.reason
    assert [c.name for c in result.checks] == [
        "format",
        "key",
        "signature",
        "shape",
        "issuer",
        "validity",
        "status",
    ]
    assert result.issuer_name == "Department A"
    assert result.achievement_name == "Data ethics in practice"
    assert result.recipient_name == "Analyst"
    credential = _payload(token)
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"  # type: ignore[index]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    header = json.loads(base64.urlsafe_b64decode(_segments(token)[0] + "=="))
    assert header["typ"] == "vc+jwt"
    assert header["alg"] == "Ed25519"


def test_issuing_is_audited_notified_and_done_once_per_achievement(
    engine: Engine, workforce: Workforce
) -> None:
    first = _issue(engine)
    assert _issue(engine) == first
    with reading(engine) as session:
        assert session.scalar(select(func.count(Credential.id))) == 1
    operator = development_sign_in(engine, "boss", [Role.SERVICE_ADMIN])
    events = list_events(engine, operator, action="credential.issued").entries
    assert len(events) == 1
    assert events[0].after is not None
    assert events[0].after["person"] == "analyst"
    analyst = development_sign_in(engine, "analyst", [])
    messages, _ = messages_for(engine, analyst)
    assert [m.kind for m in messages] == ["credential.issued"]
    mine = my_credentials(engine, analyst)
    assert [c.token for c in mine] == [first]
    assert credential_for(engine, analyst, mine[0].uuid).achievement_name == SPEC.name


def test_only_the_issuers_admins_issue_and_bad_specs_change_nothing(
    engine: Engine, workforce: Workforce
) -> None:
    stranger_admin = development_sign_in(engine, "b-admin", [Role.ORGANISATION_ADMIN])
    with pytest.raises(NotPermitted):
        issue_credential(
            engine,
            stranger_admin,
            recipient_person_key="analyst",
            issuer_organisation_key="dept-a",
            achievement=SPEC,
        )
    bad = AchievementSpec(key="x", name=" ", description="d", criteria="c", kind="prize")
    with pytest.raises(InvalidInput) as refused:
        _issue(engine, spec=bad)
    assert {p.column for p in refused.value.problems} == {"name", "kind"}
    with reading(engine) as session:
        assert session.scalar(select(func.count(Credential.id))) == 0


def test_a_changed_payload_byte_fails_the_signature(engine: Engine, workforce: Workforce) -> None:
    header, payload, signature = _segments(_issue(engine))
    document = _payload(".".join((header, payload, signature)))
    document["name"] = "Data ethics in practice (with distinction)"
    assert "signature" in _failed(engine, ".".join((header, _encode(document), signature)))


def test_a_changed_signature_fails(engine: Engine, workforce: Workforce) -> None:
    header, payload, signature = _segments(_issue(engine))
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    failures = _failed(engine, ".".join((header, payload, flipped)))
    assert "changed after signing" in failures["signature"]


def test_a_credential_signed_with_a_key_mobilise_does_not_know_fails(
    engine: Engine, workforce: Workforce
) -> None:
    token = _issue(engine)
    header = json.loads(base64.urlsafe_b64decode(_segments(token)[0] + "=="))
    stranger_key = OKPKey.generate_key("Ed25519")
    forged = jws.serialize_compact(
        {**header, "kid": stranger_key.thumbprint()},
        jws.extract_compact(token.encode()).payload,
        stranger_key,
        algorithms=["Ed25519"],
    )
    assert "does not know" in _failed(engine, forged)["key"]


def test_another_organisations_key_cannot_speak_for_the_issuer(
    engine: Engine, workforce: Workforce
) -> None:
    token = _issue(engine)
    other = issue_credential(
        engine,
        None,
        recipient_person_key="stranger",
        issuer_organisation_key="agency-b",
        achievement=SPEC,
    ).token
    # Agency B's key re-signs Department A's credential: the signature holds, the issuer fails.
    with reading(engine) as session:
        agency = session.scalars(select(Organisation).where(Organisation.key == "agency-b")).one()
        row, key = signing_key(session, agency)
        kid = row.kid
    other_header = json.loads(base64.urlsafe_b64decode(_segments(other)[0] + "=="))
    assert other_header["kid"] == kid
    forged = jws.serialize_compact(
        other_header, jws.extract_compact(token.encode()).payload, key, algorithms=["Ed25519"]
    )
    failures = _failed(engine, forged)
    assert "key belongs to Agency B" in failures["issuer"]
    assert "no record" in failures["status"]


def test_an_expired_credential_fails_validity(engine: Engine, workforce: Workforce) -> None:
    spec = AchievementSpec("test:short", "Short course", "A short course.", "Attend.", "other", 30)
    issued = datetime(2025, 1, 1, tzinfo=UTC)
    token = _issue(engine, spec=spec, issued_at=issued)
    assert verify_credential(engine, token, at=issued + timedelta(days=29)).valid
    failures = _failed(engine, token, at=issued + timedelta(days=31))
    assert set(failures) == {"validity"}
    assert "expired at 2025-01-31T00:00:00Z" in failures["validity"]


def test_a_revoked_credential_fails_and_revoking_is_for_the_issuers_admins(
    engine: Engine, workforce: Workforce
) -> None:
    token = _issue(engine)
    analyst = development_sign_in(engine, "analyst", [])
    credential = my_credentials(engine, analyst)[0]
    with pytest.raises(NotPermitted):
        revoke_credential(engine, analyst, credential.uuid, "I would like to")
    other_admin = development_sign_in(engine, "b-admin", [Role.ORGANISATION_ADMIN])
    with pytest.raises(CredentialNotFound):
        revoke_credential(engine, other_admin, credential.uuid, "not ours")
    admin = development_sign_in(engine, "boss", [Role.ORGANISATION_ADMIN])
    with pytest.raises(InvalidInput):
        revoke_credential(engine, admin, credential.uuid, "  ")
    assert verify_credential(engine, token).valid
    revoke_credential(engine, admin, credential.uuid, "Awarded in error.")
    failures = _failed(engine, token)
    assert set(failures) == {"status"}
    assert "revoked on" in failures["status"]
    assert "Awarded in error." in failures["status"]
    events = list_events(engine, admin, action="credential.revoked").entries
    assert len(events) == 1


def test_rotation_keeps_old_credentials_verifying_and_signs_new_ones_with_the_new_key(
    engine: Engine, workforce: Workforce
) -> None:
    old = _issue(engine)
    admin = development_sign_in(engine, "boss", [Role.ORGANISATION_ADMIN])
    with pytest.raises(NotPermitted):
        rotate_key(engine, development_sign_in(engine, "analyst", []), "dept-a")
    new_kid = rotate_key(engine, admin, "dept-a")
    issuer_id, keys = published_keys(engine, "dept-a")
    assert next(k.kid for k in keys) == new_kid
    assert len(keys) == 2
    assert keys[1].retired_at is not None
    assert "d" not in keys[1].jwk
    result = verify_credential(engine, old)
    assert result.valid, result.reason
    assert "retired" in result.checks[1].detail
    spec = AchievementSpec("test:second", "Second", "Another.", "Do it.")
    new = _issue(engine, spec=spec)
    new_header = json.loads(base64.urlsafe_b64decode(_segments(new)[0] + "=="))
    assert new_header["kid"] == new_kid
    assert _payload(new)["issuer"]["id"] == issuer_id == _payload(old)["issuer"]["id"]  # type: ignore[index]
    assert verify_credential(engine, new).valid


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("not a credential", "three parts"),
        ('{"@context": []}', "no signature"),
        ('{"proof": {}}', "Data Integrity"),
        ("e30.e30.e30", "algorithm"),
    ],
)
def test_what_is_not_a_signed_credential_fails_the_format_check(
    engine: Engine, text: str, reason: str
) -> None:
    result = verify_credential(engine, text)
    assert [c.name for c in result.failures] == ["format"]
    assert reason in result.failures[0].detail
    assert all(c.passed is None for c in result.checks[1:])


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_any_change_to_the_signed_bytes_fails_verification(
    engine: Engine, workforce: Workforce
) -> None:
    """Property: changing any byte of the header or the payload, or of the signature, never
    verifies; the failure is named (format, key or signature), and the rest is not checked."""
    token = _issue(engine)
    segments = [
        base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)) for part in token.split(".")
    ]

    @given(
        part=st.sampled_from([0, 1, 2]),
        position=st.integers(min_value=0, max_value=10_000),
        change=st.integers(min_value=1, max_value=255),
    )
    @settings(max_examples=60)
    def changed_bytes_fail(part: int, position: int, change: int) -> None:
        raw = bytearray(segments[part])
        raw[position % len(raw)] ^= change
        parts = [_b64(s) for s in segments]
        parts[part] = _b64(bytes(raw))
        result = verify_credential(engine, ".".join(parts))
        assert not result.valid
        [failure] = result.failures
        assert failure.name in {"format", "key", "signature"}
        stopped = result.checks.index(failure)
        assert all(c.passed is None for c in result.checks[stopped + 1 :])

    changed_bytes_fail()


def test_admins_page_through_what_their_organisation_issued(
    engine: Engine, workforce: Workforce
) -> None:
    for person in ("analyst", "lead", "boss"):
        issue_credential(
            engine,
            None,
            recipient_person_key=person,
            issuer_organisation_key="dept-a",
            achievement=SPEC,
        )
    admin = development_sign_in(engine, "boss", [Role.ORGANISATION_ADMIN])
    first, total = issued_for_admin(engine, admin, limit=2)
    second, _ = issued_for_admin(engine, admin, limit=2, offset=2)
    assert total == 3
    assert len(first) == 2
    assert {c.person_key for c in first + second} == {"analyst", "lead", "boss"}
    other = development_sign_in(engine, "b-admin", [Role.ORGANISATION_ADMIN])
    assert issued_for_admin(engine, other) == ([], 0)
    with pytest.raises(NotPermitted):
        issued_for_admin(engine, development_sign_in(engine, "analyst", []))
