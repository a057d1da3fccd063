"""`/api/v1/people/{key}/gap`, `/nearest` and `/career`: what the career page shows, as JSON."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from mobilise.services.actors import Actor, Role
from mobilise.services.gaps import RoleLevelRef, career_to, gap_to, nearest_to
from mobilise.services.pathways import pathway_for
from mobilise.services.team_capability import team_matrix
from mobilise.web.access import PeopleReader, Requirement
from mobilise.web.api.people import NOT_VISIBLE, SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["careers"])
ManagerActor = Annotated[Actor, Depends(Requirement(Role.LINE_MANAGER))]

KEY = Annotated[str, Path(min_length=1, max_length=200)]
TARGET = Annotated[str, Query(min_length=1, max_length=200, description="A role level's key.")]
RESPONSES: dict[int | str, dict[str, Any]] = {
    **SIGN_IN,
    **NOT_VISIBLE,
    422: {"model": Problem, "description": "Invalid parameters (listed in invalid-params)."},
}


class RoleLevelOut(BaseModel):
    key: str
    name: str
    role: str


class SkillGapOut(BaseModel):
    skill: str
    skill_name: str
    required: int
    current: int | None
    shortfall: int
    how_sure: str


class GapOut(BaseModel):
    target: RoleLevelOut
    total: int
    short: int
    skills: list[SkillGapOut]


class NearOut(BaseModel):
    role_level: RoleLevelOut
    total: int
    short: int


class StepOut(BaseModel):
    to: RoleLevelOut
    move: str
    total: int
    skills: dict[str, int]


class CareerOut(BaseModel):
    start: RoleLevelOut
    target: RoleLevelOut
    reachable: bool
    reason: str
    total: int
    steps: list[StepOut]


def _ref(ref: RoleLevelRef) -> RoleLevelOut:
    return RoleLevelOut(key=ref.key, name=ref.name, role=ref.role_name)


@router.get(
    "/people/{key}/gap",
    response_model=GapOut,
    summary="A person's gap to a role level",
    responses=RESPONSES,
)
def gap(engine: EngineDep, actor: PeopleReader, key: KEY, target: TARGET) -> GapOut:
    found = gap_to(engine, actor, key, target)
    return GapOut(
        target=_ref(found.target),
        total=found.total,
        short=found.short,
        skills=[
            SkillGapOut(
                skill=s.skill_key,
                skill_name=s.skill_name,
                required=int(s.required),
                current=None if s.current is None else int(s.current),
                shortfall=s.shortfall,
                how_sure=s.how_sure,
            )
            for s in found.skills
        ],
    )


@router.get(
    "/people/{key}/nearest",
    response_model=list[NearOut],
    summary="The role levels nearest a person's profile",
    responses={**SIGN_IN, **NOT_VISIBLE},
)
def nearest(
    engine: EngineDep,
    actor: PeopleReader,
    key: KEY,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[NearOut]:
    return [
        NearOut(role_level=_ref(n.role_level), total=n.total, short=n.short)
        for n in nearest_to(engine, actor, key, limit)
    ]


@router.get(
    "/people/{key}/career",
    response_model=CareerOut,
    summary="The least-gap path of role moves to a target",
    responses=RESPONSES,
)
def career(engine: EngineDep, actor: PeopleReader, key: KEY, target: TARGET) -> CareerOut:
    path = career_to(engine, actor, key, target)
    return CareerOut(
        start=_ref(path.start),
        target=_ref(path.target),
        reachable=path.reachable,
        reason=path.reason,
        total=path.total,
        steps=[
            StepOut(
                to=_ref(step.to_level),
                move=step.move,
                total=step.total,
                skills={skill: short for skill, _, short in step.skills},
            )
            for step in path.steps
        ],
    )


class PathwayItemOut(BaseModel):
    key: str
    title: str
    provider: str
    format: str
    hours: float
    cost_pence: int
    closes: list[str]
    needed_for: list[str]


class OpenGapOut(BaseModel):
    skill: str
    skill_name: str
    current: int | None
    required: int
    best_taught: int | None


class PathwayOut(BaseModel):
    target: RoleLevelOut
    objective: str
    alpha: float
    optimal: bool
    hours: float
    cost_pence: int
    closed: int
    items: list[PathwayItemOut]
    unclosable: list[OpenGapOut]


@router.get(
    "/people/{key}/pathway",
    response_model=PathwayOut,
    summary="The least-hours (or cost, or mix) learning pathway to a role level",
    responses=RESPONSES,
)
def pathway(
    engine: EngineDep,
    actor: PeopleReader,
    key: KEY,
    target: TARGET,
    objective: Annotated[Literal["hours", "cost", "mix"], Query()] = "hours",
    alpha: Annotated[
        float | None, Query(ge=0, le=1, description="For mix: the weight of hours (0 to 1).")
    ] = None,
) -> PathwayOut:
    plan = pathway_for(engine, actor, key, target, objective=objective, alpha=alpha)
    return PathwayOut(
        target=_ref(plan.target),
        objective=plan.objective,
        alpha=plan.alpha,
        optimal=plan.optimal,
        hours=float(plan.hours),
        cost_pence=plan.cost_pence,
        closed=plan.closed,
        items=[
            PathwayItemOut(
                key=i.key,
                title=i.title,
                provider=i.provider,
                format=i.format,
                hours=float(i.hours),
                cost_pence=i.cost_pence,
                closes=i.closes,
                needed_for=i.needed_for,
            )
            for i in plan.items
        ],
        unclosable=[
            OpenGapOut(
                skill=g.skill_key,
                skill_name=g.skill_name,
                current=None if g.current is None else int(g.current),
                required=int(g.required),
                best_taught=None if g.best_taught is None else int(g.best_taught),
            )
            for g in plan.unclosable
        ],
    )


class TeamMemberOut(BaseModel):
    person: str
    name: str
    role_level: str | None
    gap_to_role_level: int | None
    levels: dict[str, int]  # skill key → level, for the columns the person has a level in
    validated: list[str]  # skill keys whose level is validated


class RoleLevelGapOut(BaseModel):
    role_level: str
    people: int
    people_short: int
    levels_short: int


class TeamOut(BaseModel):
    skills: list[str]
    members: list[TeamMemberOut]
    role_level_gaps: list[RoleLevelGapOut]
    truncated: bool


@router.get(
    "/team",
    response_model=TeamOut,
    summary="A line manager's team capability: people × skills and gaps to held role levels",
    responses=SIGN_IN,
)
def team(
    engine: EngineDep,
    actor: ManagerActor,
    line: Annotated[bool, Query(description="Everyone in the reporting line.")] = False,
    every: Annotated[bool, Query(description="Every skill anyone has.")] = False,
) -> TeamOut:
    matrix = team_matrix(engine, actor, whole_line=line, every_skill=every)
    keys = [key for key, _ in matrix.skills]
    return TeamOut(
        skills=keys,
        members=[
            TeamMemberOut(
                person=m.key,
                name=m.display_name,
                role_level=m.role_level,
                gap_to_role_level=m.gap_to_own_role_level,
                levels={k: level for k, level in zip(keys, m.levels, strict=True) if level},
                validated=[k for k, flag in zip(keys, m.validated, strict=True) if flag],
            )
            for m in matrix.members
        ],
        role_level_gaps=[
            RoleLevelGapOut(role_level=n, people=p, people_short=s, levels_short=t)
            for n, p, s, t in matrix.role_level_gaps
        ],
        truncated=matrix.truncated,
    )
