"""`/api/v1/me/claims`, `/api/v1/me/suggestions` and `/api/v1/validation-queue`: what the
claim pages do, for API clients."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, Field

from mobilise.services.actors import Actor, Role
from mobilise.services.skill_claims import (
    answer_suggestion,
    assess_own_skill,
    validate_claim,
    validation_queue,
)
from mobilise.web.access import Requirement, SignedInActor
from mobilise.web.api.pagination import Cursor, Limit, Page, decode_cursor, next_link
from mobilise.web.api.people import SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["claims"])

ManagerActor = Annotated[Actor, Depends(Requirement(Role.LINE_MANAGER))]
CLAIM_ID = Annotated[int, Path(ge=1, le=2**31 - 1)]
ERRORS: dict[int | str, dict[str, Any]] = {
    **SIGN_IN,
    404: {"model": Problem, "description": "No such claim that you may act on."},
    422: {"model": Problem, "description": "Invalid parameters (listed in invalid-params)."},
}


class Assessment(BaseModel):
    skill: str = Field(min_length=1, max_length=200, description="The skill's key.")
    level: int = Field(ge=1, le=4, description="1 awareness, 2 working, 3 practitioner, 4 expert.")
    evidence: str = Field(default="", max_length=5000)
    link: str | None = Field(default=None, max_length=2000, description="An https:// address.")


class Assessed(BaseModel):
    claim: int


class Answer(BaseModel):
    answer: Literal["confirm", "reject"]


class Decision(BaseModel):
    decision: Literal["approve", "adjust", "reject"]
    level: int | None = Field(default=None, ge=1, le=4, description="For adjust.")
    reason: str = Field(default="", max_length=1000, description="Needed to reject.")


class QueuedClaimOut(BaseModel):
    claim: int
    person: str
    person_name: str
    skill: str
    skill_name: str
    level: int
    evidence: str
    claimed_on: date


@router.post(
    "/me/claims",
    response_model=Assessed,
    status_code=201,
    summary="Assess one of your own skills",
    responses=ERRORS,
)
def assess(engine: EngineDep, actor: SignedInActor, assessment: Assessment) -> Assessed:
    claim = assess_own_skill(
        engine, actor, assessment.skill, assessment.level, assessment.evidence, assessment.link
    )
    return Assessed(claim=claim)


@router.post(
    "/me/suggestions/{claim_id}",
    status_code=204,
    summary="Confirm or reject a skill suggested for you",
    responses=ERRORS,
)
def answer(engine: EngineDep, actor: SignedInActor, claim_id: CLAIM_ID, body: Answer) -> Response:
    answer_suggestion(engine, actor, claim_id, accept=body.answer == "confirm")
    return Response(status_code=204)


@router.get(
    "/validation-queue",
    response_model=Page[QueuedClaimOut],
    summary="Self-assessed claims of your reporting line awaiting validation",
    responses=SIGN_IN,
)
def queue(
    request: Request,
    engine: EngineDep,
    actor: ManagerActor,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    offset = 0 if cursor is None else int(decode_cursor(cursor, (int,))[0])
    claims, total = validation_queue(engine, actor, limit=limit, offset=offset)
    return {
        "items": [
            QueuedClaimOut(
                claim=c.claim_id,
                person=c.person_key,
                person_name=c.person_name,
                skill=c.skill_key,
                skill_name=c.skill_name,
                level=int(c.level),
                evidence=c.evidence,
                claimed_on=c.claimed_on,
            )
            for c in claims
        ],
        "total": total,
        "limit": limit,
        "next": next_link(request, [offset + limit] if offset + limit < total else None),
    }


@router.post(
    "/validation-queue/{claim_id}",
    status_code=204,
    summary="Approve, adjust or reject a claim",
    responses=ERRORS,
)
def decide(engine: EngineDep, actor: ManagerActor, claim_id: CLAIM_ID, body: Decision) -> Response:
    validate_claim(engine, actor, claim_id, body.decision, level=body.level, reason=body.reason)
    return Response(status_code=204)
