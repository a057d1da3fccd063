"""`/healthz` is 200 when the database answers at the head revision, and a 503 problem otherwise."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from mobilise.store.database import make_engine
from mobilise.store.schema import head_revision
from mobilise.web.app import create_app


def test_healthz_reports_the_database_revision(client: TestClient, engine: Engine) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "revision": head_revision(engine),
    }


def test_healthz_is_503_when_the_database_cannot_be_reached(tmp_path: Path) -> None:
    unreachable = make_engine(f"sqlite:///{tmp_path}/missing/directory/mobilise.db")
    with TestClient(create_app(engine=unreachable)) as client:
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "30"
    assert response.json()["type"].endswith("/problems/database-unavailable")


def test_healthz_is_503_when_the_schema_is_not_at_head(tmp_path: Path) -> None:
    unmigrated = make_engine(f"sqlite:///{tmp_path}/empty.db")
    with TestClient(create_app(engine=unmigrated)) as client:
        response = client.get("/healthz")

    assert response.status_code == 503
    assert "mobilise db upgrade" in response.json()["detail"]


def test_pages_are_503_when_the_database_cannot_be_reached(tmp_path: Path) -> None:
    unreachable = make_engine(f"sqlite:///{tmp_path}/missing/directory/mobilise.db")
    with TestClient(create_app(engine=unreachable)) as client:
        page = client.get("/framework")
        api = client.get("/api/v1/skills")

    assert page.status_code == 503
    assert "Sorry, there is a problem with the service" in page.text
    assert api.status_code == 503
    assert api.headers["content-type"] == "application/problem+json"


def test_healthz_stays_200_when_a_later_release_has_migrated_ahead(
    client: TestClient, engine: Engine
) -> None:
    # Zero-downtime deploys apply the next release's expand migration while this one serves.
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_next_release'"))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["revision"] == "9999_next_release"


def test_healthz_is_503_when_the_schema_is_behind_this_release(
    client: TestClient, engine: Engine
) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))

    response = client.get("/healthz")

    assert response.status_code == 503
    assert "revision 0001" in response.json()["detail"]
