"""Every route declares who may use it, and the rules hold: sign-in, roles, scopes, CSRF."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from starlette.routing import Mount, Route

from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Role, command_line_actor
from mobilise.services.api_tokens import issue_token
from mobilise.web.access import AccessRule
from mobilise.web.app import create_app
from tests.support.workforce import Workforce, add_workforce
from tests.web.signing_in import csrf_from, sign_in

# Routes FastAPI itself adds, which serve only the public API description.
FRAMEWORK_ROUTES = {"/api/v1/openapi.json"}


def _rules(dependant: object) -> list[AccessRule]:
    found = []
    for dependency in getattr(dependant, "dependencies", []):
        if isinstance(dependency.call, AccessRule):
            found.append(dependency.call)
        found.extend(_rules(dependency))
    return found


def access_of_routes(app: FastAPI) -> dict[str, set[str]]:
    """Each route's path and methods, with the access rules declared for it (as FastAPI will
    resolve them, router-level dependencies included)."""
    declared: dict[str, set[str]] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount):
            continue  # static files: GOV.UK Frontend's assets and our stylesheet
        label = f"{sorted(context.methods or [])} {context.path}"
        if isinstance(route, APIRoute):
            declared[label] = {rule.description for rule in _rules(context.dependant)}
        elif isinstance(route, Route) and route.path not in FRAMEWORK_ROUTES:
            declared[label] = set()
    return declared


def test_every_route_declares_exactly_one_access_rule(sqlite_engine: Engine) -> None:
    declared = access_of_routes(create_app(engine=sqlite_engine))

    assert len(declared) > 40  # the walk reached into every included router
    assert [route for route, rules in declared.items() if len(rules) != 1] == []
    assert declared["['GET'] /api/v1/roles"] == {"public"}
    assert declared["['GET'] /admin/audit"] == {
        "organisation admin or service admin (token scope audit:read)"
    }


def test_the_walk_finds_a_route_without_a_rule(sqlite_engine: Engine) -> None:
    app = create_app(engine=sqlite_engine)
    forgotten = APIRouter()

    @forgotten.get("/forgotten")
    def forgotten_page() -> str:
        return "no rule"

    app.include_router(forgotten)

    assert access_of_routes(app)["['GET'] /forgotten"] == set()


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


@pytest.fixture
def app(engine: Engine, workforce: Workforce) -> FastAPI:
    return create_app(engine=engine)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def test_pages_send_strangers_to_sign_in_and_back(client: TestClient) -> None:
    response = client.get("/people?q=x", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=%2Fpeople%3Fq%3Dx"


def test_the_api_answers_strangers_with_401(client: TestClient) -> None:
    response = client.get("/api/v1/people")

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["type"].endswith("/problems/sign-in-required")
    assert (
        client.get("/api/v1/people", headers={"Authorization": "Bearer mob_nope"}).status_code
        == 401
    )
    assert client.get("/api/v1/people", headers={"Authorization": "Basic eDp5"}).status_code == 401


def test_public_routes_stay_public(client: TestClient) -> None:
    for path in ("/", "/framework", "/api/v1/roles", "/healthz", "/sign-in"):
        assert client.get(path).status_code == 200, path


def test_a_role_the_actor_lacks_is_403(client: TestClient) -> None:
    sign_in(client, "analyst")

    assert client.get("/admin/audit").status_code == 403
    assert client.get("/api/v1/audit-events").status_code == 403
    assert client.get("/people").status_code == 200


def test_forms_without_the_sessions_csrf_token_change_nothing(client: TestClient) -> None:
    token = csrf_from(client, "/sign-in")
    for bad in ({}, {"csrf_token": "forged"}):
        response = client.post("/sign-in/development", data={"person": "boss", **bad})
        assert response.status_code == 403
    assert client.get("/api/v1/me").status_code == 401
    ok = client.post(
        "/sign-in/development", data={"person": "boss", "csrf_token": token}, follow_redirects=False
    )
    assert ok.status_code == 303


def test_a_new_sign_in_gets_a_new_csrf_token(client: TestClient) -> None:
    before = csrf_from(client, "/sign-in")
    sign_in(client, "boss")

    assert csrf_from(client, "/sign-in") != before


def test_session_api_writes_need_the_csrf_header(client: TestClient, engine: Engine) -> None:
    sign_in(client, "outsider", ("organisation_admin",))
    body = {"account": 1, "name": "x", "scopes": ["people:read"]}

    assert client.post("/api/v1/tokens", json=body).status_code == 403
    token = csrf_from(client, "/admin/accounts")
    me = client.get("/api/v1/me").json()
    body["account"] = me["account"]
    assert (
        client.post("/api/v1/tokens", json=body, headers={"X-CSRF-Token": token}).status_code == 201
    )


def test_tokens_are_held_to_their_scopes(client: TestClient, engine: Engine) -> None:
    admin = development_sign_in(engine, "outsider", [Role.ORGANISATION_ADMIN])
    assert admin.account_id is not None
    people_only = issue_token(engine, command_line_actor(), admin.account_id, "p", ["people:read"])
    auth = {"Authorization": f"Bearer {people_only.token}"}

    assert client.get("/api/v1/people", headers=auth).status_code == 200
    denied = client.get("/api/v1/audit-events", headers=auth)
    assert denied.status_code == 403
    assert "audit:read" in denied.json()["detail"]
    # A bearer token carries no ambient credentials, so its writes need no CSRF token.
    grant = client.post(
        f"/api/v1/accounts/{admin.account_id}/roles",
        json={"role": "analyst", "organisation": "dept-a"},
        headers=auth,
    )
    assert grant.status_code == 403


def test_sign_out_ends_the_session(client: TestClient) -> None:
    sign_in(client, "boss")
    token = csrf_from(client, "/people")

    assert (
        client.post("/sign-out", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    assert client.get("/api/v1/me").status_code == 401


def test_strangers_writing_to_the_api_are_told_to_sign_in(client: TestClient) -> None:
    response = client.post("/api/v1/me/claims", json={"skill": "x", "level": 2})

    assert response.status_code == 401


def test_nul_characters_are_refused_before_any_store(client: TestClient) -> None:
    sign_in(client, "boss")
    token = csrf_from(client, "/me/assess")

    page = client.get("/people", params={"q": "a\x00b"})
    form = client.post("/me/assess", data={"skill": "x\x00", "level": "2", "csrf_token": token})

    assert page.status_code == 422
    assert form.status_code == 422


def test_a_disabled_account_loses_its_session_once_its_actor_is_read_again(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import func, update

    from mobilise.store.database import transaction
    from mobilise.store.models import Account
    from mobilise.web import access

    sign_in(client, "boss")
    assert client.get("/api/v1/me").status_code == 200
    account = client.get("/api/v1/me").json()["account"]
    with transaction(engine) as session:
        session.execute(update(Account).where(Account.id == account).values(disabled_at=func.now()))

    assert client.get("/api/v1/me").status_code == 200  # held for ACTOR_SECONDS
    monkeypatch.setattr(access, "ACTOR_SECONDS", 0.0)
    assert client.get("/api/v1/me").status_code == 401


def test_an_actor_held_by_the_cache_is_answered_without_the_database(
    engine: Engine, workforce: Workforce, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mobilise.web import access

    actors = access.ActorCache()
    boss = development_sign_in(engine, "boss", [])
    assert boss.account_id is not None

    assert actors.held(boss.account_id) == (False, None)
    assert actors.get(engine, boss.account_id) == boss
    # A held actor is answered from memory: reading the account again would now fail.
    monkeypatch.setattr(access, "actor_for_account", None)
    assert actors.held(boss.account_id) == (True, boss)
    assert actors.get(engine, boss.account_id) == boss
    monkeypatch.setattr(access, "ACTOR_SECONDS", 0.0)
    assert actors.held(boss.account_id) == (False, None)
