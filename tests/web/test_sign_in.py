"""Sign-in pages: the development sign-in, its refusal in production, safe redirects, errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import Engine
from starlette.middleware.sessions import SessionMiddleware

from mobilise.settings import Settings
from mobilise.web.app import create_app
from mobilise.web.pages.sign_in import safe_next
from tests.support.workforce import Workforce, add_workforce
from tests.web.signing_in import csrf_from

SECRET = "s" * 40


@pytest.fixture
def workforce(sqlite_engine: Engine) -> Workforce:
    return add_workforce(sqlite_engine)


@pytest.fixture
def client(sqlite_engine: Engine, workforce: Workforce) -> Iterator[TestClient]:
    with TestClient(create_app(engine=sqlite_engine)) as test_client:
        yield test_client


def test_production_refuses_the_development_sign_in() -> None:
    with pytest.raises(ValidationError, match="never run in production"):
        Settings(environment="production", dev_sign_in=True, secret_key=SECRET)
    with pytest.raises(ValidationError, match="MOBILISE_SECRET_KEY"):
        Settings(environment="production")
    assert Settings(environment="production", secret_key=SECRET).dev_sign_in is False
    assert Settings().dev_sign_in is True


def test_oidc_settings_must_be_complete() -> None:
    with pytest.raises(ValidationError, match="MOBILISE_OIDC_CLIENT_SECRET"):
        Settings(oidc_provider="entra", oidc_metadata_url="https://x", oidc_client_id="c")
    with pytest.raises(ValidationError, match="MOBILISE_OIDC_PRIVATE_KEY_PATH"):
        Settings(oidc_provider="one-login", oidc_metadata_url="https://x", oidc_client_id="c")


def test_without_the_development_sign_in_its_form_and_route_are_gone(
    sqlite_engine: Engine, workforce: Workforce
) -> None:
    settings = Settings(environment="production", secret_key=SECRET)
    with TestClient(
        create_app(settings=settings, engine=sqlite_engine), base_url="https://testserver"
    ) as client:
        page = client.get("/sign-in").text
        assert "Development sign-in" not in page
        assert "Sign-in is not set up" in page
        response = client.post("/sign-in/development", data={"person": "boss"})
        assert response.status_code in (403, 404)
        assert client.get("/api/v1/me").status_code == 401


def test_production_session_cookies_are_secure(sqlite_engine: Engine) -> None:
    settings = Settings(environment="production", secret_key=SECRET)
    app = create_app(settings=settings, engine=sqlite_engine)

    (sessions,) = [m for m in app.user_middleware if m.cls is SessionMiddleware]
    assert sessions.kwargs["https_only"] is True
    assert sessions.kwargs["same_site"] == "lax"
    assert sessions.kwargs["secret_key"] == SECRET


def test_development_session_cookies_are_http_only(client: TestClient) -> None:
    cookie = client.get("/sign-in").headers["set-cookie"].lower()

    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie


def test_errors_are_summarised_and_linked_to_their_fields(client: TestClient) -> None:
    token = csrf_from(client, "/sign-in")

    empty = client.post("/sign-in/development", data={"person": " ", "csrf_token": token})
    unknown = client.post("/sign-in/development", data={"person": "nobody", "csrf_token": token})
    bad_role = client.post(
        "/sign-in/development",
        data={"person": "boss", "roles": ["line_manager"], "csrf_token": token},
    )

    assert empty.status_code == 422
    assert "<title>Error: Sign in" in empty.text
    assert 'href="#person"' in empty.text
    assert "No person has the key ‘nobody’" in unknown.text
    assert 'href="#roles"' in bad_role.text
    assert client.get("/api/v1/me").status_code == 401


def test_the_form_lists_people_to_try(client: TestClient) -> None:
    page = client.get("/sign-in").text

    assert "<code>boss</code>" in page
    assert "Development only" in page


def test_sign_in_returns_to_the_page_asked_for(client: TestClient) -> None:
    token = csrf_from(client, "/sign-in")
    response = client.post(
        "/sign-in/development",
        data={"person": "boss", "csrf_token": token, "next": "/people?q=lead"},
        follow_redirects=False,
    )

    assert response.headers["location"] == "/people?q=lead"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "", None, "people"]
)
def test_redirects_after_sign_in_stay_on_this_site(target: str | None) -> None:
    assert safe_next(target) == "/me"


def test_oidc_routes_are_absent_when_not_configured(client: TestClient) -> None:
    assert client.get("/sign-in/oidc").status_code == 404
    assert client.get("/sign-in/callback").status_code == 404
