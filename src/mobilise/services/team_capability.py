"""A manager's team capability: people × skills coloured by level, each person's gap to their own
role level, and the team's gaps to the role levels it holds; exportable as CSV.

The team is the manager's direct reports (and the manager), or, with `whole_line`, everyone in
their reporting line. Levels come from each person's derived profile (docs/profiles.md).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine, select

from mobilise.core.framework import SkillLevel
from mobilise.core.profiles.gaps import gaps_of_people, level_row
from mobilise.core.profiles.precedence import derive_profile
from mobilise.services.actors import Actor, Role
from mobilise.services.audit import NotPermitted
from mobilise.services.gaps import requirements_of
from mobilise.services.people import reports_of
from mobilise.services.profiles import claim_facts, today
from mobilise.store.database import reading
from mobilise.store.models import FrameworkVersion, Person, RoleLevelRecord

MAX_TEAM = 2000


@dataclass(frozen=True)
class TeamMember:
    key: str
    display_name: str
    role_level: str | None
    levels: list[int]  # per skill column, 0 for none
    validated: list[bool]
    gap_to_own_role_level: int | None


@dataclass(frozen=True)
class TeamMatrix:
    skills: list[tuple[str, str]]  # (key, name) per column
    members: list[TeamMember]
    # Role levels held in the team: (name, people holding it, people short of it, levels short).
    role_level_gaps: list[tuple[str, int, int, int]]
    truncated: bool


def team_matrix(
    engine: Engine, actor: Actor, *, whole_line: bool = False, every_skill: bool = False
) -> TeamMatrix:
    if actor.person_id is None or not actor.has(Role.LINE_MANAGER):
        raise NotPermitted("the team view is for line managers")
    with reading(engine) as session:
        if whole_line:
            below = select(reports_of(actor.person_id).c.id)
            scope = Person.id.in_(below) | (Person.id == actor.person_id)
        else:
            scope = (Person.manager_id == actor.person_id) | (Person.id == actor.person_id)
        people = session.execute(
            select(Person.id, Person.key, Person.display_name, Person.role_level_id)
            .where(scope, Person.left_on.is_(None))
            .order_by(Person.display_name, Person.key)
            .limit(MAX_TEAM + 1)
        ).all()
        truncated = len(people) > MAX_TEAM
        people = people[:MAX_TEAM]
        version_id = session.scalar(select(FrameworkVersion.id).where(FrameworkVersion.is_default))
        assert version_id is not None
        requirements = requirements_of(session, version_id)
        facts = claim_facts(session, [p.id for p in people])
        role_names: dict[int, str] = {
            row[0]: row[1]
            for row in session.execute(
                select(RoleLevelRecord.id, RoleLevelRecord.name).where(
                    RoleLevelRecord.id.in_({p.role_level_id for p in people if p.role_level_id})
                )
            )
        }
    on = today()
    axis = requirements.axis
    levels = np.zeros((len(people), len(axis)), dtype=np.int8)
    validated = np.zeros((len(people), len(axis)), dtype=np.bool_)
    for row, person in enumerate(people):
        profile = derive_profile(facts[person.id], on)
        levels[row], validated[row] = level_row(axis, profile.levels(), profile.validated_skills())
    row_of_level = {ref.id: index for index, ref in enumerate(requirements.role_levels)}
    held = sorted({p.role_level_id for p in people if p.role_level_id in row_of_level})
    # Columns: the skills the team's role levels require (with `every_skill`, or when no one
    # holds a role level, every skill anyone has too): what a manager plans against, and a page
    # of a few dozen columns rather than the whole framework.
    required = (
        requirements.matrix[[row_of_level[i] for i in held]].any(axis=0)
        if held
        else np.zeros(len(axis), dtype=np.bool_)
    )
    if every_skill or not held:
        required = required | levels.any(axis=0)
    columns = np.flatnonzero(required)
    own_gap: list[int | None] = [None] * len(people)
    role_level_gaps = []
    for level_id in held:
        members = [i for i, p in enumerate(people) if p.role_level_id == level_id]
        gaps = gaps_of_people(levels[members], requirements.matrix[row_of_level[level_id]])
        for member, total in zip(members, gaps.total.tolist(), strict=True):
            own_gap[member] = int(total)
        role_level_gaps.append(
            (
                role_names.get(level_id, ""),
                len(members),
                int((gaps.total > 0).sum()),
                int(gaps.total.sum()),
            )
        )
    return TeamMatrix(
        skills=[requirements.skills[axis.skill_ids[c]] for c in columns.tolist()],
        members=[
            TeamMember(
                key=person.key,
                display_name=person.display_name,
                role_level=role_names.get(person.role_level_id) if person.role_level_id else None,
                levels=levels[row, columns].tolist(),
                validated=validated[row, columns].tolist(),
                gap_to_own_role_level=own_gap[row],
            )
            for row, person in enumerate(people)
        ],
        role_level_gaps=role_level_gaps,
        truncated=truncated,
    )


def team_matrix_csv(matrix: TeamMatrix) -> str:
    """The matrix as CSV: one row per person, one column per skill (level names, empty for none)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        ["person", "name", "role_level", "gap_to_role_level", *[key for key, _ in matrix.skills]]
    )
    for member in matrix.members:
        writer.writerow(
            [
                member.key,
                _safe(member.display_name),
                _safe(member.role_level or ""),
                "" if member.gap_to_own_role_level is None else member.gap_to_own_role_level,
                *[SkillLevel(level).label if level else "" for level in member.levels],
            ]
        )
    return buffer.getvalue()


def _safe(value: str) -> str:
    # A cell starting with = + - @ runs as a formula in spreadsheet programs.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
