"""`/api/v1/skills/infer`, `/api/v1/me/skill-suggestions`, the crosswalk, skill change requests
and learning items' skill tags: what the skills pages do, for API clients."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path, Query, Request, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from mobilise.core.problems import Problem as InputProblem
from mobilise.services.actors import Actor, Role
from mobilise.services.cv_documents import text_of_upload
from mobilise.services.jobs.visibility import UploadTooLarge
from mobilise.services.learning import LearningItemNotFound
from mobilise.services.opportunity_skills import answer_suggestions, stored_suggestions
from mobilise.services.skill_calibration import infer_calibrated
from mobilise.services.skill_crosswalk import (
    CrosswalkEntryNotFound,
    list_crosswalk,
    review_entry,
)
from mobilise.services.skill_demand import (
    ChangeRequestNotFound,
    decide_change_request,
    list_change_requests,
)
from mobilise.services.skill_inference import MAX_TEXT_BYTES
from mobilise.services.skill_suggestions import (
    MAX_SUGGESTIONS,
    check_text,
    record_suggestions,
    suggest_skills,
)
from mobilise.services.skill_tags import ItemTag, LearningTagNotFound, item_tags, review_tag
from mobilise.web.access import PUBLIC, OperatorActor, Requirement, SignedInActor
from mobilise.web.api.pagination import Cursor, Limit, Page, decode_cursor, next_link
from mobilise.web.api.people import SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["skills"])

# JSON escapes and the other fields around a megabyte of text; anything larger is refused unread.
MAX_BODY_BYTES = 6 * MAX_TEXT_BYTES + 64 * 1024
ENTRY_ID = Annotated[int, Path(ge=1, le=2**31 - 1)]
REQUEST_ID = Annotated[int, Path(ge=1, le=2**31 - 1)]
AdminActor = Annotated[Actor, Depends(Requirement(Role.ORGANISATION_ADMIN, Role.SERVICE_ADMIN))]
TEXT_ERRORS: dict[int | str, dict[str, Any]] = {
    **SIGN_IN,
    413: {"model": Problem, "description": "The text is over 1 MB."},
    422: {"model": Problem, "description": "Invalid parameters (listed in invalid-params)."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    **SIGN_IN,
    404: {"model": Problem, "description": "No such entry."},
    422: {"model": Problem, "description": "Invalid parameters (listed in invalid-params)."},
}


def limit_body(request: Request) -> None:
    """Refuse a body over the limit before reading it (a 413 naming the limit)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise UploadTooLarge(
            [
                InputProblem(
                    "request",
                    None,
                    "body",
                    f"{int(length):,} bytes",
                    f"is larger than {MAX_BODY_BYTES:,} bytes; send at most 1 MB of text",
                )
            ]
        )


BodyLimit = [Depends(limit_body)]
Text = Annotated[
    str,
    Field(
        description="Free text: a CV, a summary, a job advert, a course description "
        "(at most 1 MB as UTF-8)."
    ),
]


class InferRequest(BaseModel):
    text: Text
    taxonomy: Literal["esco", "ddat"] = "esco"
    top: int = Field(default=10, ge=1, le=100)


class SuggestionOut(BaseModel):
    key: str = Field(description="The ESCO URI or the DDaT skill key.")
    label: str
    score: float = Field(description="0..1, comparable across texts.")
    start: int = Field(description="Where the supporting span starts in the text (characters).")
    end: int
    span: str = Field(description="The supporting span: text[start:end].")


class InferOut(BaseModel):
    taxonomy: str
    suggestions: list[SuggestionOut]


class SuggestRequest(BaseModel):
    text: Text
    document: Literal["cv", "summary", "other"] = "cv"
    top: int = Field(default=10, ge=1, le=MAX_SUGGESTIONS)


class RecordRequest(SuggestRequest):
    confirm: dict[str, int] = Field(
        default_factory=dict,
        max_length=MAX_SUGGESTIONS,
        description="Skill keys to confirm at once, each with the level (1-4) to confirm it at.",
    )
    keep_rest: bool = Field(
        default=True, description="Store the other suggestions for you to answer later."
    )


class SkillSuggestionOut(BaseModel):
    skill: str
    skill_name: str
    score: float
    level: int = Field(description="The level proposed: 1 (awareness).")
    esco: str = Field(description="The ESCO skill found in the text ('' if read directly).")
    esco_label: str
    start: int
    end: int
    span: str
    held: str | None = Field(
        description="What you already have for this skill: active, suggested, rejected or null."
    )


class SkillSuggestionsOut(BaseModel):
    suggestions: list[SkillSuggestionOut]
    via_crosswalk: bool


class RecordedOut(BaseModel):
    confirmed: list[int] = Field(description="Claim ids now active.")
    suggested: list[int] = Field(description="Claim ids waiting for your answer.")
    already_held: list[str]


class CrosswalkEntryOut(BaseModel):
    id: int
    esco: str
    esco_label: str
    skill: str
    skill_name: str
    score: float
    source: str
    accepted: bool
    reviewed_at: datetime | None


class Review(BaseModel):
    decision: Literal["accept", "reject"]
    note: str = Field(default="", max_length=1000)


class ChangeRequestOut(BaseModel):
    id: int
    framework: str
    esco: str
    esco_label: str
    status: str
    sightings: int
    best_score: float
    example: str
    example_source: str
    first_seen_at: datetime
    last_seen_at: datetime
    decided_at: datetime | None
    note: str


class Decision(BaseModel):
    decision: Literal["accept", "decline"]
    note: str = Field(default="", max_length=1000)


@router.post(
    "/skills/infer",
    response_model=InferOut,
    summary="Skills suggested for a text, with scores and supporting spans",
    responses=TEXT_ERRORS,
    dependencies=BodyLimit,
)
def infer(engine: EngineDep, actor: SignedInActor, body: InferRequest) -> InferOut:
    return _inferred(engine, body.text, body.taxonomy, body.top)


def _inferred(engine: Engine, text: str, taxonomy: Literal["esco", "ddat"], top: int) -> InferOut:
    check_text(text)
    found = infer_calibrated([text], taxonomy, top, engine=engine)[0]
    return InferOut(
        taxonomy=taxonomy,
        suggestions=[
            SuggestionOut(
                key=s.key,
                label=s.label,
                score=s.score,
                start=s.start,
                end=s.end,
                span=text[s.start : s.end],
            )
            for s in found
        ],
    )


@router.post(
    "/skills/infer/document",
    response_model=InferOut,
    summary="Skills suggested for an uploaded document (.docx or UTF-8 .txt), as /skills/infer",
    responses=TEXT_ERRORS,
    dependencies=BodyLimit,
)
async def infer_document(
    engine: EngineDep,
    actor: SignedInActor,
    file: Annotated[UploadFile, File(description="A Word document (.docx) or a .txt file.")],
    taxonomy: Annotated[Literal["esco", "ddat"], Form()] = "esco",
    top: Annotated[int, Form(ge=1, le=100)] = 10,
) -> InferOut:
    text = text_of_upload(await file.read(MAX_TEXT_BYTES + 1), file.filename or "upload")
    return _inferred(engine, text, taxonomy, top)


@router.post(
    "/me/skill-suggestions/preview",
    response_model=SkillSuggestionsOut,
    summary="What your text suggests for your profile (nothing is stored)",
    responses=TEXT_ERRORS,
    dependencies=BodyLimit,
)
def preview(engine: EngineDep, actor: SignedInActor, body: SuggestRequest) -> SkillSuggestionsOut:
    found = suggest_skills(engine, actor, body.text, top=body.top)
    return SkillSuggestionsOut(
        suggestions=[
            SkillSuggestionOut(
                skill=s.skill_key,
                skill_name=s.skill_name,
                score=s.score,
                level=s.level,
                esco=s.esco_key,
                esco_label=s.esco_label,
                start=s.start,
                end=s.end,
                span=body.text[s.start : s.end],
                held=s.held,
            )
            for s in found.suggestions
        ],
        via_crosswalk=found.via_crosswalk,
    )


@router.post(
    "/me/skill-suggestions",
    response_model=RecordedOut,
    status_code=201,
    summary="Store what your text suggests: confirm some at once, keep the rest to answer",
    responses=TEXT_ERRORS,
    dependencies=BodyLimit,
)
def record(engine: EngineDep, actor: SignedInActor, body: RecordRequest) -> RecordedOut:
    recorded = record_suggestions(
        engine,
        actor,
        body.text,
        confirm=body.confirm,
        keep_rest=body.keep_rest,
        document=body.document,
        top=body.top,
    )
    return RecordedOut(
        confirmed=list(recorded.confirmed),
        suggested=list(recorded.suggested),
        already_held=list(recorded.already_held),
    )


@router.get(
    "/skill-crosswalk",
    response_model=Page[CrosswalkEntryOut],
    summary="The ESCO to framework crosswalk of a framework version",
    responses=SIGN_IN,
)
def crosswalk(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    limit: Limit = 50,
    cursor: Cursor = None,
    framework: Annotated[str | None, Query(max_length=100)] = None,
    skill: Annotated[str | None, Query(max_length=200, description="A skill key.")] = None,
    source: Annotated[Literal["computed", "reviewed"] | None, Query()] = None,
) -> dict[str, Any]:
    offset = 0 if cursor is None else int(decode_cursor(cursor, (int,))[0])
    entries, total = list_crosswalk(
        engine, framework=framework, skill_key=skill, source=source, limit=limit, offset=offset
    )
    return {
        "items": [
            CrosswalkEntryOut(
                id=e.id,
                esco=e.esco_key,
                esco_label=e.esco_label,
                skill=e.skill_key,
                skill_name=e.skill_name,
                score=e.score,
                source=e.source,
                accepted=e.accepted,
                reviewed_at=e.reviewed_at,
            )
            for e in entries
        ],
        "total": total,
        "limit": limit,
        "next": next_link(request, [offset + limit] if offset + limit < total else None),
    }


@router.post(
    "/skill-crosswalk/{entry_id}",
    status_code=204,
    summary="Accept or reject one crosswalk link (framework owners)",
    responses=NOT_FOUND,
)
def review(engine: EngineDep, actor: OperatorActor, entry_id: ENTRY_ID, body: Review) -> None:
    try:
        review_entry(engine, actor, entry_id, body.decision == "accept", body.note)
    except CrosswalkEntryNotFound:
        raise HTTPException(404, "No crosswalk entry has this id.") from None


@router.get(
    "/skill-change-requests",
    response_model=Page[ChangeRequestOut],
    summary="Skill demand no framework skill covers, most sighted first",
    responses=SIGN_IN,
)
def change_requests(
    request: Request,
    engine: EngineDep,
    actor: AdminActor,
    limit: Limit = 50,
    cursor: Cursor = None,
    framework: Annotated[str | None, Query(max_length=100)] = None,
    status: Annotated[Literal["open", "accepted", "declined"], Query()] = "open",
) -> dict[str, Any]:
    offset = 0 if cursor is None else int(decode_cursor(cursor, (int,))[0])
    requests, total = list_change_requests(
        engine, actor, framework=framework, status=status, limit=limit, offset=offset
    )
    return {
        "items": [
            ChangeRequestOut(
                id=r.id,
                framework=r.framework,
                esco=r.esco_key,
                esco_label=r.esco_label,
                status=r.status,
                sightings=r.sightings,
                best_score=r.best_score,
                example=r.example,
                example_source=r.example_source,
                first_seen_at=r.first_seen_at,
                last_seen_at=r.last_seen_at,
                decided_at=r.decided_at,
                note=r.note,
            )
            for r in requests
        ],
        "total": total,
        "limit": limit,
        "next": next_link(request, [offset + limit] if offset + limit < total else None),
    }


@router.post(
    "/skill-change-requests/{request_id}",
    status_code=204,
    summary="Accept or decline a skill change request (framework owners)",
    responses=NOT_FOUND,
)
def decide(engine: EngineDep, actor: OperatorActor, request_id: REQUEST_ID, body: Decision) -> None:
    try:
        decide_change_request(engine, actor, request_id, body.decision, body.note)
    except ChangeRequestNotFound:
        raise HTTPException(404, "No change request has this id.") from None


ITEM_KEY = Annotated[str, Path(max_length=200)]


class SkillTagOut(BaseModel):
    esco: str = Field(description="The ESCO skill found (its URI).")
    esco_label: str
    score: float = Field(description="0..1, comparable across texts.")
    start: int = Field(description="Where the supporting span starts in 'title. description'.")
    end: int
    span: str
    skills: list[str] = Field(description="Framework skills it stands for, through the crosswalk.")
    status: Literal["inferred", "confirmed", "rejected"]
    reviewed_by: str | None


class TagReview(BaseModel):
    esco: str = Field(min_length=1, max_length=200, description="The tag's ESCO URI.")
    decision: Literal["confirm", "reject"]
    level: int = Field(
        default=2, ge=1, le=4, description="What a confirmed tag teaches to (2: working)."
    )


def _tag_out(tag: ItemTag) -> SkillTagOut:
    return SkillTagOut(
        esco=tag.esco_key,
        esco_label=tag.esco_label,
        score=tag.score,
        start=tag.start,
        end=tag.end,
        span=tag.span,
        skills=list(tag.skills),
        status=tag.status,
        reviewed_by=tag.reviewed_by,
    )


@router.get(
    "/learning-items/{key}/skill-tags",
    response_model=list[SkillTagOut],
    summary="The skills a learning item's description mentions, best first, with their review",
    responses={404: {"model": Problem, "description": "No learning item has this key."}},
    dependencies=[Depends(PUBLIC)],
)
def learning_tags(engine: EngineDep, key: ITEM_KEY) -> list[SkillTagOut]:
    try:
        return [_tag_out(t) for t in item_tags(engine, key)]
    except LearningItemNotFound:
        raise HTTPException(404, "No learning item has this key.") from None


@router.post(
    "/learning-items/{key}/skill-tags",
    response_model=SkillTagOut,
    summary="Confirm or reject one of a learning item's skill tags (learning admins)",
    responses=NOT_FOUND,
)
def review_learning_tag(
    engine: EngineDep, actor: OperatorActor, key: ITEM_KEY, body: TagReview
) -> SkillTagOut:
    try:
        tag = review_tag(engine, actor, key, body.esco, body.decision, level=body.level)
    except LearningItemNotFound:
        raise HTTPException(404, "No learning item has this key.") from None
    except LearningTagNotFound:
        raise HTTPException(404, "The item has no tag for this ESCO skill.") from None
    return _tag_out(tag)


class RequiredSkillSuggestionOut(BaseModel):
    skill: str
    skill_name: str
    score: float = Field(description="0..1; at least the suggestion threshold.")
    esco: str = Field(description="The ESCO skill found ('' if read against the framework).")
    esco_label: str
    start: int = Field(description="Where the span starts in 'title. summary'.")
    end: int
    span: str


class SuggestionAnswers(BaseModel):
    confirm: dict[str, str] = Field(
        default_factory=dict,
        max_length=100,
        description="Suggested skills to require, each with its level (awareness, working, "
        "practitioner or expert).",
    )
    dismiss: list[str] = Field(default_factory=list, max_length=100)


@router.get(
    "/opportunities/{key}/skill-suggestions",
    response_model=list[RequiredSkillSuggestionOut],
    summary="Required skills suggested from an opportunity's words, for its owners",
    responses=NOT_FOUND,
)
def opportunity_suggestions(
    engine: EngineDep, actor: SignedInActor, key: ITEM_KEY
) -> list[RequiredSkillSuggestionOut]:
    return [
        RequiredSkillSuggestionOut(
            skill=s.skill_key,
            skill_name=s.skill_name,
            score=s.score,
            esco=s.esco_key,
            esco_label=s.esco_label,
            start=s.start,
            end=s.end,
            span=s.span,
        )
        for s in stored_suggestions(engine, actor, key)
    ]


@router.post(
    "/opportunities/{key}/skill-suggestions",
    status_code=204,
    summary="Require some suggested skills (at a level of your choosing) and dismiss others",
    responses=NOT_FOUND,
)
def answer_opportunity_suggestions(
    engine: EngineDep, actor: SignedInActor, key: ITEM_KEY, body: SuggestionAnswers
) -> None:
    answer_suggestions(engine, actor, key, body.confirm, dismiss=body.dismiss)
