"""`/api/v1`: the capability framework as JSON, paged by cursor, for any stored version."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from mobilise.core.framework import Role, RoleLevel, Skill
from mobilise.services import catalogue, framework_search
from mobilise.services.catalogue import CatalogueSlice, RoleSummary
from mobilise.services.framework import list_frameworks, summarise_framework
from mobilise.services.framework_search import SearchPosition
from mobilise.web.api.models import (
    ComparedRoleLevel,
    ComparedSkillOut,
    ComparisonOut,
    FrameworkCounts,
    FrameworkOut,
    JobFamilyOut,
    Ref,
    RequirementOut,
    RoleDetailOut,
    RoleLevelDetailOut,
    RoleLevelOut,
    RoleLevelRef,
    RoleOut,
    SearchHitOut,
    SkillDetailOut,
    SkillLevelsOut,
    SkillNeedOut,
    SkillOut,
    level_name,
)
from mobilise.web.api.pagination import Cursor, Limit, Page, decode_cursor, next_link
from mobilise.web.dependencies import FRAMEWORK_NAME_PATTERN, EngineDep, FrameworkName
from mobilise.web.problems import Problem

PREFIX = "/api/v1"
router = APIRouter(prefix=PREFIX, tags=["framework"])

KEY_PATH = Path(min_length=1, max_length=200, description="The item's key (slug).")
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No such item, or no such framework version."}
}
KEY_FILTER = Query(min_length=1, max_length=200)


def _after(cursor: str | None) -> str | None:
    return None if cursor is None else str(decode_cursor(cursor, (str,))[0])


def _page(
    request: Request, found: CatalogueSlice[Any], items: list[Any], limit: int, key: str | None
) -> dict[str, Any]:
    return {
        "items": items,
        "total": found.total,
        "limit": limit,
        "next": next_link(request, [key] if found.has_more and key is not None else None),
    }


def _framework_out(summary: Any) -> FrameworkOut:
    return FrameworkOut(
        name=summary.name,
        title=summary.title,
        source=summary.source,
        licence=summary.licence,
        is_default=summary.is_default,
        created_at=summary.created_at,
        counts=FrameworkCounts(
            job_families=summary.job_families,
            roles=summary.roles,
            role_levels=summary.role_levels,
            skills=summary.skills,
            requirements=summary.requirements,
        ),
    )


def _role_out(role: RoleSummary) -> RoleOut:
    return RoleOut(
        key=role.key,
        name=role.name,
        family=role.family_key,
        role_type=role.role_type,
        level_count=role.level_count,
    )


def _role_level_out(level: RoleLevel) -> RoleLevelOut:
    return RoleLevelOut(
        key=level.key,
        name=level.name,
        role=level.role_key,
        level_order=level.level_order,
        description=level.description,
    )


def _skill_levels(skill: Skill) -> SkillLevelsOut:
    awareness, working, practitioner, expert = skill.level_descriptions
    return SkillLevelsOut(
        awareness=awareness, working=working, practitioner=practitioner, expert=expert
    )


def _skill_out(skill: Skill) -> SkillOut:
    return SkillOut(
        key=skill.key, name=skill.name, description=skill.description, levels=_skill_levels(skill)
    )


@router.get("/frameworks", response_model=Page[FrameworkOut], summary="List framework versions")
def frameworks(request: Request, engine: EngineDep) -> dict[str, Any]:
    versions = list_frameworks(engine)
    return {
        "items": [_framework_out(v) for v in versions],
        "total": len(versions),
        "limit": len(versions),
        "next": None,
    }


@router.get(
    "/frameworks/{name}",
    response_model=FrameworkOut,
    responses=NOT_FOUND,
    summary="Describe a framework version",
)
def framework_version(
    engine: EngineDep,
    name: Annotated[str, Path(max_length=100, pattern=FRAMEWORK_NAME_PATTERN)],
) -> FrameworkOut:
    return _framework_out(summarise_framework(engine, name))


@router.get(
    "/job-families",
    response_model=Page[JobFamilyOut],
    responses=NOT_FOUND,
    summary="List job families with their roles",
)
def job_families(
    request: Request,
    engine: EngineDep,
    framework: FrameworkName = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    found = catalogue.list_job_families(engine, framework, after=_after(cursor), limit=limit)
    items = [
        JobFamilyOut(key=f.family.key, name=f.family.name, roles=[_role_out(r) for r in f.roles])
        for f in found.items
    ]
    return _page(request, found, items, limit, found.items[-1].family.key if found.items else None)


@router.get("/roles", response_model=Page[RoleOut], responses=NOT_FOUND, summary="List roles")
def roles(
    request: Request,
    engine: EngineDep,
    framework: FrameworkName = None,
    family: Annotated[str | None, KEY_FILTER] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    found = catalogue.list_roles(
        engine, framework, family=family, after=_after(cursor), limit=limit
    )
    items = [_role_out(r) for r in found.items]
    return _page(request, found, items, limit, found.items[-1].key if found.items else None)


@router.get(
    "/roles/{key}", response_model=RoleDetailOut, responses=NOT_FOUND, summary="Describe a role"
)
def role(
    engine: EngineDep, key: Annotated[str, KEY_PATH], framework: FrameworkName = None
) -> RoleDetailOut:
    detail = catalogue.role_detail(engine, key, framework)
    found: Role = detail.role
    return RoleDetailOut(
        key=found.key,
        name=found.name,
        description=found.description,
        role_type=found.role_type,
        family=Ref(key=detail.family.key, name=detail.family.name),
        levels=[
            RoleLevelRef(key=lv.key, name=lv.name, level_order=lv.level_order)
            for lv in detail.levels
        ],
        skills=[Ref(key=s.key, name=s.name) for s in detail.skills],
    )


@router.get(
    "/role-levels",
    response_model=Page[RoleLevelOut],
    responses=NOT_FOUND,
    summary="List role levels",
)
def role_levels(
    request: Request,
    engine: EngineDep,
    framework: FrameworkName = None,
    role: Annotated[str | None, KEY_FILTER] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    found = catalogue.list_role_levels(
        engine, framework, role=role, after=_after(cursor), limit=limit
    )
    items = [_role_level_out(lv) for lv in found.items]
    return _page(request, found, items, limit, found.items[-1].key if found.items else None)


@router.get(
    "/role-levels/{key}",
    response_model=RoleLevelDetailOut,
    responses=NOT_FOUND,
    summary="Describe a role level and the skills it needs",
)
def role_level(
    engine: EngineDep, key: Annotated[str, KEY_PATH], framework: FrameworkName = None
) -> RoleLevelDetailOut:
    detail = catalogue.role_level_detail(engine, key, framework)
    level = detail.role_level
    return RoleLevelDetailOut(
        key=level.key,
        name=level.name,
        level_order=level.level_order,
        description=level.description,
        role=Ref(key=detail.role.key, name=detail.role.name),
        family=Ref(key=detail.family.key, name=detail.family.name),
        requirements=[
            RequirementOut(
                skill=Ref(key=r.skill.key, name=r.skill.name),
                level=level_name(r.level),
                level_rank=int(r.level),
                level_description=r.level_description,
            )
            for r in detail.requirements
        ],
        role_levels=[Ref(key=s.key, name=s.name) for s in detail.role_levels],
    )


@router.get("/skills", response_model=Page[SkillOut], responses=NOT_FOUND, summary="List skills")
def skills(
    request: Request,
    engine: EngineDep,
    framework: FrameworkName = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    found = catalogue.list_skills(engine, framework, after=_after(cursor), limit=limit)
    items = [_skill_out(s) for s in found.items]
    return _page(request, found, items, limit, found.items[-1].key if found.items else None)


@router.get(
    "/skills/{key}",
    response_model=SkillDetailOut,
    responses=NOT_FOUND,
    summary="Describe a skill and the role levels that need it",
)
def skill(
    engine: EngineDep, key: Annotated[str, KEY_PATH], framework: FrameworkName = None
) -> SkillDetailOut:
    detail = catalogue.skill_detail(engine, key, framework)
    return SkillDetailOut(
        **_skill_out(detail.skill).model_dump(),
        needed_by=[
            SkillNeedOut(
                role_level=Ref(key=n.role_level.key, name=n.role_level.name),
                role=Ref(key=n.role.key, name=n.role.name),
                level=level_name(n.level),
                level_rank=int(n.level),
            )
            for n in detail.needed_by
        ],
        roles=[Ref(key=r.key, name=r.name) for r in detail.roles],
    )


HIT_PATHS = {
    "job-family": PREFIX + "/roles?family={key}",
    "role": PREFIX + "/roles/{key}",
    "role-level": PREFIX + "/role-levels/{key}",
    "skill": PREFIX + "/skills/{key}",
}


@router.get(
    "/search",
    response_model=Page[SearchHitOut],
    responses=NOT_FOUND,
    summary="Search names and descriptions (case-insensitive); name matches first",
)
def search(
    request: Request,
    engine: EngineDep,
    q: Annotated[str, Query(min_length=1, max_length=framework_search.MAX_QUERY_LENGTH)],
    framework: FrameworkName = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    after = None
    if cursor is not None:
        name_miss, kind_rank, key = decode_cursor(cursor, (int, int, str))
        after = SearchPosition(name_miss, kind_rank, key)
    found = framework_search.search(engine, q, framework, limit=limit, after=after)
    base = str(request.base_url).rstrip("/")
    items = [
        SearchHitOut(
            kind=h.kind,
            key=h.key,
            name=h.name,
            snippet=h.snippet,
            url=base + HIT_PATHS[h.kind].format(key=h.key),
        )
        for h in found.hits
    ]
    last = found.hits[-1].position if found.hits and found.has_more else None
    return {
        "items": items,
        "total": found.total,
        "limit": limit,
        "next": next_link(
            request, [last.name_miss, last.kind_rank, last.key] if last is not None else None
        ),
    }


@router.get(
    "/compare",
    response_model=ComparisonOut,
    responses=NOT_FOUND,
    summary="Compare the skills two role levels need",
)
def compare(
    engine: EngineDep,
    a: Annotated[str, Query(min_length=1, max_length=200, description="First role level's key.")],
    b: Annotated[str, Query(min_length=1, max_length=200, description="Second role level's key.")],
    framework: FrameworkName = None,
) -> ComparisonOut:
    result = catalogue.compare_role_levels(engine, a, b, framework)
    c = result.comparison
    return ComparisonOut(
        a=ComparedRoleLevel(
            key=result.a.key,
            name=result.a.name,
            role=Ref(key=result.a_role.key, name=result.a_role.name),
        ),
        b=ComparedRoleLevel(
            key=result.b.key,
            name=result.b.name,
            role=Ref(key=result.b_role.key, name=result.b_role.name),
        ),
        in_both=len(c.in_both),
        only_in_a=len(c.only_in_a),
        only_in_b=len(c.only_in_b),
        skills=[
            ComparedSkillOut(
                skill=Ref(key=s.skill_key, name=result.skill_names[s.skill_key]),
                level_a=level_name(s.level_a) if s.level_a is not None else None,
                level_b=level_name(s.level_b) if s.level_b is not None else None,
                difference=s.difference.value,
            )
            for s in c.skills
        ],
    )
