"""Jobs in the browser and the API: a service admin uploads a file, a worker imports it, the page
shows the progress and result; others cannot see the job; oversized and wrong files are refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.actors import command_line_actor
from mobilise.services.audit import list_events
from mobilise.settings import Settings
from mobilise.web.app import create_app
from tests.support.workers import wait_for, worker_thread
from tests.support.workforce import Workforce, add_workforce
from tests.web.signing_in import csrf_from, sign_in

ORGANISATIONS = b"key,name,kind,region\nacme,Acme Digital,private_firm,London\n"


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


@pytest.fixture
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(upload_directory=tmp_path_factory.mktemp("uploads"), upload_limit_bytes=1000)


@pytest.fixture
def operator(engine: Engine, workforce: Workforce, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings=settings, engine=engine)) as client:
        sign_in(client, "outsider", ("service_admin",))
        yield client


def _upload(client: TestClient, name: str, body: bytes, table: str = "organisations") -> object:
    token = csrf_from(client, "/jobs/import")
    return client.post(
        "/jobs/import",
        data={"table": table, "csrf_token": token},
        files={"file": (name, body, "text/csv")},
        follow_redirects=False,
    )


def test_an_upload_is_imported_by_a_worker_and_reported(
    operator: TestClient, engine: Engine, workforce: Workforce
) -> None:
    response = _upload(operator, "firms.csv", ORGANISATIONS)
    assert response.status_code == 303  # type: ignore[attr-defined]
    job_id = response.headers["location"].rsplit("/", 1)[1]  # type: ignore[attr-defined]
    queued = operator.get(f"/jobs/{job_id}").text
    assert 'http-equiv="refresh"' in queued

    with worker_thread(engine):
        wait_for(engine, job_id)

    page = operator.get(f"/jobs/{job_id}").text
    assert "Succeeded" in page
    assert "Imported 1 organisations: 1 created" in page
    assert 'http-equiv="refresh"' not in page
    assert job_id in operator.get("/jobs").text
    listed = operator.get("/api/v1/jobs?limit=1").json()
    assert (listed["total"], [j["id"] for j in listed["items"]]) == (1, [job_id])
    api = operator.get(f"/api/v1/jobs/{job_id}").json()
    assert api["state"] == "succeeded"
    assert api["result"]["created"] == 1
    actions = {
        (e.action, e.actor.split(" ")[0])
        for e in list_events(engine, command_line_actor(), limit=20).entries
    }
    assert ("job.queued", "Outsider") in actions
    assert ("organisations.imported", "background") in actions


def test_others_cannot_see_the_job(
    operator: TestClient, engine: Engine, settings: Settings
) -> None:
    job_id = _upload(operator, "firms.csv", ORGANISATIONS).headers["location"].rsplit("/", 1)[1]  # type: ignore[attr-defined]
    with TestClient(create_app(settings=settings, engine=engine)) as other:
        sign_in(other, "b-admin", ("organisation_admin",))
        assert other.get(f"/jobs/{job_id}").status_code == 404
        assert other.get(f"/api/v1/jobs/{job_id}").status_code == 404
        assert job_id not in other.get("/jobs").text
        assert other.get("/jobs/import").status_code == 403


def test_oversized_and_wrong_files_are_refused_and_nothing_is_queued(
    operator: TestClient, settings: Settings
) -> None:
    too_big = _upload(operator, "big.csv", ORGANISATIONS + b"x" * 2000)
    wrong = _upload(operator, "firms.xlsx", ORGANISATIONS)
    no_table = _upload(operator, "firms.csv", ORGANISATIONS, table="")

    assert too_big.status_code == 413  # type: ignore[attr-defined]
    assert "larger than the upload limit" in too_big.text  # type: ignore[attr-defined]
    assert wrong.status_code == 422  # type: ignore[attr-defined]
    assert "must be a .csv or .json file" in wrong.text  # type: ignore[attr-defined]
    assert 'href="#table"' in no_table.text  # type: ignore[attr-defined]
    assert list(settings.upload_directory.iterdir()) == []
    assert operator.get("/api/v1/jobs").json()["items"] == []


def test_the_api_queues_uploads_for_token_holders(operator: TestClient, engine: Engine) -> None:
    token = csrf_from(operator, "/jobs/import")
    response = operator.post(
        "/api/v1/jobs/imports",
        data={"table": "organisations"},
        files={"file": ("firms.json", b'[{"key": "x"}]', "application/json")},
        headers={"X-CSRF-Token": token},
    )

    assert response.status_code == 202
    assert response.json()["state"] == "queued"
    too_big = operator.post(
        "/api/v1/jobs/imports",
        data={"table": "organisations"},
        files={"file": ("firms.csv", b"x" * 5000, "text/csv")},
        headers={"X-CSRF-Token": token},
    )
    assert too_big.status_code == 413
    assert too_big.headers["content-type"] == "application/problem+json"
