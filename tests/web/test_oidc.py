"""OpenID Connect sign-in end to end against a real (test) provider: Entra ID's client secret and
GOV.UK One Login's private_key_jwt, ID-token verification, and refusals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey
from sqlalchemy import Engine

from mobilise.settings import Settings
from mobilise.web.app import create_app
from tests.support.workforce import Workforce, add_workforce
from tests.web.oidc_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    Provider,
    follow_to_provider,
    running_provider,
)


@pytest.fixture
def workforce(sqlite_engine: Engine) -> Workforce:
    return add_workforce(sqlite_engine)


@pytest.fixture
def entra(sqlite_engine: Engine, workforce: Workforce) -> Iterator[tuple[Provider, TestClient]]:
    with running_provider("lead@example.gov.uk") as provider:
        settings = Settings(
            oidc_provider="entra",
            oidc_metadata_url=f"{provider.base_url}/.well-known/openid-configuration",
            oidc_client_id=CLIENT_ID,
            oidc_client_secret=CLIENT_SECRET,
            dev_sign_in=False,
        )
        with TestClient(create_app(settings=settings, engine=sqlite_engine)) as client:
            yield provider, client


def _start(client: TestClient, next_path: str = "/people") -> str:
    start = client.get("/sign-in/oidc", params={"next": next_path}, follow_redirects=False)
    assert start.status_code in (302, 307), start.text
    location = start.headers["location"]
    query = parse_qs(urlsplit(location).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == ["http://testserver/sign-in/callback"]
    assert "openid" in query["scope"][0]
    assert query["nonce"][0]
    assert query["state"][0]
    return location


def _callback(client: TestClient, location: str) -> object:
    back = follow_to_provider(location)
    return client.get(back.replace("http://testserver", ""), follow_redirects=False)


def test_entra_sign_in_links_the_person_and_returns_to_the_page(
    entra: tuple[Provider, TestClient],
) -> None:
    provider, client = entra
    page = client.get("/sign-in").text
    assert "Sign in with Microsoft Entra ID" in page
    assert "Development sign-in" not in page

    response = _callback(client, _start(client))

    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/people"  # type: ignore[attr-defined]
    me = client.get("/api/v1/me").json()
    assert me["person"] == "lead"
    assert me["display_name"] == "Lead Person"
    assert "line_manager" in me["roles"]
    assert provider.token_requests[0]["grant_type"] == "authorization_code"


@pytest.mark.parametrize("same_kid", [True, False], ids=["same-kid", "unknown-kid"])
def test_an_id_token_signed_by_another_key_is_refused(
    entra: tuple[Provider, TestClient], same_kid: bool
) -> None:
    provider, client = entra
    forged = RSAKey.generate_key(
        2048, parameters={"kid": provider.signing_key.kid} if same_kid else None, private=True
    )
    forged.ensure_kid()
    provider.forge_with = forged  # type: ignore[attr-defined]

    response = _callback(client, _start(client))

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Sign-in failed" in response.text  # type: ignore[attr-defined]
    assert client.get("/api/v1/me").status_code == 401


def test_a_replayed_or_unknown_state_is_refused(entra: tuple[Provider, TestClient]) -> None:
    _, client = entra
    location = _start(client)
    back = follow_to_provider(location).replace("http://testserver", "")

    first = client.get(back, follow_redirects=False)
    # The first callback used up the sign-in's state: the same callback again is refused.
    again = client.get(back, follow_redirects=False)

    assert first.status_code == 303
    assert again.status_code == 400


def test_an_error_from_the_provider_is_shown(entra: tuple[Provider, TestClient]) -> None:
    _, client = entra
    _start(client)

    response = client.get(
        "/sign-in/callback", params={"error": "access_denied", "error_description": "cancelled"}
    )

    assert response.status_code == 400
    assert "cancelled" in response.text


def test_one_login_authenticates_with_a_signed_client_assertion(
    sqlite_engine: Engine, workforce: Workforce, tmp_path: Path
) -> None:
    client_key = RSAKey.generate_key(2048, private=True)
    key_file = tmp_path / "client.pem"
    key_file.write_bytes(client_key.as_pem(private=True))
    public = RSAKey.import_key(client_key.as_pem(private=False))
    with running_provider("boss@example.gov.uk", client_key=public) as provider:
        settings = Settings(
            oidc_provider="one-login",
            oidc_metadata_url=f"{provider.base_url}/.well-known/openid-configuration",
            oidc_client_id=CLIENT_ID,
            oidc_private_key_path=key_file,
        )
        with TestClient(create_app(settings=settings, engine=sqlite_engine)) as client:
            location = _start(client)
            assert parse_qs(urlsplit(location).query)["vtr"] == ['["Cl.Cm"]']
            response = _callback(client, location)
            assert response.status_code == 303  # type: ignore[attr-defined]
            assert client.get("/api/v1/me").json()["person"] == "boss"
    form = provider.token_requests[0]
    assert form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
