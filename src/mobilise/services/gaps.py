"""Gaps to role levels, the nearest role levels, and career paths, for one person or a team.

The requirement matrix of a framework version is built once per process and kept (a version's
requirements never change once imported), so a person's gap to every role level is one numpy
operation over it (the core's `gaps_to_role_levels`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mobilise.core.framework import SkillLevel
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.profiles.career import MoveGraph, RoleLevelPlace, career_path, move_graph
from mobilise.core.profiles.gaps import (
    SkillAxis,
    level_row,
    nearest_role_levels,
    requirement_matrix,
    skill_gaps,
)
from mobilise.services.actors import Actor
from mobilise.services.people import framework_version_of, visible_person
from mobilise.services.profiles import profile_for
from mobilise.store.database import reading
from mobilise.store.models import (
    RoleLevelRecord,
    RoleLevelSkill,
    RoleRecord,
    SkillRecord,
)


@dataclass(frozen=True)
class RoleLevelRef:
    id: int
    key: str
    name: str
    role_name: str


@dataclass(frozen=True)
class Requirements:
    """One framework version's role levels and skills as matrices, with names to show them."""

    version_id: int
    axis: SkillAxis
    skills: dict[int, tuple[str, str]]  # skill id → (key, name)
    role_levels: tuple[RoleLevelRef, ...]
    row_of: dict[str, int]  # role level key → row
    matrix: np.ndarray[Any, np.dtype[np.int8]]
    graph: MoveGraph


# By database and version: one process may serve (or test) several databases whose version
# ids coincide.
_cache: dict[tuple[str, int], Requirements] = {}
_lock = threading.Lock()


def requirements_of(session: Session, version_id: int) -> Requirements:
    key = (session.get_bind().engine.url.render_as_string(hide_password=True), version_id)
    with _lock:
        found = _cache.get(key)
    if found is not None:
        return found
    skills = session.execute(
        select(SkillRecord.id, SkillRecord.key, SkillRecord.name)
        .where(SkillRecord.framework_version_id == version_id)
        .order_by(SkillRecord.id)
    ).all()
    levels = session.execute(
        select(
            RoleLevelRecord.id,
            RoleLevelRecord.key,
            RoleLevelRecord.name,
            RoleRecord.name,
            RoleRecord.id,
            RoleRecord.job_family_id,
            RoleLevelRecord.level_order,
        )
        .join(RoleRecord, RoleRecord.id == RoleLevelRecord.role_id)
        .where(RoleLevelRecord.framework_version_id == version_id)
        .order_by(RoleLevelRecord.id)
    ).all()
    needed: dict[int, dict[int, int]] = {row[0]: {} for row in levels}
    for level_id, skill_id, level in session.execute(
        select(RoleLevelSkill.role_level_id, RoleLevelSkill.skill_id, RoleLevelSkill.level).where(
            RoleLevelSkill.role_level_id.in_(list(needed))
        )
    ):
        needed[level_id][skill_id] = level
    axis = SkillAxis(tuple(row[0] for row in skills))
    built = Requirements(
        version_id=version_id,
        axis=axis,
        skills={row[0]: (row[1], row[2]) for row in skills},
        role_levels=tuple(RoleLevelRef(row[0], row[1], row[2], row[3]) for row in levels),
        row_of={row[1]: index for index, row in enumerate(levels)},
        matrix=requirement_matrix(axis, [needed[row[0]] for row in levels]),
        graph=move_graph([RoleLevelPlace(row[4], row[5], row[6]) for row in levels]),
    )
    with _lock:
        _cache[key] = built
    return built


@dataclass(frozen=True)
class SkillGapView:
    skill_key: str
    skill_name: str
    required: SkillLevel
    current: SkillLevel | None
    shortfall: int
    how_sure: str  # "validated", "self-claimed only", or "" where nothing is claimed


@dataclass(frozen=True)
class GapView:
    person_key: str
    target: RoleLevelRef
    total: int
    short: int
    skills: list[SkillGapView]


@dataclass(frozen=True)
class NearbyRoleLevel:
    role_level: RoleLevelRef
    total: int
    short: int


@dataclass(frozen=True)
class CareerStepView:
    from_level: RoleLevelRef
    to_level: RoleLevelRef
    move: str
    total: int
    short: int
    skills: list[tuple[str, str, int]]  # (skill key, skill name, levels short)


@dataclass(frozen=True)
class CareerView:
    start: RoleLevelRef
    target: RoleLevelRef
    reachable: bool
    reason: str
    steps: list[CareerStepView]
    total: int


@dataclass(frozen=True)
class Standing:
    person_id: int
    requirements: Requirements
    levels: np.ndarray[Any, np.dtype[np.int8]]
    validated: np.ndarray[Any, np.dtype[np.bool_]]
    current_row: int | None


def _standing(session: Session, actor: Actor, key: str) -> Standing:
    person = visible_person(session, actor, key)
    requirements = requirements_of(session, framework_version_of(session, person))
    profile = profile_for(session, person.id)
    levels, validated = level_row(requirements.axis, profile.levels(), profile.validated_skills())
    current = None
    if person.role_level_id is not None:
        current = next(
            (i for i, r in enumerate(requirements.role_levels) if r.id == person.role_level_id),
            None,
        )
    return Standing(person.id, requirements, levels, validated, current)


def target_row(standing: Standing, target_key: str) -> int:
    row = standing.requirements.row_of.get(target_key)
    if row is None:
        raise InvalidInput(
            [
                Problem(
                    "gap",
                    None,
                    "target",
                    target_key,
                    "is not a role level of the person's framework version",
                )
            ]
        )
    return row


def standing_of(engine: Engine, actor: Actor, key: str) -> Standing:
    """A person's profile as a row over their framework version's requirements."""
    with reading(engine) as session:
        return _standing(session, actor, key)


def gap_to(engine: Engine, actor: Actor, key: str, target_key: str) -> GapView:
    """Skill by skill, what the target role level requires against the person's profile."""
    with reading(engine) as session:
        standing = _standing(session, actor, key)
        row = target_row(standing, target_key)
    req = standing.requirements
    gaps = skill_gaps(req.axis, standing.levels, standing.validated, req.matrix[row])
    views = sorted(
        (
            SkillGapView(
                skill_key=req.skills[g.skill_id][0],
                skill_name=req.skills[g.skill_id][1],
                required=SkillLevel(g.required),
                current=SkillLevel(g.current) if g.current else None,
                shortfall=g.shortfall,
                how_sure=""
                if not g.current
                else ("validated" if g.validated else "self-claimed only"),
            )
            for g in gaps
        ),
        key=lambda v: (-v.shortfall, v.skill_name),
    )
    return GapView(
        person_key=key,
        target=req.role_levels[row],
        total=sum(v.shortfall for v in views),
        short=sum(1 for v in views if v.shortfall),
        skills=views,
    )


def nearest_to(engine: Engine, actor: Actor, key: str, k: int = 10) -> list[NearbyRoleLevel]:
    """The role levels nearest the person's profile (smallest gap), their own left out."""
    with reading(engine) as session:
        standing = _standing(session, actor, key)
    found = nearest_role_levels(
        standing.levels,
        standing.requirements.matrix,
        max(1, min(k, 50)),
        exclude=() if standing.current_row is None else (standing.current_row,),
    )
    return [
        NearbyRoleLevel(standing.requirements.role_levels[int(row)], int(total), int(short))
        for row, total, short in zip(found.rows, found.total, found.short, strict=True)
    ]


def career_to(engine: Engine, actor: Actor, key: str, target_key: str) -> CareerView:
    """The least-gap sequence of role moves from the person's role level to the target."""
    with reading(engine) as session:
        standing = _standing(session, actor, key)
        target = target_row(standing, target_key)
    req = standing.requirements
    if standing.current_row is None:
        raise InvalidInput(
            [Problem("career", None, "person", key, "has no current role level to start from")]
        )
    path = career_path(req.graph, req.matrix, standing.levels, standing.current_row, target)
    steps = [
        CareerStepView(
            from_level=req.role_levels[step.from_row],
            to_level=req.role_levels[step.to_row],
            move=step.move,
            total=step.total,
            short=step.short,
            skills=[
                (
                    req.skills[req.axis.skill_ids[column]][0],
                    req.skills[req.axis.skill_ids[column]][1],
                    shortfall,
                )
                for column, shortfall in step.shortfall
            ],
        )
        for step in path.steps
    ]
    return CareerView(
        start=req.role_levels[standing.current_row],
        target=req.role_levels[target],
        reachable=path.reachable,
        reason=path.reason,
        steps=steps,
        total=path.total,
    )


def role_levels_for(engine: Engine, actor: Actor, key: str) -> tuple[RoleLevelRef, ...]:
    """Every role level of the person's framework version (to choose a target from)."""
    with reading(engine) as session:
        return _standing(session, actor, key).requirements.role_levels
