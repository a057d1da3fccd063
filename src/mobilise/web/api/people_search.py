"""`/api/v1/register/{key}/people` (opted-in people who could work on a project, by fit) and
`/api/v1/me/ai-projects` (a person's own choice to be found)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from mobilise.services.actors import Actor, Scope
from mobilise.services.people_search import (
    OptInView,
    PersonFit,
    PersonShown,
    people_for_project,
    person_for_project,
    project_search_opt_in,
    set_project_search_opt_in,
)
from mobilise.web.access import Requirement, SignedInActor
from mobilise.web.api.models import LevelName, Timestamp, level_name
from mobilise.web.api.pagination import Cursor, Page, decode_cursor, next_link
from mobilise.web.api.people import SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["register"])

SEARCHERS = Requirement(scope=Scope.PEOPLE_READ)
Searcher = Annotated[Actor, Depends(SEARCHERS)]
Key = Annotated[str, Path(min_length=1, max_length=200)]
ERRORS: dict[int | str, dict[str, Any]] = {
    **SIGN_IN,
    404: {"model": Problem, "description": "No such project (or person) that you may see."},
}
MAX_LIMIT = 100


class OptInIn(BaseModel):
    opted_in: bool = Field(description="Whether owners of AI projects may find you.")


class OptInOut(BaseModel):
    person: str
    opted_in: bool
    since: Timestamp | None


class SkillFitOut(BaseModel):
    skill: str
    skill_name: str
    needed: LevelName = Field(description="The level the project needs.")
    current: LevelName | None = Field(description="The person's level, null if they have none.")
    met: bool


class PersonFitOut(BaseModel):
    person: PersonShown = Field(description="What the person agreed to show by opting in.")
    fit: float = Field(description="1 - levels short / levels needed, 0 to 1.")
    skills: list[SkillFitOut] = Field(description="Each skill the project needs, short first.")


def _opt_in_out(view: OptInView) -> OptInOut:
    return OptInOut(person=view.person_key, opted_in=view.opted_in, since=view.since)


def _fit_out(fit: PersonFit) -> PersonFitOut:
    return PersonFitOut(
        person=fit.person,
        fit=fit.score,
        skills=[
            SkillFitOut(
                skill=s.skill_key,
                skill_name=s.skill_name,
                needed=level_name(s.needed),
                current=None if s.current is None else level_name(s.current),
                met=s.met,
            )
            for s in fit.skills
        ],
    )


@router.get(
    "/me/ai-projects",
    response_model=OptInOut,
    summary="Whether owners of AI projects may find you",
    responses=SIGN_IN,
)
def opt_in(engine: EngineDep, actor: SignedInActor) -> OptInOut:
    return _opt_in_out(project_search_opt_in(engine, actor))


@router.put(
    "/me/ai-projects",
    response_model=OptInOut,
    summary="Agree to be found for AI projects, or withdraw (at once)",
    responses=SIGN_IN,
)
def set_opt_in(engine: EngineDep, actor: SignedInActor, body: OptInIn) -> OptInOut:
    return _opt_in_out(set_project_search_opt_in(engine, actor, body.opted_in))


@router.get(
    "/register/{key}/people",
    response_model=Page[PersonFitOut],
    summary="Opted-in people who could work on a project, best fit first (its owners and "
    "programme admins)",
    responses=ERRORS,
)
def people(
    request: Request,
    engine: EngineDep,
    actor: Searcher,
    key: Key,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="People per page.")] = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    page = 1 if cursor is None else int(decode_cursor(cursor, (int,))[0])
    found = people_for_project(engine, actor, key, page=max(page, 1), page_size=limit)
    return {
        "items": [_fit_out(p) for p in found.people],
        "total": found.total,
        "limit": limit,
        "next": next_link(request, [found.page + 1] if found.page < found.pages else None),
    }


@router.get(
    "/register/{key}/people/{person}",
    response_model=PersonFitOut,
    summary="One opted-in person's fit to a project, skill by skill",
    responses=ERRORS,
)
def person(engine: EngineDep, actor: Searcher, key: Key, person: Key) -> PersonFitOut:
    return _fit_out(person_for_project(engine, actor, key, person).fit)
