"""Allocation runs in the browser and the API: a programme admin uploads a problem and reads the
results; bad problems come back naming the item; a person sees only their own outcome; others
get 403 or 404; a large problem becomes a job a worker stores for the same organisation."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

import mobilise.services.allocation_run_access as access
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Role, command_line_actor
from mobilise.services.allocation_runs import get_run
from mobilise.services.api_tokens import issue_token
from mobilise.settings import Settings
from mobilise.web.app import create_app
from tests.support.workers import wait_for, worker_thread
from tests.support.workforce import Workforce, add_workforce
from tests.web.signing_in import csrf_from, sign_in


def problem() -> dict[str, Any]:
    # analyst and lead are people of Department A (their person keys are applicant ids).
    return {
        "applicants": [
            {"id": "analyst", "preferences": ["dwp", "hmrc"], "attributes": {"group": "g1"}},
            {"id": "lead", "preferences": ["dwp"], "attributes": {"group": "g2"}},
            {"id": "x1", "preferences": ["dwp", "hmrc"], "attributes": {"group": "g1"}},
        ],
        "opportunities": [
            {"id": "dwp", "capacity": 1, "ranking": ["lead", "analyst", "x1"]},
            {"id": "hmrc", "capacity": 1, "ranking": ["x1", "analyst"]},
        ],
    }


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


@pytest.fixture
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(upload_directory=tmp_path_factory.mktemp("uploads"))


@pytest.fixture
def app_for(engine: Engine, workforce: Workforce, settings: Settings) -> Any:
    return create_app(settings=settings, engine=engine)


@pytest.fixture
def admin(app_for: Any) -> Iterator[TestClient]:
    with TestClient(app_for) as client:
        sign_in(client, "boss", ("programme_admin",))
        yield client


def _as(app: Any, person: str, roles: tuple[str, ...] = ()) -> TestClient:
    client = TestClient(app)
    sign_in(client, person, roles)
    return client


def _create(
    client: TestClient, workforce: Workforce, body: bytes, name: str = "problem.json", **form: str
) -> Any:
    token = csrf_from(client, "/allocation-runs/new")
    data = {
        "method": "stable",
        "seed": "0",
        "objective": "rank",
        "base": "welfare",
        "organisation": str(workforce.org_a),
        "csrf_token": token,
    } | form
    return client.post(
        "/allocation-runs",
        data=data,
        files={"file": (name, body, "application/json")},
        follow_redirects=False,
    )


def _run_key(response: Any) -> str:
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    assert location.startswith("/allocation-runs/")
    return location.rsplit("/", 1)[1]


def test_a_programme_admin_creates_a_run_and_reads_its_results(
    admin: TestClient, workforce: Workforce, engine: Engine
) -> None:
    key = _run_key(_create(admin, workforce, json.dumps(problem()).encode()))

    page = admin.get(f"/allocation-runs/{key}")
    assert page.status_code == 200
    assert "Blocking pairs" in page.text
    assert "You were placed with your 1st choice" in page.text  # lead's explanation
    assert "Fairness across groups" in page.text
    listed = admin.get("/allocation-runs").text
    assert key in listed
    download = admin.get(f"/allocation-runs/{key}/result.json")
    assert download.headers["content-disposition"].startswith("attachment")
    result = download.json()
    assert {m["applicant"] for m in result["matches"]} == {"lead", "x1"}
    summary, _ = get_run(engine, key)
    assert summary.organisation_id == workforce.org_a
    # Group codes never appear next to a person: only as aggregates (shown, or suppressed).
    assert '"group"' not in json.dumps(result["matches"] + result["unmatched"])


def test_a_stored_run_is_solved_again_by_another_method(
    admin: TestClient, workforce: Workforce
) -> None:
    first = _run_key(_create(admin, workforce, json.dumps(problem()).encode()))
    token = csrf_from(admin, f"/allocation-runs/new?source={first}")
    again = admin.post(
        "/allocation-runs",
        data={
            "method": "welfare",
            "seed": "3",
            "objective": "rank",
            "base": "welfare",
            "organisation": str(workforce.org_a),
            "source": first,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    second = _run_key(again)
    assert second != first
    assert "Welfare method" in admin.get(f"/allocation-runs/{second}").text


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (b'{"applicants": [', "problem.json, line 1, character"),
        (
            json.dumps(
                {
                    "applicants": [{"id": "a", "preferences": ["dvla"]}],
                    "opportunities": [{"id": "dwp", "capacity": -1, "ranking": ["a"]}],
                }
            ).encode(),
            "applicants[0].preferences[0]",
        ),
    ],
)
def test_a_bad_problem_is_refused_with_each_item_named(
    admin: TestClient, workforce: Workforce, body: bytes, named: str
) -> None:
    response = _create(admin, workforce, body)

    assert response.status_code == 422
    assert "govuk-error-summary" in response.text
    assert named in response.text
    assert admin.get("/allocation-runs").text.count("/allocation-runs/") <= 1  # nothing stored


def test_the_form_names_missing_choices(admin: TestClient, workforce: Workforce) -> None:
    token = csrf_from(admin, "/allocation-runs/new")
    response = admin.post(
        "/allocation-runs", data={"method": "magic", "seed": "x", "csrf_token": token}
    )
    assert response.status_code == 422
    summary = re.search(r"govuk-error-summary.*?</div>\s*</div>", response.text, re.S)
    assert summary is not None
    for text in ("must be a whole number", "select the organisation", "choose a PROBLEM.json"):
        assert text in summary.group(0)


def test_a_person_sees_their_own_outcome_and_nobody_elses(
    admin: TestClient, app_for: Any, workforce: Workforce
) -> None:
    key = _run_key(_create(admin, workforce, json.dumps(problem()).encode()))

    with _as(app_for, "analyst") as analyst:
        page = analyst.get(f"/allocation-runs/{key}")
        assert page.status_code == 200
        assert "You were not placed" in page.text
        assert "x1" not in page.text.split("<main", 1)[1].replace("dwp", "")
        assert analyst.get(f"/allocation-runs/{key}/result.json").status_code == 404
        assert analyst.get("/allocation-runs").status_code == 403
        mine = analyst.get(f"/api/v1/allocation-runs/{key}/my-outcome").json()
        assert [o["applicant"] for o in mine["outcomes"]] == ["analyst"]
        assert analyst.get(f"/api/v1/allocation-runs/{key}").status_code == 404
    with _as(app_for, "lead") as lead:
        outcome = lead.get(f"/api/v1/allocation-runs/{key}/my-outcome").json()["outcomes"]
        assert outcome == [
            {
                "applicant": "lead",
                "opportunity": "dwp",
                "explanation": outcome[0]["explanation"],
            }
        ]
        assert outcome[0]["explanation"].startswith("You were placed with your 1st choice")


def test_strangers_and_other_organisations_get_nothing(
    admin: TestClient, app_for: Any, workforce: Workforce
) -> None:
    key = _run_key(_create(admin, workforce, json.dumps(problem()).encode()))

    with _as(app_for, "stranger") as stranger:
        assert stranger.get(f"/allocation-runs/{key}").status_code == 404
        assert stranger.get(f"/api/v1/allocation-runs/{key}/my-outcome").status_code == 404
        assert stranger.get("/allocation-runs/nope").status_code == 404
    with _as(app_for, "b-admin", ("programme_admin",)) as other:
        assert other.get(f"/allocation-runs/{key}").status_code == 404
        assert other.get(f"/api/v1/allocation-runs/{key}/result").status_code == 404
        assert key not in other.get("/allocation-runs").text
        # Nor may they create a run for Department A.
        assert _create(other, workforce, json.dumps(problem()).encode()).status_code == 403
    with _as(app_for, "outsider", ("service_admin",)) as operator:
        assert operator.get(f"/api/v1/allocation-runs/{key}").json()["matched"] == 2
    with TestClient(app_for) as anonymous:
        assert anonymous.get(f"/api/v1/allocation-runs/{key}").status_code == 401


def test_the_api_creates_lists_and_reads_runs_with_scoped_tokens(
    app_for: Any, engine: Engine, workforce: Workforce
) -> None:
    boss = development_sign_in(engine, "boss", [Role.PROGRAMME_ADMIN])
    assert boss.account_id is not None
    writer = issue_token(
        engine,
        command_line_actor(),
        boss.account_id,
        "w",
        ["allocations:read", "allocations:write"],
    )
    reader = issue_token(engine, command_line_actor(), boss.account_id, "r", ["allocations:read"])
    body = {"problem": problem(), "method": "welfare", "organisation_id": workforce.org_a}
    with TestClient(app_for) as client:
        auth = {"Authorization": f"Bearer {writer.token}"}
        created = client.post("/api/v1/allocation-runs", json=body, headers=auth)
        assert created.status_code == 201, created.text
        key = created.json()["run"]["key"]
        read = {"Authorization": f"Bearer {reader.token}"}
        assert client.post("/api/v1/allocation-runs", json=body, headers=read).status_code == 403
        listed = client.get("/api/v1/allocation-runs", headers=read).json()
        assert [run["key"] for run in listed["items"]] == [key]
        detail = client.get(f"/api/v1/allocation-runs/{key}", headers=read).json()
        assert detail["metrics"]["matched"] == 2
        result = client.get(f"/api/v1/allocation-runs/{key}/result", headers=read).json()
        assert len(result["matches"]) == 2
        bad = client.post(
            "/api/v1/allocation-runs",
            json=body | {"problem": {"applicants": [{"id": "a", "preferences": ["x"]}]}},
            headers=auth,
        )
        assert bad.status_code == 422
        assert "opportunities" in json.dumps(bad.json()["invalid-params"])


def test_a_large_problem_becomes_a_job_that_stores_the_run_for_the_organisation(
    admin: TestClient, workforce: Workforce, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(access, "BACKGROUND_EDGES", 2)
    response = _create(admin, workforce, json.dumps(problem()).encode(), method="fair")
    assert response.status_code == 303
    job_id = response.headers["location"].rsplit("/", 1)[1]
    assert response.headers["location"] == f"/jobs/{job_id}"

    with worker_thread(engine):
        job = wait_for(engine, job_id)
    assert job.state.value == "succeeded", job.error
    summary, _ = get_run(engine, job_id)
    assert summary.organisation_id == workforce.org_a
    assert admin.get(f"/allocation-runs/{job_id}").status_code == 200
