"""`/api/v1/me/interests`: ask to be told when a programme, job family or course opens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field

from mobilise.services.interest import (
    InterestView,
    my_interests,
    register_interest,
    withdraw_interest,
)
from mobilise.web.access import SignedInActor
from mobilise.web.api.parameters import MAX_STORED_INT
from mobilise.web.api.people import SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["interest"])
InterestId = Annotated[int, Path(ge=1, le=MAX_STORED_INT)]

ERRORS: dict[int | str, dict[str, Any]] = {
    **SIGN_IN,
    404: {"model": Problem, "description": "No interest of yours has this id."},
    422: {"model": Problem, "description": "Invalid input: an unknown kind or target."},
}


class InterestIn(BaseModel):
    kind: Literal["programme", "role_family", "course"]
    target: str = Field(
        min_length=1,
        max_length=200,
        description="The key of the programme, job family or learning item.",
    )


class InterestOut(BaseModel):
    id: int
    kind: str
    target: str
    target_name: str
    registered_at: datetime
    notified_at: datetime | None = Field(description="When a cohort opening was last announced.")


def _out(view: InterestView) -> InterestOut:
    return InterestOut(
        id=view.id,
        kind=view.kind,
        target=view.target_key,
        target_name=view.target_name,
        registered_at=view.registered_at,
        notified_at=view.notified_at,
    )


@router.get(
    "/me/interests",
    response_model=list[InterestOut],
    summary="What you asked to be told about, newest first",
    responses=SIGN_IN,
)
def interests(engine: EngineDep, actor: SignedInActor) -> list[InterestOut]:
    return [_out(view) for view in my_interests(engine, actor)]


@router.post(
    "/me/interests",
    response_model=InterestOut,
    status_code=201,
    summary="Ask to be told when applications open for a programme, job family or course",
    responses=ERRORS,
)
def register(engine: EngineDep, actor: SignedInActor, body: InterestIn) -> InterestOut:
    interest_id = register_interest(engine, actor, body.kind, body.target)
    return next(_out(v) for v in my_interests(engine, actor) if v.id == interest_id)


@router.delete(
    "/me/interests/{interest_id}",
    status_code=204,
    summary="Stop being told (withdraw the interest)",
    responses=ERRORS,
)
def withdraw(engine: EngineDep, actor: SignedInActor, interest_id: InterestId) -> Response:
    withdraw_interest(engine, actor, interest_id)
    return Response(status_code=204)
