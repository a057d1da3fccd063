"""The Open Badges 3.0 shape: what build_credential makes is well formed for any facts, and each
property taken away or broken is named by credential_problems."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.credentials import (
    OB3_CONTEXT,
    VC2_CONTEXT,
    Achievement,
    CredentialFacts,
    Issuer,
    build_credential,
    credential_problems,
    parse_instant,
)

text = st.text(min_size=1, max_size=80).filter(lambda s: s.strip() != "")


def _facts(**changes: Any) -> CredentialFacts:
    values: dict[str, Any] = {
        "credential_id": f"urn:uuid:{uuid.uuid4()}",
        "issuer": Issuer(f"urn:uuid:{uuid.uuid4()}", "Department A"),
        "achievement": Achievement(
            f"urn:uuid:{uuid.uuid4()}", "Data ethics", "Completed it.", "Attend."
        ),
        "recipient_name": "Ann Analyst",
        "recipient_email_hash": "sha256$" + "0" * 64,
        "recipient_salt": "abcd",
        "valid_from": datetime(2026, 1, 1, 9, 30, tzinfo=UTC),
        "valid_until": None,
    }
    values.update(changes)
    return CredentialFacts(**values)


@given(
    name=text,
    description=text,
    criteria=text,
    recipient=text,
    days=st.none() | st.integers(min_value=0, max_value=36_500),
    email=st.booleans(),
)
def test_every_built_credential_is_well_formed(
    name: str, description: str, criteria: str, recipient: str, days: int | None, email: bool
) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    facts = _facts(
        achievement=Achievement(f"urn:uuid:{uuid.uuid4()}", name, description, criteria),
        recipient_name=recipient,
        recipient_email_hash="sha256$ab" if email else None,
        valid_until=None if days is None else start + timedelta(days=days),
        valid_from=start,
    )
    credential = build_credential(facts)
    assert credential_problems(credential) == []
    assert credential["@context"] == [VC2_CONTEXT, OB3_CONTEXT]
    assert credential["credentialSubject"]["achievement"]["name"] == name
    assert ("validUntil" in credential) == (days is not None)
    hashed = [i for i in credential["credentialSubject"]["identifier"] if i["hashed"]]
    assert len(hashed) == (1 if email else 0)


def test_instants_are_utc_to_the_second_and_read_back() -> None:
    credential = build_credential(
        _facts(valid_from=datetime(2026, 1, 1, 9, 30, 15, 123456, tzinfo=UTC))
    )
    assert credential["validFrom"] == "2026-01-01T09:30:15Z"
    assert parse_instant(credential["validFrom"]) == datetime(2026, 1, 1, 9, 30, 15, tzinfo=UTC)
    assert parse_instant("2026-01-01T09:30:15") is None  # no time zone
    assert parse_instant("1 January 2026") is None


def _without(path: list[str]) -> dict[str, Any]:
    credential = copy.deepcopy(build_credential(_facts()))
    target = credential
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    return credential


@pytest.mark.parametrize(
    ("path", "named"),
    [
        (["@context"], "@context"),
        (["type"], "type must include VerifiableCredential"),
        (["id"], "id must be a urn:uuid"),
        (["issuer"], "issuer must be an object"),
        (["issuer", "id"], "issuer.id must be a URI"),
        (["issuer", "type"], "issuer.type must include Profile"),
        (["validFrom"], "validFrom"),
        (["credentialSubject"], "credentialSubject must be an object"),
        (["credentialSubject", "type"], "AchievementSubject"),
        (["credentialSubject", "identifier"], "an id or an identifier"),
        (["credentialSubject", "achievement"], "achievement must be an object"),
        (["credentialSubject", "achievement", "name"], "achievement.name"),
        (["credentialSubject", "achievement", "description"], "achievement.description"),
        (["credentialSubject", "achievement", "criteria"], "achievement.criteria"),
        (["credentialSubject", "achievement", "id"], "achievement.id must be a URI"),
    ],
)
def test_each_missing_property_is_named(path: list[str], named: str) -> None:
    problems = credential_problems(_without(path))
    assert problems
    assert named in problems[0]
    assert all(p.startswith(path[0]) for p in problems), problems


def test_wrong_values_are_named() -> None:
    credential = build_credential(_facts(valid_until=datetime(2027, 1, 1, tzinfo=UTC)))
    credential["validUntil"] = "2025-01-01T00:00:00Z"
    credential["@context"] = [VC2_CONTEXT]
    credential["id"] = "urn:uuid:not-a-uuid"
    assert credential_problems(credential) == [
        "@context must include the Open Badges 3.0 context",
        "id must be a urn:uuid",
        "validUntil must not be before validFrom",
    ]
    assert credential_problems([]) == ["the credential must be a JSON object"]
