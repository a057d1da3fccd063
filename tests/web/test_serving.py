"""The app as `mobilise serve` makes it: the same app, with what it made at start-up frozen."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from mobilise.web.serving import create_served_app


def test_the_served_app_is_the_app_with_its_start_up_objects_frozen(database_url_env: str) -> None:
    try:
        app = create_served_app()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000
        with TestClient(app) as client:
            assert client.get("/healthz").status_code == 200
            assert client.get("/framework").status_code == 200
    finally:
        gc.unfreeze()
