"""Course progress through the API: enrol, record weeks (bad input is a 422 naming the field),
complete; each person sees only their own."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.support.programmes import add_programme
from tests.web.journeys import api_signed_in


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
