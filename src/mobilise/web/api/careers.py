"""`/api/v1/people/{key}/gap`, `/nearest` and `/career`: what the career page shows, as JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from mobilise.services.gaps import RoleLevelRef, career_to, gap_to, nearest_to
from mobilise.web.access import PeopleReader
from mobilise.web.api.people import NOT_VISIBLE, SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["careers"])

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
