"""`/api/v1/programmes` and `/cohorts`: setting up programmes, opening and moving cohorts, and
attendance, for API clients as the pages run them (applications: applications.py)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from mobilise.core.programmes import CohortAction
from mobilise.services.cohort_delivery import record_attendance
from mobilise.services.cohort_selection import run_selection
from mobilise.services.programme_views import (
    ProgrammeSummary,
    get_cohort,
    get_programme,
    list_programmes,
)
from mobilise.services.programmes import (
    DEFAULT_RUBRIC,
    CohortSpec,
    CurriculumEntry,
    ProgrammeSpec,
    change_cohort,
    create_programme,
    open_cohort,
)
from mobilise.web.access import SignedInActor
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


class AttendanceIn(BaseModel):
    session_on: date
    present: list[Annotated[str, Field(max_length=40)]] = Field(max_length=10_000)


class AttendanceOut(BaseModel):
    present: int


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
