"""/join: a visitor makes a candidate account (development sign-in), sees their own profile and
nothing of anyone else's; errors are named and nothing is made."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from mobilise.store.database import reading
from mobilise.store.models import Person
from tests.support.workforce import add_workforce
from tests.web.signing_in import csrf_from, sign_in


def _people(engine: Engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count(Person.id))) or 0


def test_joining_signs_in_a_person_who_sees_only_themselves(
    client: TestClient, engine: Engine
) -> None:
    add_workforce(engine)
    token = csrf_from(client, "/join")
    joined = client.post(
        "/join",
        data={"name": "Robin Newcomer", "email": "robin@example.org", "csrf_token": token},
        follow_redirects=False,
    )
    assert joined.status_code == 303
    assert joined.headers["location"] == "/me"
    me = client.get("/me")
    assert me.status_code == 200
    assert "Robin Newcomer" in me.text
    for other in ("analyst", "boss", "stranger"):
        assert client.get(f"/people/{other}").status_code == 404
    assert client.get("/api/v1/people/analyst").status_code in (403, 404)
    assert client.get("/join", follow_redirects=False).headers["location"] == "/me"


def test_bad_details_are_named_next_to_their_fields_and_nothing_is_made(
    client: TestClient, engine: Engine
) -> None:
    add_workforce(engine)
    before = _people(engine)
    token = csrf_from(client, "/join")
    refused = client.post(
        "/join", data={"name": " ", "email": "analyst@example.gov.uk", "csrf_token": token}
    )
    assert refused.status_code == 422
    assert 'href="#name"' in refused.text
    assert "Enter your full name" in refused.text
    token = csrf_from(client, "/join")
    taken = client.post(
        "/join", data={"name": "X", "email": "analyst@example.gov.uk", "csrf_token": token}
    )
    assert taken.status_code == 422
    assert "sign in instead" in taken.text
    assert _people(engine) == before


def test_someone_already_signed_in_with_a_profile_is_sent_to_it(
    client: TestClient, engine: Engine
) -> None:
    add_workforce(engine)
    sign_in(client, "analyst")
    assert client.get("/join", follow_redirects=False).headers["location"] == "/me"
