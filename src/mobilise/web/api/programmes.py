"""`/api/v1/programmes`, `/cohorts`, `/applications`, `/me/applications`, `/release-queue`
and `/me/messages`: the programme journey for API clients, as the pages run it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from mobilise.core.programmes import CohortAction
from mobilise.services.application_views import (
    ApplicationSummary,
    get_application,
    my_applications,
    release_queue,
)
from mobilise.services.applications import act, apply, revoke_share
from mobilise.services.cohort_delivery import complete_module, record_attendance
from mobilise.services.cohort_selection import run_selection
from mobilise.services.outbox import messages_for
from mobilise.services.programmes import (
    DEFAULT_RUBRIC,
    CohortSpec,
    CurriculumEntry,
    ProgrammeSpec,
    ProgrammeSummary,
    change_cohort,
    create_programme,
    get_cohort,
    get_programme,
    list_programmes,
    open_cohort,
)
from mobilise.services.selection_panel import cohort_applications, score_application
from mobilise.web.access import SignedInActor
from mobilise.web.api.pagination import Cursor, Limit, Page, decode_cursor, next_link
from mobilise.web.api.people import SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["programmes"])

KEY_PATTERN = r"^[A-Za-z0-9_-]+$"
Key = Annotated[str, Path(min_length=1, max_length=200, pattern=KEY_PATTERN)]
ERRORS: dict[int | str, dict[str, Any]] = {
    **SIGN_IN,
    404: {"model": Problem, "description": "No such thing that you may see."},
    422: {"model": Problem, "description": "Invalid input, or not allowed in its current state."},
}
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


class CohortOut(BaseModel):
    key: str
    name: str
    programme: str
    state: str
    starts_on: date
    ends_on: date
    applications_close_on: date | None
    capacity: int


class ProgrammeOut(BaseModel):
    key: str
    name: str
    kind: str
    summary: str
    organisation: str
    cohorts: list[CohortOut]
    placed: int = Field(description="People accepted onto or completing its cohorts.")
    completed: int
    target_people: int | None
    target_year: int | None


class CurriculumItemOut(BaseModel):
    item: str
    title: str
    hours: float
    mandatory: bool


class CohortDetailOut(CohortOut):
    eligibility: dict[str, Any]
    eligibility_text: list[str]
    curriculum: list[CurriculumItemOut]
    stages: list[dict[str, Any]]
    rubric: list[dict[str, Any]]
    quotas: list[dict[str, Any]]
    applications_by_state: dict[str, int]
    panel: list[str]
    selection_run: str | None


class SkillAtLevel(BaseModel):
    skill: str = Field(min_length=1, max_length=200)
    level: Literal["awareness", "working", "practitioner", "expert"]


class EligibilityIn(BaseModel):
    families: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = None
    roles: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = None
    min_level_order: int | None = Field(default=None, ge=1, le=20)
    max_level_order: int | None = Field(default=None, ge=1, le=20)
    organisation_kinds: list[Annotated[str, Field(min_length=1, max_length=40)]] | None = None
    no_organisation_allowed: bool | None = None
    grades: list[Annotated[str, Field(min_length=1, max_length=20)]] | None = None
    skills: list[SkillAtLevel] | None = None


class StageIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    weeks: int | None = Field(default=None, ge=1, le=520)


class CurriculumIn(BaseModel):
    item: str = Field(min_length=1, max_length=200, description="A learning item's key.")
    mandatory: bool = False


class CohortIn(BaseModel):
    key: str = Field(min_length=1, max_length=100, pattern=KEY_PATTERN)
    name: str = Field(min_length=1, max_length=300)
    starts_on: date
    ends_on: date
    capacity: int = Field(ge=0, le=100_000)
    applications_close_on: date | None = None
    eligibility: EligibilityIn = Field(default_factory=EligibilityIn)
    curriculum: list[CurriculumIn] = Field(default_factory=list, max_length=200)
    stages: list[StageIn] = Field(default_factory=list, max_length=50)


class Created(BaseModel):
    key: str


class CriterionIn(BaseModel):
    key: str = Field(min_length=1, max_length=100, pattern=KEY_PATTERN)
    name: str = Field(min_length=1, max_length=200)
    max_points: int = Field(ge=1, le=100)
    weight: float = Field(default=1, gt=0, le=100)


class ProgrammeIn(BaseModel):
    key: str = Field(min_length=1, max_length=100, pattern=KEY_PATTERN)
    name: str = Field(min_length=1, max_length=300)
    kind: Literal["accelerator", "apprenticeship", "academy", "leadership"]
    organisation: str = Field(min_length=1, max_length=200, description="Who runs it.")
    summary: str = Field(default="", max_length=5000)
    rubric: list[CriterionIn] | None = Field(
        default=None, max_length=20, description="The panel's criteria; left out, the default."
    )
    quotas: list[dict[str, Any]] = Field(
        default_factory=list, max_length=20, description="The engine's quotas (docs/allocation.md)."
    )
    waiting_list_size: int | None = Field(default=None, ge=0, le=100_000)
    min_attendance: float = Field(default=0.8, ge=0, le=1)
    target_people: int | None = Field(default=None, ge=1, le=10_000_000)
    target_year: int | None = Field(default=None, ge=2000, le=2100)


class CohortActionIn(BaseModel):
    action: Literal["close", "select", "start", "finish"]
    seed: int = Field(default=0, ge=0, le=2**31 - 1, description="The engine's seed (select).")


class CohortActionOut(BaseModel):
    state: str
    selection_run: str | None = None
    offered: list[str] | None = None
    waiting: list[str] | None = None


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


class AttendanceIn(BaseModel):
    session_on: date
    present: list[Annotated[str, Field(max_length=40)]] = Field(max_length=10_000)


class AttendanceOut(BaseModel):
    present: int


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


def _cohort_out(cohort: Any) -> CohortOut:
    return CohortOut(
        key=cohort.key,
        name=cohort.name,
        programme=cohort.programme_key,
        state=cohort.state.value,
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        applications_close_on=cohort.applications_close_on,
        capacity=cohort.capacity,
    )


def _programme_out(programme: ProgrammeSummary) -> ProgrammeOut:
    return ProgrammeOut(
        key=programme.key,
        name=programme.name,
        kind=programme.kind,
        summary=programme.summary,
        organisation=programme.organisation_key,
        cohorts=[_cohort_out(c) for c in programme.cohorts],
        placed=programme.placed,
        completed=programme.completed,
        target_people=programme.target_people,
        target_year=programme.target_year,
    )


def _application_out(summary: ApplicationSummary) -> dict[str, Any]:
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
    "/programmes",
    response_model=list[ProgrammeOut],
    summary="Programmes and their cohorts",
    responses=SIGN_IN,
)
def programmes(engine: EngineDep, actor: SignedInActor) -> list[ProgrammeOut]:
    return [_programme_out(p) for p in list_programmes(engine, actor)]


@router.get(
    "/programmes/{key}", response_model=ProgrammeOut, summary="A programme", responses=ERRORS
)
def programme(engine: EngineDep, actor: SignedInActor, key: Key) -> ProgrammeOut:
    return _programme_out(get_programme(engine, actor, key))


@router.post(
    "/programmes",
    response_model=Created,
    status_code=201,
    summary="Set up a programme (programme admins of the organisation that runs it)",
    responses=ERRORS,
)
def set_up_a_programme(engine: EngineDep, actor: SignedInActor, body: ProgrammeIn) -> Created:
    rubric = DEFAULT_RUBRIC if body.rubric is None else [c.model_dump() for c in body.rubric]
    spec = ProgrammeSpec(
        key=body.key,
        name=body.name,
        kind=body.kind,
        organisation=body.organisation,
        summary=body.summary,
        rubric=rubric,
        quotas=body.quotas,
        waiting_list_size=body.waiting_list_size,
        min_attendance=body.min_attendance,
        target_people=body.target_people,
        target_year=body.target_year,
    )
    return Created(key=create_programme(engine, actor, spec))


@router.post(
    "/programmes/{key}/cohorts",
    response_model=Created,
    status_code=201,
    summary="Open a cohort of a programme (its programme admins)",
    responses=ERRORS,
)
def open_a_cohort(engine: EngineDep, actor: SignedInActor, key: Key, body: CohortIn) -> Created:
    spec = CohortSpec(
        key=body.key,
        name=body.name,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        capacity=body.capacity,
        applications_close_on=body.applications_close_on,
        eligibility=body.eligibility.model_dump(exclude_none=True),
        curriculum=[CurriculumEntry(c.item, c.mandatory) for c in body.curriculum],
        stages=[s.model_dump() for s in body.stages],
    )
    return Created(key=open_cohort(engine, actor, key, spec))


@router.get("/cohorts/{key}", response_model=CohortDetailOut, summary="A cohort", responses=ERRORS)
def cohort(engine: EngineDep, actor: SignedInActor, key: Key) -> CohortDetailOut:
    view = get_cohort(engine, actor, key)
    return CohortDetailOut(
        **_cohort_out(view.summary).model_dump(),
        eligibility=view.eligibility,
        eligibility_text=view.eligibility_lines,
        curriculum=[
            CurriculumItemOut(item=c.key, title=c.title, hours=c.hours, mandatory=c.mandatory)
            for c in view.curriculum
        ],
        stages=view.stages,
        rubric=view.rubric,
        quotas=view.quotas,
        applications_by_state=view.counts,
        panel=[key for key, _ in view.panel],
        selection_run=view.selection_run_key,
    )


@router.post(
    "/cohorts/{key}/transitions",
    response_model=CohortActionOut,
    summary="Close a cohort, select it (the allocation engine), start or finish it",
    responses=ERRORS,
)
def cohort_transition(
    engine: EngineDep, actor: SignedInActor, key: Key, body: CohortActionIn
) -> CohortActionOut:
    if body.action == "select":
        result = run_selection(engine, actor, key, seed=body.seed)
        return CohortActionOut(
            state="offers_published",
            selection_run=result.run_key,
            offered=result.offered,
            waiting=result.waiting,
        )
    state = change_cohort(engine, actor, key, CohortAction(body.action))
    return CohortActionOut(state=state.value)


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
                **_application_out(r.application),
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


@router.post(
    "/cohorts/{key}/attendance",
    response_model=AttendanceOut,
    summary="Record who attended a session of a running cohort",
    responses=ERRORS,
)
def attendance(
    engine: EngineDep, actor: SignedInActor, key: Key, body: AttendanceIn
) -> AttendanceOut:
    return AttendanceOut(
        present=record_attendance(engine, actor, key, body.session_on, set(body.present))
    )


@router.get(
    "/me/applications",
    response_model=list[ApplicationOut],
    summary="Your applications",
    responses=SIGN_IN,
)
def mine(engine: EngineDep, actor: SignedInActor) -> list[dict[str, Any]]:
    return [_application_out(a) for a in my_applications(engine, actor)]


@router.get(
    "/release-queue",
    response_model=list[ApplicationOut],
    summary="Applications waiting for you, their line manager, to release them",
    responses=SIGN_IN,
)
def releases(engine: EngineDep, actor: SignedInActor) -> list[dict[str, Any]]:
    return [_application_out(a) for a in release_queue(engine, actor)]


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
        **_application_out(view.summary),
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
