"""`/healthz`: the app is up, can reach its database, and the schema is at this release's head."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from mobilise.store.schema import current_revision, is_behind
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import DATABASE_UNAVAILABLE, Problem, problem_response

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]
    revision: str


@router.get(
    "/healthz",
    response_model=Health,
    summary="Check the service and its database",
    responses={503: {"model": Problem, "description": "The database is unreachable or behind."}},
)
def healthz(request: Request, engine: EngineDep) -> Health | Response:
    head: str | None = request.app.state.schema_head
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        revision = current_revision(engine)
    except SQLAlchemyError as error:
        return problem_response(
            request,
            DATABASE_UNAVAILABLE,
            detail=f"The database cannot be reached ({type(error).__name__}).",
            headers={"Retry-After": "30"},
        )
    if is_behind(revision, head):
        return problem_response(
            request,
            DATABASE_UNAVAILABLE,
            detail=f"The database schema is at revision {revision or 'none'}, not {head}; "
            "run `mobilise db upgrade`.",
            headers={"Retry-After": "30"},
        )
    return Health(status="ok", database="ok", revision=revision or "")
