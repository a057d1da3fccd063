"""FastAPI's OpenTelemetry support looks for providers on each request only when it is asked to."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from opentelemetry import trace
from sqlalchemy import Engine

from mobilise.settings import Settings
from mobilise.web.app import create_app


@pytest.mark.parametrize("telemetry", [False, True])
def test_requests_look_for_a_tracer_only_with_telemetry_on(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch, telemetry: bool
) -> None:
    looked: list[str] = []
    provider = trace.get_tracer_provider

    def looking() -> trace.TracerProvider:
        looked.append("tracer provider")
        return provider()

    monkeypatch.setattr(trace, "get_tracer_provider", looking)
    app = create_app(Settings(telemetry=telemetry), engine=sqlite_engine)
    with TestClient(app) as client:
        looked.clear()  # only what the requests do
        assert client.get("/framework").status_code == 200
        assert client.get("/about").status_code == 200

    assert bool(looked) == telemetry
