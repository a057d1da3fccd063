"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import text

from mobilise.settings import get_settings
from mobilise.store.database import engine_for


def create_app() -> FastAPI:
    app = FastAPI(title="Mobilise", docs_url=None, redoc_url=None)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        with engine_for(get_settings().database_url).connect() as connection:
            connection.execute(text("SELECT 1"))
        return {"status": "ok"}

    return app
