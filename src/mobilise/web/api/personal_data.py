"""`/api/v1/me/data` and erasure requests: a person's rights over their data through the API.

Download everything held about you (the document of docs/privacy.md), correct your name and
email, withdraw consent for sensitive attributes, ask to be erased (or cancel the request);
organisation and service admins list the requests waiting for them and approve or refuse them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from mobilise.services.erasure import (
    REASON_LENGTH,
    ErasureView,
    approve_erasure,
    cancel_erasure,
    my_erasure_requests,
    refuse_erasure,
    request_erasure,
    requests_to_decide,
)
from mobilise.services.personal_data import download_my_data
from mobilise.services.personal_details import correct_my_details
from mobilise.services.sensitive_consent import withdraw_consent
from mobilise.web.access import SignedInActor
from mobilise.web.api.models import Timestamp
from mobilise.web.api.people import SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["personal data"])

RequestKey = Annotated[
    str,
    Path(
        pattern=r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$",
        description="The erasure request's key.",
    ),
]
ERRORS: dict[int | str, dict[str, Any]] = {
    **SIGN_IN,
    404: {"model": Problem, "description": "No such request that you may decide or see."},
    422: {"model": Problem, "description": "Invalid input, or already decided."},
}


class DetailsIn(BaseModel):
    display_name: str = Field(min_length=1, max_length=300)
    email: str = Field(default="", max_length=320, description="Empty: no email address.")


class DetailsOut(BaseModel):
    display_name: str
    email: str | None


class ConsentOut(BaseModel):
    withdrawn: bool = Field(description="False: no sensitive attributes were held.")


class ErasureIn(BaseModel):
    reason: str = Field(default="", max_length=REASON_LENGTH, description="Optional.")


class RefusalIn(BaseModel):
    reason: str = Field(min_length=1, max_length=REASON_LENGTH, description="The person is told.")


class ErasureOut(BaseModel):
    key: str
    state: str = Field(description="pending, erased, refused or cancelled.")
    person: str = Field(description="The person's key (the pseudonym once erased).")
    person_name: str
    organisation: str | None
    reason: str
    requested_at: Timestamp
    decided_at: Timestamp | None
    decided_by: str
    decision_reason: str


class ErasurePageOut(BaseModel):
    requests: list[ErasureOut]
    total: int


def _out(view: ErasureView) -> ErasureOut:
    return ErasureOut(
        key=view.key,
        state=view.state,
        person=view.person_key,
        person_name=view.person_name,
        organisation=view.organisation_name,
        reason=view.reason,
        requested_at=view.requested_at,
        decided_at=view.decided_at,
        decided_by=view.decided_by,
        decision_reason=view.decision_reason,
    )


@router.get(
    "/me/data",
    summary="Everything Mobilise holds about you, as one JSON document (docs/privacy.md)",
    responses=SIGN_IN,
)
def my_data(engine: EngineDep, actor: SignedInActor) -> dict[str, Any]:
    return download_my_data(engine, actor)


@router.put(
    "/me/details",
    response_model=DetailsOut,
    summary="Correct your name and email address",
    responses=ERRORS,
)
def correct_details(engine: EngineDep, actor: SignedInActor, body: DetailsIn) -> DetailsOut:
    corrected = correct_my_details(engine, actor, body.display_name, body.email)
    return DetailsOut(display_name=corrected.display_name, email=corrected.email)


@router.post(
    "/me/sensitive-attributes/withdrawal",
    response_model=ConsentOut,
    summary="Withdraw consent: your sensitive attributes are deleted and leave future statistics",
    responses=SIGN_IN,
)
def withdraw(engine: EngineDep, actor: SignedInActor) -> ConsentOut:
    return ConsentOut(withdrawn=withdraw_consent(engine, actor))


@router.get(
    "/me/erasure-requests",
    response_model=list[ErasureOut],
    summary="Your requests to be erased, newest first",
    responses=SIGN_IN,
)
def my_requests(engine: EngineDep, actor: SignedInActor) -> list[ErasureOut]:
    return [_out(v) for v in my_erasure_requests(engine, actor)]


@router.post(
    "/me/erasure-requests",
    response_model=ErasureOut,
    status_code=201,
    summary="Ask to be erased (an admin of your organisation decides)",
    responses=ERRORS,
)
def ask(engine: EngineDep, actor: SignedInActor, body: ErasureIn) -> ErasureOut:
    return _out(request_erasure(engine, actor, body.reason))


@router.post(
    "/me/erasure-requests/{key}/cancellation",
    response_model=ErasureOut,
    summary="Cancel your request while it waits",
    responses=ERRORS,
)
def cancel(engine: EngineDep, actor: SignedInActor, key: RequestKey) -> ErasureOut:
    return _out(cancel_erasure(engine, actor, key))


@router.get(
    "/erasure-requests",
    response_model=ErasurePageOut,
    summary="Erasure requests waiting for your decision (organisation and service admins)",
    responses=ERRORS,
)
def to_decide(
    engine: EngineDep,
    actor: SignedInActor,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ErasurePageOut:
    found, total = requests_to_decide(engine, actor, limit=limit, offset=offset)
    return ErasurePageOut(requests=[_out(v) for v in found], total=total)


@router.post(
    "/erasure-requests/{key}/approval",
    response_model=ErasureOut,
    summary="Approve: the person is erased now (records kept for legal reasons pseudonymised)",
    responses=ERRORS,
)
def approve(engine: EngineDep, actor: SignedInActor, key: RequestKey) -> ErasureOut:
    return _out(approve_erasure(engine, actor, key))


@router.post(
    "/erasure-requests/{key}/refusal",
    response_model=ErasureOut,
    summary="Refuse, with a reason the person is told",
    responses=ERRORS,
)
def refuse(engine: EngineDep, actor: SignedInActor, key: RequestKey, body: RefusalIn) -> ErasureOut:
    return _out(refuse_erasure(engine, actor, key, body.reason))
