"""`/api/v1/learning-items` (public) and `/api/v1/me/completions`: the catalogue and completions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from mobilise.core.records.learning_items import LEARNING_FORMATS
from mobilise.services.learning import (
    LearningItemSummary,
    get_item,
    list_items,
)
from mobilise.services.learning_completions import record_completion
from mobilise.web.access import PUBLIC, SignedInActor
from mobilise.web.api.pagination import Cursor, Limit, Page, decode_cursor, next_link
from mobilise.web.api.people import SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["learning"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No learning item has this key."}
}


class TaughtOut(BaseModel):
    skill: str
    skill_name: str
    level: int


class LearningItemOut(BaseModel):
    key: str
    title: str
    provider: str
    format: str
    hours: float
    cost_pence: int
    teaches: list[TaughtOut]


class LearningItemDetailOut(LearningItemOut):
    description: str
    url: str | None
    prerequisites: list[str]
    required_by: list[str]
    completions: int


class CompletionIn(BaseModel):
    item: str = Field(min_length=1, max_length=200)
    completed_on: date | None = Field(default=None, description="Today when absent.")


class CompletionOut(BaseModel):
    completion: int
    item: str
    completed_on: date
    claims: dict[str, str] = Field(description="Each taught skill and what happened to its claim.")


def _item_out(summary: LearningItemSummary) -> dict[str, Any]:
    return {
        "key": summary.key,
        "title": summary.title,
        "provider": summary.provider,
        "format": summary.format,
        "hours": float(summary.hours),
        "cost_pence": summary.cost_pence,
        "teaches": [
            TaughtOut(skill=t.skill_key, skill_name=t.skill_name, level=int(t.level))
            for t in summary.teaches
        ],
    }


@router.get(
    "/learning-items",
    response_model=Page[LearningItemOut],
    summary="The learning catalogue, by title",
    dependencies=[Depends(PUBLIC)],
)
def learning_items(
    request: Request,
    engine: EngineDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    format: Annotated[str | None, Query(max_length=30, description="One of the formats.")] = None,
    skill: Annotated[str | None, Query(max_length=200, description="A skill's key.")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    page = 1 if cursor is None else int(decode_cursor(cursor, (int,))[0])
    found = list_items(
        engine,
        query=q or None,
        format=format if format in LEARNING_FORMATS else None,
        skill=skill or None,
        page=page,
        page_size=limit,
    )
    return {
        "items": [LearningItemOut(**_item_out(s)) for s in found.items],
        "total": found.total,
        "limit": limit,
        "next": next_link(request, [page + 1] if page < found.pages else None),
    }


@router.get(
    "/learning-items/{key}",
    response_model=LearningItemDetailOut,
    summary="One learning item",
    responses=NOT_FOUND,
    dependencies=[Depends(PUBLIC)],
)
def learning_item(
    engine: EngineDep, key: Annotated[str, Path(min_length=1, max_length=200)]
) -> LearningItemDetailOut:
    view = get_item(engine, key)
    return LearningItemDetailOut(
        **_item_out(view.summary),
        description=view.description,
        url=view.url,
        prerequisites=[ref.key for ref in view.prerequisites],
        required_by=[ref.key for ref in view.required_by],
        completions=view.completions,
    )


@router.post(
    "/me/completions",
    response_model=CompletionOut,
    status_code=201,
    summary="Record that you completed a learning item (claims its skills)",
    responses={
        **SIGN_IN,
        **NOT_FOUND,
        422: {"model": Problem, "description": "Invalid parameters (listed in invalid-params)."},
    },
)
def complete(engine: EngineDep, actor: SignedInActor, body: CompletionIn) -> CompletionOut:
    done = record_completion(
        engine, actor, actor.person_key or "", body.item, completed_on=body.completed_on
    )
    return CompletionOut(
        completion=done.completion_id,
        item=done.item_key,
        completed_on=done.completed_on,
        claims={c.skill_key: c.outcome for c in done.claims},
    )
