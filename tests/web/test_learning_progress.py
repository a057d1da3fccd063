"""Course progress through the API: enrol, record weeks (bad input is a 422 naming the field),
complete; each person sees only their own."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.support.programmes import add_programme
from tests.web.journeys import accessible, api_signed_in
from tests.web.signing_in import csrf_from, sign_in


def test_enrol_record_weeks_and_complete(client: TestClient, engine: Engine) -> None:
    add_programme(engine)
    headers = api_signed_in(client, "candidate")
    assert (
        client.post("/api/v1/me/courses", json={"course": "ai-ethics"}, headers=headers).status_code
        == 204
    )
    week = {"percent_done": 50, "quiz_score": 4, "quiz_max": 5}
    put = client.put("/api/v1/me/courses/ai-ethics/weeks/1", json=week, headers=headers)
    assert put.status_code == 204, put.text
    bad = client.put(
        "/api/v1/me/courses/ai-ethics/weeks/1",
        json={"percent_done": 50, "quiz_score": 9, "quiz_max": 5},
        headers=headers,
    )
    assert bad.status_code == 422
    done = client.post("/api/v1/me/courses/ai-ethics/completion", headers=headers)
    assert done.status_code == 204
    (course,) = client.get("/api/v1/me/courses").json()
    assert course["weeks"] == [{"week": 1, "percent_done": 50, "quiz_score": 4, "quiz_max": 5}]
    assert course["completed_on"] is not None
    api_signed_in(client, "analyst")
    assert client.get("/api/v1/me/courses").json() == []


def test_the_page_enrols_records_a_week_errors_first_and_completes(
    client: TestClient, engine: Engine
) -> None:
    add_programme(engine)
    sign_in(client, "candidate")
    assert "not enrolled on any course" in accessible(client, "/me/courses")
    token = csrf_from(client, "/me/courses")
    refused = client.post("/me/courses", data={"course": "nothing", "csrf_token": token})
    assert refused.status_code == 422
    assert 'href="#course"' in refused.text
    token = csrf_from(client, "/me/courses")
    client.post("/me/courses", data={"course": "ai-ethics", "csrf_token": token})
    token = csrf_from(client, "/me/courses")
    bad = client.post(
        "/me/courses/ai-ethics/weeks",
        data={"week": "0", "percent_done": "50", "csrf_token": token},
    )
    assert bad.status_code == 422
    assert 'href="#week-ai-ethics"' in bad.text
    token = csrf_from(client, "/me/courses")
    client.post(
        "/me/courses/ai-ethics/weeks",
        data={
            "week": "1",
            "percent_done": "50",
            "quiz_score": "3",
            "quiz_max": "4",
            "csrf_token": token,
        },
    )
    assert "3 of 4" in accessible(client, "/me/courses")
    token = csrf_from(client, "/me/courses")
    client.post("/me/courses/ai-ethics/completion", data={"csrf_token": token})
    assert "Completed" in accessible(client, "/me/courses")
