"""`/api/v1/opportunities`, `/rounds`, `/opportunity-applications` and
`/me/opportunity-applications`: the marketplace for API clients, as the pages run it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from mobilise.core.programmes import CohortAction
from mobilise.services.marketplace_applications import (
    OpportunityApplicationSummary,
    act,
    apply,
    get_application,
    my_applications,
    ranked_applicants,
    release_queue,
    revoke_share,
    score_applicant,
)
from mobilise.services.marketplace_rounds import (
    RoundSpec,
    RoundSummary,
    change_round,
    get_round,
    list_rounds,
    open_round,
)
from mobilise.services.opportunities import (
    OpportunitySpec,
    OpportunitySummary,
    RequiredSkill,
    browse,
    get_opportunity,
    post_opportunity,
    save_opportunity,
)
from mobilise.services.round_allocation import allocate_round
from mobilise.web.access import SignedInActor
from mobilise.web.api.applications import ActionIn, StateOut, TransitionOut
from mobilise.web.api.pagination import Cursor, Limit, Page, decode_cursor, next_link
from mobilise.web.api.people import SIGN_IN
from mobilise.web.api.programmes import ERRORS, KEY_PATTERN, Created, Key
from mobilise.web.dependencies import EngineDep

router = APIRouter(prefix="/api/v1", tags=["marketplace"])

Kind = Literal[
    "secondment_in",
    "secondment_out",
    "loan",
    "project_role",
    "short_assignment",
    "mentoring",
    "apprenticeship",
]
Level = Literal["awareness", "working", "practitioner", "expert"]


class OpportunityOut(BaseModel):
    key: str
    title: str
    kind: str
    role: str | None = Field(description="An apprenticeship's role.")
    organisation: str
    organisation_name: str
    round: str
    round_state: str
    place: str
    region: str | None
    starts_on: date
    ends_on: date
    capacity: int
    fit: float | None = Field(description="Fit to your profile's skills, 0 to 1.")
    skills_met: int
    skills_short: int
    saved: bool
    application: str | None = Field(description="Your application to it.")


class RequirementOut(BaseModel):
    skill: str
    name: str
    level: str
    your_level: str | None
    met: bool


class OpportunityDetailOut(OpportunityOut):
    summary: str
    requirements: list[RequirementOut] = Field(description="Your gaps first.")
    may_apply: bool
    why_not: str | None


class RequiredSkillIn(BaseModel):
    skill: str = Field(min_length=1, max_length=200, description="A framework skill's key.")
    level: Level


class OpportunityIn(BaseModel):
    key: str = Field(min_length=1, max_length=100, pattern=KEY_PATTERN)
    round: str = Field(min_length=1, max_length=200)
    organisation: str = Field(min_length=1, max_length=200, description="The host, yours.")
    kind: Kind
    role: (
        Literal[
            "software developer",
            "DevOps engineer",
            "business analyst",
            "cyber security technologist",
        ]
        | None
    ) = Field(default=None, description="Needed for an apprenticeship.")
    title: str = Field(min_length=1, max_length=300)
    summary: str = Field(default="", max_length=5000)
    place: str = Field(default="", max_length=200)
    region: str | None = Field(default=None, max_length=60)
    starts_on: date
    ends_on: date
    capacity: int = Field(ge=0, le=100_000)
    skills: list[RequiredSkillIn] = Field(default_factory=list, max_length=50)


class RoundIn(BaseModel):
    key: str = Field(min_length=1, max_length=100, pattern=KEY_PATTERN)
    name: str = Field(min_length=1, max_length=300)
    organisation: str = Field(min_length=1, max_length=200)
    applications_close_on: date | None = None
    programme: str | None = Field(
        default=None, max_length=200, description="The programme whose intake it is."
    )
    quotas: list[dict[str, Any]] = Field(
        default_factory=list,
        max_length=20,
        description="The engine's quotas (docs/allocation.md); with any, the fair method.",
    )


class RoundOut(BaseModel):
    key: str
    name: str
    organisation: str
    state: str
    applications_close_on: date | None
    opportunities: int
    places: int
    applications_by_state: dict[str, int]
    allocation_run: str | None
    programme: str | None
    quotas: list[dict[str, Any]]


class RoundDetailOut(RoundOut):
    items: list[OpportunityOut]


class RoundActionIn(BaseModel):
    action: Literal["close", "allocate", "start", "finish"]
    seed: int = Field(default=0, ge=0, le=2**31 - 1, description="The engine's seed (allocate).")


class RoundActionOut(BaseModel):
    state: str
    allocation_run: str | None = None
    offered: list[str] | None = None


class OpportunityApplyIn(BaseModel):
    statement: str = Field(min_length=1, max_length=5000)
    share: list[Literal["role", "skills", "learning"]] = Field(default_factory=list)
    consent: bool = False
    preference: int | None = Field(
        default=None, ge=1, le=100, description="Your order among your applications in the round."
    )


class OpportunityApplicationOut(BaseModel):
    key: str
    opportunity: str
    opportunity_title: str
    organisation_name: str
    round: str
    person: str
    person_name: str
    state: str
    preference: int
    fit: float | None
    owner_score: float | None = Field(description="The owners' own score, which ranks first.")
    submitted_at: datetime


class ScoreIn(BaseModel):
    score: float = Field(ge=0, le=100)


class OpportunityApplicationDetailOut(OpportunityApplicationOut):
    statement: str
    reason: str
    shared_parts: list[str]
    share_active: bool
    profile: dict[str, Any]
    timeline: list[TransitionOut]
    actions: list[str]


def _opportunity_out(o: OpportunitySummary) -> dict[str, Any]:
    return {
        "key": o.key,
        "title": o.title,
        "kind": o.kind.value,
        "role": o.role,
        "organisation": o.organisation_key,
        "organisation_name": o.organisation_name,
        "round": o.round_key,
        "round_state": o.round_state.value,
        "place": o.place,
        "region": o.region,
        "starts_on": o.starts_on,
        "ends_on": o.ends_on,
        "capacity": o.capacity,
        "fit": o.fit,
        "skills_met": o.met,
        "skills_short": o.short,
        "saved": o.saved,
        "application": o.application,
    }


def _round_out(r: RoundSummary) -> dict[str, Any]:
    return {
        "key": r.key,
        "name": r.name,
        "organisation": r.organisation_key,
        "state": r.state.value,
        "applications_close_on": r.applications_close_on,
        "opportunities": r.opportunities,
        "places": r.places,
        "applications_by_state": r.applications,
        "allocation_run": r.allocation_run_key,
        "programme": r.programme_key,
        "quotas": list(r.quotas),
    }


def _application_out(a: OpportunityApplicationSummary) -> dict[str, Any]:
    return {
        "key": a.key,
        "opportunity": a.opportunity_key,
        "opportunity_title": a.opportunity_title,
        "organisation_name": a.organisation_name,
        "round": a.round_key,
        "person": a.person_key,
        "person_name": a.person_name,
        "state": a.state.value,
        "preference": a.preference,
        "fit": a.fit,
        "owner_score": a.owner_score,
        "submitted_at": a.submitted_at,
    }


@router.get(
    "/opportunities",
    response_model=Page[OpportunityOut],
    summary="Opportunities of open rounds, best fit to your profile first",
    responses=SIGN_IN,
)
def opportunities(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    kind: Annotated[Kind | None, Query()] = None,
    saved: Annotated[bool, Query(description="Only those you saved (of any round).")] = False,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    offset = 0 if cursor is None else max(0, int(decode_cursor(cursor, (int,))[0]))
    found, total = browse(engine, actor, kind=kind, saved_only=saved, limit=limit, offset=offset)
    return {
        "items": [_opportunity_out(o) for o in found],
        "total": total,
        "limit": limit,
        "next": next_link(request, [offset + limit] if offset + limit < total else None),
    }


@router.post(
    "/opportunities",
    response_model=Created,
    status_code=201,
    summary="Post an opportunity of your organisation into an open round (programme admins)",
    responses=ERRORS,
)
def post(engine: EngineDep, actor: SignedInActor, body: OpportunityIn) -> Created:
    spec = OpportunitySpec(
        key=body.key,
        round=body.round,
        organisation=body.organisation,
        kind=body.kind,
        title=body.title,
        summary=body.summary,
        place=body.place,
        region=body.region,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        capacity=body.capacity,
        skills=[RequiredSkill(s.skill, s.level) for s in body.skills],
        role=body.role,
    )
    return Created(key=post_opportunity(engine, actor, spec))


@router.get(
    "/opportunities/{key}",
    response_model=OpportunityDetailOut,
    summary="An opportunity, with your fit to each required skill",
    responses=ERRORS,
)
def opportunity(engine: EngineDep, actor: SignedInActor, key: Key) -> dict[str, Any]:
    view = get_opportunity(engine, actor, key)
    return {
        **_opportunity_out(view.summary),
        "summary": view.text,
        "requirements": [
            {
                "skill": r.skill_key,
                "name": r.skill_name,
                "level": r.required.label,
                "your_level": None if r.current is None else r.current.label,
                "met": r.met,
            }
            for r in view.requirements
        ],
        "may_apply": view.apply_problem is None,
        "why_not": view.apply_problem,
    }


@router.put(
    "/opportunities/{key}/saved",
    status_code=204,
    summary="Save an opportunity",
    responses=ERRORS,
)
def save(engine: EngineDep, actor: SignedInActor, key: Key) -> Response:
    save_opportunity(engine, actor, key)
    return Response(status_code=204)


@router.delete(
    "/opportunities/{key}/saved",
    status_code=204,
    summary="Forget a saved opportunity",
    responses=ERRORS,
)
def forget(engine: EngineDep, actor: SignedInActor, key: Key) -> Response:
    save_opportunity(engine, actor, key, saved=False)
    return Response(status_code=204)


@router.get(
    "/opportunities/{key}/applications",
    response_model=list[OpportunityApplicationOut],
    summary="An opportunity's applicants, best fit first (its owners)",
    responses=ERRORS,
)
def applicants(engine: EngineDep, actor: SignedInActor, key: Key) -> list[dict[str, Any]]:
    return [_application_out(a) for a in ranked_applicants(engine, actor, key)]


@router.post(
    "/opportunities/{key}/applications",
    response_model=Created,
    status_code=201,
    summary="Apply to an opportunity",
    responses=ERRORS,
)
def apply_to(
    engine: EngineDep, actor: SignedInActor, key: Key, body: OpportunityApplyIn
) -> Created:
    return Created(
        key=apply(
            engine,
            actor,
            key,
            body.statement,
            body.share,
            consent=body.consent,
            preference=body.preference,
        )
    )


@router.get(
    "/rounds", response_model=list[RoundOut], summary="Marketplace rounds", responses=SIGN_IN
)
def rounds(engine: EngineDep, actor: SignedInActor) -> list[dict[str, Any]]:
    return [_round_out(r) for r in list_rounds(engine, actor)]


@router.post(
    "/rounds",
    response_model=Created,
    status_code=201,
    summary="Open a round (programme admins of the organisation that runs it)",
    responses=ERRORS,
)
def open_a_round(engine: EngineDep, actor: SignedInActor, body: RoundIn) -> Created:
    spec = RoundSpec(
        body.key,
        body.name,
        body.organisation,
        body.applications_close_on,
        programme=body.programme,
        quotas=body.quotas,
    )
    return Created(key=open_round(engine, actor, spec))


@router.get(
    "/rounds/{key}",
    response_model=RoundDetailOut,
    summary="A round and its opportunities",
    responses=ERRORS,
)
def round_(engine: EngineDep, actor: SignedInActor, key: Key) -> dict[str, Any]:
    found, items = get_round(engine, actor, key)
    return {**_round_out(found), "items": [_opportunity_out(o) for o in items]}


@router.post(
    "/rounds/{key}/transitions",
    response_model=RoundActionOut,
    summary="Close, allocate, start or finish a round (its owners)",
    responses=ERRORS,
)
def round_transition(
    engine: EngineDep, actor: SignedInActor, key: Key, body: RoundActionIn
) -> RoundActionOut:
    if body.action == "allocate":
        outcome = allocate_round(engine, actor, key, seed=body.seed)
        return RoundActionOut(
            state="offers_published", allocation_run=outcome.run_key, offered=outcome.offered
        )
    return RoundActionOut(state=change_round(engine, actor, key, CohortAction(body.action)).value)


@router.get(
    "/me/opportunity-applications",
    response_model=list[OpportunityApplicationOut],
    summary="Your applications to opportunities",
    responses=SIGN_IN,
)
def mine(engine: EngineDep, actor: SignedInActor) -> list[dict[str, Any]]:
    return [_application_out(a) for a in my_applications(engine, actor)]


@router.get(
    "/opportunity-release-queue",
    response_model=list[OpportunityApplicationOut],
    summary="Applications to opportunities waiting for you to release them",
    responses=SIGN_IN,
)
def releases(engine: EngineDep, actor: SignedInActor) -> list[dict[str, Any]]:
    return [_application_out(a) for a in release_queue(engine, actor)]


@router.get(
    "/opportunity-applications/{key}",
    response_model=OpportunityApplicationDetailOut,
    summary="An application to an opportunity, as you may see it",
    responses=ERRORS,
)
def application(engine: EngineDep, actor: SignedInActor, key: Key) -> dict[str, Any]:
    view = get_application(engine, actor, key)
    profile = view.profile
    return {
        **_application_out(view.summary),
        "statement": view.statement,
        "reason": view.reason,
        "shared_parts": view.shared_parts,
        "share_active": view.grant_active,
        "profile": {
            k: v
            for k, v in (
                ("role", profile.role),
                (
                    "skills",
                    None
                    if profile.skills is None
                    else [{"skill": s, "name": n, "level": lv} for s, n, lv in profile.skills],
                ),
                (
                    "learning",
                    None
                    if profile.learning is None
                    else [
                        {"item": i, "title": t, "completed_on": d} for i, t, d in profile.learning
                    ],
                ),
            )
            if v is not None
        },
        "timeline": [TransitionOut(**vars(t)) for t in view.timeline],
        "actions": view.actions,
    }


@router.post(
    "/opportunity-applications/{key}/transitions",
    response_model=StateOut,
    summary="Release, decline to release, withdraw, accept or decline",
    responses=ERRORS,
)
def transition(engine: EngineDep, actor: SignedInActor, key: Key, body: ActionIn) -> StateOut:
    return StateOut(state=act(engine, actor, key, body.action, reason=body.reason).value)


@router.delete(
    "/opportunity-applications/{key}/share",
    status_code=204,
    summary="Revoke your share grant",
    responses=ERRORS,
)
def revoke(engine: EngineDep, actor: SignedInActor, key: Key) -> Response:
    revoke_share(engine, actor, key)
    return Response(status_code=204)


@router.post(
    "/opportunity-applications/{key}/score",
    status_code=204,
    summary="Score an applicant (the opportunity's owners; ranks before fit)",
    responses=ERRORS,
)
def score(engine: EngineDep, actor: SignedInActor, key: Key, body: ScoreIn) -> Response:
    score_applicant(engine, actor, key, body.score)
    return Response(status_code=204)
