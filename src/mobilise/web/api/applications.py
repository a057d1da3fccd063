"""`/api/v1/cohorts/{key}/applications`, `/applications`, `/me/applications`, `/release-queue` and
`/me/messages`: applying, acting on an application, panel scoring and progress, for API clients as
the pages run them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from mobilise.services.application_views import (
    ApplicationSummary,
    get_application,
    my_applications,
    release_queue,
)
from mobilise.services.applications import act, apply, revoke_share
from mobilise.services.cohort_delivery import complete_module
from mobilise.services.outbox import messages_for
from mobilise.services.selection_panel import cohort_applications, score_application
from mobilise.web.access import SignedInActor
from mobilise.web.api.pagination import Cursor, Limit, Page, decode_cursor, next_link
from mobilise.web.api.people import SIGN_IN
from mobilise.web.api.programmes import ERRORS, Created, Key
from mobilise.web.dependencies import EngineDep

router = APIRouter(prefix="/api/v1", tags=["programmes"])


ApplicationStateName = Literal[
    "awaiting_release",
    "released",
    "offered",
    "waiting_list",
    "not_selected",
    "accepted",
    "declined",
    "withdrawn",
    "completed",
    "left",
]


class ApplyIn(BaseModel):
    statement: str = Field(min_length=1, max_length=5000)
    share: list[Literal["role", "skills", "learning"]] = Field(
        default_factory=list,
        description="Parts of your profile to share with the cohort's "
        "owners and panel for the life of the application.",
    )
    consent: bool = Field(default=False, description="Needed to share anything.")


class ApplicationOut(BaseModel):
    key: str
    cohort: str
    cohort_name: str
    programme: str
    person: str
    person_name: str
    state: str
    submitted_at: datetime
    score: float | None
    waiting_position: int | None


class TransitionOut(BaseModel):
    occurred_at: datetime
    action: str
    from_state: str | None
    to_state: str
    actor: str
    reason: str


class ModuleOut(BaseModel):
    item: str
    title: str
    mandatory: bool
    completed_on: date | None


class ApplicationDetailOut(ApplicationOut):
    statement: str
    reason: str
    shared_parts: list[str]
    share_active: bool
    profile: dict[str, Any] = Field(description="The parts of the profile you may see.")
    timeline: list[TransitionOut]
    actions: list[str] = Field(description="What you may do with it now.")
    modules: list[ModuleOut]
    attended: int
    sessions: int
    completion_blockers: list[str]


class ActionIn(BaseModel):
    action: Literal[
        "release", "refuse_release", "withdraw", "accept", "decline", "complete", "leave"
    ]
    reason: str = Field(default="", max_length=1000)


class StateOut(BaseModel):
    state: str


class ScoresIn(BaseModel):
    points: dict[Annotated[str, Field(max_length=200)], Annotated[int, Field(ge=0, le=100)]] = (
        Field(max_length=50)
    )
    comment: str = Field(default="", max_length=2000)


class ScoredOut(BaseModel):
    total: float


class ModuleIn(BaseModel):
    item: str = Field(min_length=1, max_length=200)
    completed_on: date | None = None


class ModuleDoneOut(BaseModel):
    item: str
    completed_on: date
    claims: int


class PanelRowOut(ApplicationOut):
    sheets: int
    mean_total: float | None
    your_total: float | None


class MessageOut(BaseModel):
    id: int
    created_at: datetime
    kind: str
    subject: str
    body: str
    link: str


def application_out(summary: ApplicationSummary) -> dict[str, Any]:
    return {
        "key": summary.key,
        "cohort": summary.cohort_key,
        "cohort_name": summary.cohort_name,
        "programme": summary.programme_name,
        "person": summary.person_key,
        "person_name": summary.person_name,
        "state": summary.state.value,
        "submitted_at": summary.submitted_at,
        "score": summary.score,
        "waiting_position": summary.waiting_position,
    }


@router.get(
    "/cohorts/{key}/applications",
    response_model=Page[PanelRowOut],
    summary="A cohort's applications (its programme admins and panel)",
    responses=ERRORS,
)
def applications_of_cohort(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: Key,
    state: Annotated[ApplicationStateName | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    offset = 0 if cursor is None else max(0, int(decode_cursor(cursor, (int,))[0]))
    rows, total = cohort_applications(engine, actor, key, state=state, limit=limit, offset=offset)
    return {
        "items": [
            PanelRowOut(
                **application_out(r.application),
                sheets=r.sheets,
                mean_total=r.mean_total,
                your_total=r.my_total,
            )
            for r in rows
        ],
        "total": total,
        "limit": limit,
        "next": next_link(request, [offset + limit] if offset + limit < total else None),
    }


@router.post(
    "/cohorts/{key}/applications",
    response_model=Created,
    status_code=201,
    summary="Apply to a cohort",
    responses=ERRORS,
)
def apply_to_cohort(engine: EngineDep, actor: SignedInActor, key: Key, body: ApplyIn) -> Created:
    return Created(key=apply(engine, actor, key, body.statement, body.share, consent=body.consent))


@router.get(
    "/me/applications",
    response_model=list[ApplicationOut],
    summary="Your applications",
    responses=SIGN_IN,
)
def mine(engine: EngineDep, actor: SignedInActor) -> list[dict[str, Any]]:
    return [application_out(a) for a in my_applications(engine, actor)]


@router.get(
    "/release-queue",
    response_model=list[ApplicationOut],
    summary="Applications waiting for you, their line manager, to release them",
    responses=SIGN_IN,
)
def releases(engine: EngineDep, actor: SignedInActor) -> list[dict[str, Any]]:
    return [application_out(a) for a in release_queue(engine, actor)]


@router.get(
    "/applications/{key}",
    response_model=ApplicationDetailOut,
    summary="An application, as you may see it",
    responses=ERRORS,
)
def application(engine: EngineDep, actor: SignedInActor, key: Key) -> ApplicationDetailOut:
    view = get_application(engine, actor, key)
    profile: dict[str, Any] = {}
    if view.profile.role is not None:
        profile["role"] = view.profile.role
    if view.profile.skills is not None:
        profile["skills"] = [
            {"skill": k, "name": n, "level": lv} for k, n, lv in view.profile.skills
        ]
    if view.profile.learning is not None:
        profile["learning"] = [
            {"item": k, "title": t, "completed_on": on.isoformat()}
            for k, t, on in view.profile.learning
        ]
    return ApplicationDetailOut(
        **application_out(view.summary),
        statement=view.statement,
        reason=view.reason,
        shared_parts=view.shared_parts,
        share_active=view.grant_active,
        profile=profile,
        timeline=[TransitionOut(**t.__dict__) for t in view.timeline],
        actions=view.actions,
        modules=[
            ModuleOut(
                item=m.item_key, title=m.title, mandatory=m.mandatory, completed_on=m.completed_on
            )
            for m in view.modules
        ],
        attended=view.attended,
        sessions=view.sessions,
        completion_blockers=view.completion_blockers,
    )


@router.post(
    "/applications/{key}/transitions",
    response_model=StateOut,
    summary="Release, decline to release, withdraw, accept, decline, complete or leave",
    responses=ERRORS,
)
def application_transition(
    engine: EngineDep, actor: SignedInActor, key: Key, body: ActionIn
) -> StateOut:
    return StateOut(state=act(engine, actor, key, body.action, reason=body.reason).value)


@router.post(
    "/applications/{key}/scores",
    response_model=ScoredOut,
    summary="Score an application against the rubric (the cohort's panel)",
    responses=ERRORS,
)
def score(engine: EngineDep, actor: SignedInActor, key: Key, body: ScoresIn) -> ScoredOut:
    return ScoredOut(total=score_application(engine, actor, key, body.points, comment=body.comment))


@router.delete(
    "/applications/{key}/share",
    status_code=204,
    summary="Revoke your consent to share your profile with the cohort's owners and panel",
    responses=ERRORS,
)
def revoke(engine: EngineDep, actor: SignedInActor, key: Key) -> Response:
    revoke_share(engine, actor, key)
    return Response(status_code=204)


@router.post(
    "/applications/{key}/modules",
    response_model=ModuleDoneOut,
    status_code=201,
    summary="Record completing a module of your cohort's curriculum",
    responses=ERRORS,
)
def module(engine: EngineDep, actor: SignedInActor, key: Key, body: ModuleIn) -> ModuleDoneOut:
    done = complete_module(engine, actor, key, body.item, completed_on=body.completed_on)
    return ModuleDoneOut(
        item=done.item_key, completed_on=done.completed_on, claims=len(done.claims)
    )


@router.get(
    "/me/messages",
    response_model=Page[MessageOut],
    summary="Your notifications (the outbox)",
    responses=SIGN_IN,
)
def messages(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    offset = 0 if cursor is None else max(0, int(decode_cursor(cursor, (int,))[0]))
    found, total = messages_for(engine, actor, limit=limit, offset=offset)
    return {
        "items": [
            MessageOut(
                id=m.id,
                created_at=m.created_at,
                kind=m.kind,
                subject=m.subject,
                body=m.body,
                link=m.link,
            )
            for m in found
        ],
        "total": total,
        "limit": limit,
        "next": next_link(request, [offset + limit] if offset + limit < total else None),
    }
