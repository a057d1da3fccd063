"""Read-only queries over a stored framework version, for the framework pages and the API.

Every query takes `framework`, the version's name (None: the default version) and raises
`UnknownFramework` when no version has that name, or `UnknownKey` when a key names nothing.
Lists are paged by key (keyset: `after` is the last key of the previous page), so a page costs the
same wherever it is. Text search is in `framework_search`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    Engine,
    func,
    select,
)
from sqlalchemy.orm import Session

from mobilise.core.framework import JobFamily, Role, RoleLevel, Skill, SkillLevel
from mobilise.core.framework.compare import RequirementComparison, compare_requirements
from mobilise.services.framework import UnknownFramework, get_version
from mobilise.store.database import reading
from mobilise.store.models import (
    FrameworkVersion,
    JobFamilyRecord,
    RoleLevelRecord,
    RoleLevelSkill,
    RoleRecord,
    RoleSkillRecord,
    SkillRecord,
)

__all__ = [
    "CatalogueSlice",
    "FamilyRoles",
    "NamedRef",
    "RequiredSkill",
    "RoleDetail",
    "RoleLevelComparison",
    "RoleLevelDetail",
    "RoleLevelGroup",
    "RoleSummary",
    "SkillDetail",
    "SkillNeed",
    "UnknownFramework",
    "UnknownKey",
    "VersionInfo",
    "VersionStamp",
]

T = TypeVar("T")


class UnknownKey(LookupError):
    """A key that names no job family, role, role level or skill in the framework version."""

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"no {kind} has the key {key!r}")
        self.kind = kind
        self.key = key


@dataclass(frozen=True)
class VersionInfo:
    name: str
    title: str
    source: str
    licence: str
    is_default: bool


@dataclass(frozen=True)
class NamedRef:
    key: str
    name: str


@dataclass(frozen=True)
class RoleSummary:
    key: str
    family_key: str
    name: str
    role_type: str
    level_count: int

    @property
    def has_levels(self) -> bool:
        return self.level_count > 0


@dataclass(frozen=True)
class FamilyRoles:
    family: JobFamily
    roles: tuple[RoleSummary, ...]


@dataclass(frozen=True)
class RoleDetail:
    role: Role
    family: JobFamily
    levels: tuple[RoleLevel, ...]
    # Only roles without levels (the Senior Civil Service ones) have skills of their own.
    skills: tuple[NamedRef, ...]


@dataclass(frozen=True)
class RequiredSkill:
    skill: Skill
    level: SkillLevel

    @property
    def level_description(self) -> str:
        return self.skill.describe(self.level)


@dataclass(frozen=True)
class RoleLevelDetail:
    role_level: RoleLevel
    role: NamedRef
    family: JobFamily
    requirements: tuple[RequiredSkill, ...]
    # Every level of the same role, in order, so readers can step up and down the role.
    role_levels: tuple[NamedRef, ...]


@dataclass(frozen=True)
class SkillNeed:
    role_level: NamedRef
    role: NamedRef
    level: SkillLevel


@dataclass(frozen=True)
class SkillDetail:
    skill: Skill
    needed_by: tuple[SkillNeed, ...]
    roles: tuple[NamedRef, ...]


@dataclass(frozen=True)
class CatalogueSlice(Generic[T]):
    """One page of a list: its items, how many there are in all, and whether more follow."""

    items: tuple[T, ...]
    total: int
    has_more: bool


@dataclass(frozen=True)
class RoleLevelComparison:
    a: RoleLevel
    b: RoleLevel
    a_role: NamedRef
    b_role: NamedRef
    comparison: RequirementComparison
    skill_names: dict[str, str]


@dataclass(frozen=True)
class RoleLevelGroup:
    """A role and its levels, for choosing a role level (e.g. in a select menu)."""

    role: NamedRef
    levels: tuple[NamedRef, ...]


@dataclass(frozen=True)
class VersionStamp:
    """Everything a framework page depends on besides the version's rows, which never change.

    A version is immutable once imported; only whether it is the default can change (when another
    is imported as the default). The creation time guards against a reused id.
    """

    id: int
    created_at: datetime
    is_default: bool


def version_stamp(engine: Engine, framework: str | None = None) -> VersionStamp:
    """The version's stamp in one indexed lookup (the pages ask for it on every request)."""
    query = select(
        FrameworkVersion.id, FrameworkVersion.created_at, FrameworkVersion.is_default
    ).limit(1)
    query = (
        query.where(FrameworkVersion.is_default)
        if framework is None
        else query.where(FrameworkVersion.name == framework)
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
    if row is None:
        raise UnknownFramework(framework or "(default)")
    return VersionStamp(row.id, row.created_at, row.is_default)


def describe_version(engine: Engine, framework: str | None = None) -> VersionInfo:
    with reading(engine) as session:
        v = get_version(session, framework)
        return VersionInfo(v.name, v.title, v.source, v.licence, v.is_default)


def _skill(record: SkillRecord) -> Skill:
    return Skill(
        record.key,
        record.name,
        record.description,
        (record.awareness, record.working, record.practitioner, record.expert),
    )


def _role(record: RoleRecord, family_key: str) -> Role:
    return Role(record.key, family_key, record.name, record.description, record.role_type)


def _role_level(record: RoleLevelRecord, role_key: str) -> RoleLevel:
    return RoleLevel(record.key, role_key, record.name, record.level_order, record.description)


def _role_summaries(
    session: Session, version_id: int, conditions: Sequence[Any], limit: int | None
) -> list[RoleSummary]:
    level_counts = (
        select(RoleLevelRecord.role_id, func.count().label("levels"))
        .where(RoleLevelRecord.framework_version_id == version_id)
        .group_by(RoleLevelRecord.role_id)
        .subquery()
    )
    query = (
        select(
            RoleRecord.key,
            JobFamilyRecord.key,
            RoleRecord.name,
            RoleRecord.role_type,
            func.coalesce(level_counts.c.levels, 0),
        )
        .join(JobFamilyRecord, JobFamilyRecord.id == RoleRecord.job_family_id)
        .outerjoin(level_counts, level_counts.c.role_id == RoleRecord.id)
        .where(RoleRecord.framework_version_id == version_id, *conditions)
        .order_by(RoleRecord.key)
    )
    if limit is not None:
        query = query.limit(limit)
    return [RoleSummary(*row) for row in session.execute(query)]


def families_with_roles(engine: Engine, framework: str | None = None) -> list[FamilyRoles]:
    """Every job family in the framework's order, each with its roles by name."""
    with reading(engine) as session:
        version = get_version(session, framework)
        families = session.scalars(
            select(JobFamilyRecord)
            .where(JobFamilyRecord.framework_version_id == version.id)
            .order_by(JobFamilyRecord.position, JobFamilyRecord.key)
        ).all()
        roles = _role_summaries(session, version.id, (), None)
        by_family: dict[str, list[RoleSummary]] = {}
        for role in roles:
            by_family.setdefault(role.family_key, []).append(role)
        return [
            FamilyRoles(
                JobFamily(f.key, f.name),
                tuple(sorted(by_family.get(f.key, []), key=lambda r: r.name.casefold())),
            )
            for f in families
        ]


def role_detail(engine: Engine, key: str, framework: str | None = None) -> RoleDetail:
    with reading(engine) as session:
        version = get_version(session, framework)
        found = session.execute(
            select(RoleRecord, JobFamilyRecord)
            .join(JobFamilyRecord, JobFamilyRecord.id == RoleRecord.job_family_id)
            .where(RoleRecord.framework_version_id == version.id, RoleRecord.key == key)
        ).first()
        if found is None:
            raise UnknownKey("role", key)
        role, family = found
        levels = session.scalars(
            select(RoleLevelRecord)
            .where(RoleLevelRecord.role_id == role.id)
            .order_by(RoleLevelRecord.level_order, RoleLevelRecord.key)
        ).all()
        skills = session.execute(
            select(SkillRecord.key, SkillRecord.name)
            .join(RoleSkillRecord, RoleSkillRecord.skill_id == SkillRecord.id)
            .where(RoleSkillRecord.role_id == role.id)
            .order_by(SkillRecord.name)
        ).all()
        return RoleDetail(
            _role(role, family.key),
            JobFamily(family.key, family.name),
            tuple(_role_level(lv, role.key) for lv in levels),
            tuple(NamedRef(k, n) for k, n in skills),
        )


def role_level_detail(engine: Engine, key: str, framework: str | None = None) -> RoleLevelDetail:
    with reading(engine) as session:
        version = get_version(session, framework)
        found = session.execute(
            select(RoleLevelRecord, RoleRecord, JobFamilyRecord)
            .join(RoleRecord, RoleRecord.id == RoleLevelRecord.role_id)
            .join(JobFamilyRecord, JobFamilyRecord.id == RoleRecord.job_family_id)
            .where(RoleLevelRecord.framework_version_id == version.id, RoleLevelRecord.key == key)
        ).first()
        if found is None:
            raise UnknownKey("role level", key)
        level, role, family = found
        requirements = session.execute(
            select(SkillRecord, RoleLevelSkill.level)
            .join(RoleLevelSkill, RoleLevelSkill.skill_id == SkillRecord.id)
            .where(RoleLevelSkill.role_level_id == level.id)
            .order_by(SkillRecord.name)
        ).all()
        siblings = session.execute(
            select(RoleLevelRecord.key, RoleLevelRecord.name)
            .where(RoleLevelRecord.role_id == role.id)
            .order_by(RoleLevelRecord.level_order, RoleLevelRecord.key)
        ).all()
        return RoleLevelDetail(
            _role_level(level, role.key),
            NamedRef(role.key, role.name),
            JobFamily(family.key, family.name),
            tuple(RequiredSkill(_skill(s), SkillLevel(n)) for s, n in requirements),
            tuple(NamedRef(k, n) for k, n in siblings),
        )


def skill_detail(engine: Engine, key: str, framework: str | None = None) -> SkillDetail:
    with reading(engine) as session:
        version = get_version(session, framework)
        skill = session.scalars(
            select(SkillRecord).where(
                SkillRecord.framework_version_id == version.id, SkillRecord.key == key
            )
        ).first()
        if skill is None:
            raise UnknownKey("skill", key)
        needs = session.execute(
            select(
                RoleLevelRecord.key,
                RoleLevelRecord.name,
                RoleRecord.key,
                RoleRecord.name,
                RoleLevelSkill.level,
            )
            .join(RoleLevelRecord, RoleLevelRecord.id == RoleLevelSkill.role_level_id)
            .join(RoleRecord, RoleRecord.id == RoleLevelRecord.role_id)
            .where(RoleLevelSkill.skill_id == skill.id)
            .order_by(RoleRecord.name, RoleLevelRecord.level_order, RoleLevelRecord.key)
        ).all()
        roles = session.execute(
            select(RoleRecord.key, RoleRecord.name)
            .join(RoleSkillRecord, RoleSkillRecord.role_id == RoleRecord.id)
            .where(RoleSkillRecord.skill_id == skill.id)
            .order_by(RoleRecord.name)
        ).all()
        return SkillDetail(
            _skill(skill),
            tuple(
                SkillNeed(NamedRef(lk, ln), NamedRef(rk, rn), SkillLevel(level))
                for lk, ln, rk, rn, level in needs
            ),
            tuple(NamedRef(k, n) for k, n in roles),
        )


def _page(rows: Sequence[T], limit: int, total: int) -> CatalogueSlice[T]:
    return CatalogueSlice(tuple(rows[:limit]), total, len(rows) > limit)


def _total(session: Session, model: Any, conditions: Sequence[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0)


def list_job_families(
    engine: Engine, framework: str | None = None, *, after: str | None = None, limit: int = 50
) -> CatalogueSlice[FamilyRoles]:
    with reading(engine) as session:
        version = get_version(session, framework)
        scope = [JobFamilyRecord.framework_version_id == version.id]
        total = _total(session, JobFamilyRecord, scope)
        keyset = [JobFamilyRecord.key > after] if after is not None else []
        families = session.scalars(
            select(JobFamilyRecord)
            .where(*scope, *keyset)
            .order_by(JobFamilyRecord.key)
            .limit(limit + 1)
        ).all()
        family_ids = [f.id for f in families]
        roles = _role_summaries(
            session, version.id, [RoleRecord.job_family_id.in_(family_ids)], None
        )
        by_family: dict[str, list[RoleSummary]] = {}
        for role in roles:
            by_family.setdefault(role.family_key, []).append(role)
        rows = [
            FamilyRoles(JobFamily(f.key, f.name), tuple(by_family.get(f.key, []))) for f in families
        ]
        return _page(rows, limit, total)


def list_roles(
    engine: Engine,
    framework: str | None = None,
    *,
    family: str | None = None,
    after: str | None = None,
    limit: int = 50,
) -> CatalogueSlice[RoleSummary]:
    with reading(engine) as session:
        version = get_version(session, framework)
        scope: list[Any] = []
        if family is not None:
            family_id = session.scalar(
                select(JobFamilyRecord.id).where(
                    JobFamilyRecord.framework_version_id == version.id,
                    JobFamilyRecord.key == family,
                )
            )
            if family_id is None:
                raise UnknownKey("job family", family)
            scope.append(RoleRecord.job_family_id == family_id)
        total = _total(session, RoleRecord, [RoleRecord.framework_version_id == version.id, *scope])
        keyset = [RoleRecord.key > after] if after is not None else []
        rows = _role_summaries(session, version.id, [*scope, *keyset], limit + 1)
        return _page(rows, limit, total)


def list_role_levels(
    engine: Engine,
    framework: str | None = None,
    *,
    role: str | None = None,
    after: str | None = None,
    limit: int = 50,
) -> CatalogueSlice[RoleLevel]:
    with reading(engine) as session:
        version = get_version(session, framework)
        scope: list[Any] = [RoleLevelRecord.framework_version_id == version.id]
        if role is not None:
            role_id = session.scalar(
                select(RoleRecord.id).where(
                    RoleRecord.framework_version_id == version.id, RoleRecord.key == role
                )
            )
            if role_id is None:
                raise UnknownKey("role", role)
            scope.append(RoleLevelRecord.role_id == role_id)
        total = _total(session, RoleLevelRecord, scope)
        keyset = [RoleLevelRecord.key > after] if after is not None else []
        rows = session.execute(
            select(RoleLevelRecord, RoleRecord.key)
            .join(RoleRecord, RoleRecord.id == RoleLevelRecord.role_id)
            .where(*scope, *keyset)
            .order_by(RoleLevelRecord.key)
            .limit(limit + 1)
        ).all()
        return _page([_role_level(lv, role_key) for lv, role_key in rows], limit, total)


def list_skills(
    engine: Engine, framework: str | None = None, *, after: str | None = None, limit: int = 50
) -> CatalogueSlice[Skill]:
    with reading(engine) as session:
        version = get_version(session, framework)
        scope = [SkillRecord.framework_version_id == version.id]
        total = _total(session, SkillRecord, scope)
        keyset = [SkillRecord.key > after] if after is not None else []
        skills = session.scalars(
            select(SkillRecord).where(*scope, *keyset).order_by(SkillRecord.key).limit(limit + 1)
        ).all()
        return _page([_skill(s) for s in skills], limit, total)


def role_level_groups(engine: Engine, framework: str | None = None) -> list[RoleLevelGroup]:
    """Roles that have levels, by name, each with its levels in order."""
    with reading(engine) as session:
        version = get_version(session, framework)
        rows = session.execute(
            select(RoleRecord.key, RoleRecord.name, RoleLevelRecord.key, RoleLevelRecord.name)
            .join(RoleLevelRecord, RoleLevelRecord.role_id == RoleRecord.id)
            .where(RoleRecord.framework_version_id == version.id)
            .order_by(RoleRecord.name, RoleLevelRecord.level_order, RoleLevelRecord.key)
        ).all()
        groups: dict[str, tuple[NamedRef, list[NamedRef]]] = {}
        for role_key, role_name, level_key, level_name in rows:
            groups.setdefault(role_key, (NamedRef(role_key, role_name), []))[1].append(
                NamedRef(level_key, level_name)
            )
        return [RoleLevelGroup(role, tuple(levels)) for role, levels in groups.values()]


# --- compare --------------------------------------------------------------------------------


def compare_role_levels(
    engine: Engine, a: str, b: str, framework: str | None = None
) -> RoleLevelComparison:
    """What role level A requires next to what role level B requires (UnknownKey names which)."""
    with reading(engine) as session:
        version = get_version(session, framework)
        found: dict[str, tuple[RoleLevelRecord, RoleRecord]] = {}
        for key in {a, b}:
            row = session.execute(
                select(RoleLevelRecord, RoleRecord)
                .join(RoleRecord, RoleRecord.id == RoleLevelRecord.role_id)
                .where(
                    RoleLevelRecord.framework_version_id == version.id,
                    RoleLevelRecord.key == key,
                )
            ).first()
            if row is not None:
                found[key] = (row[0], row[1])
        for key in (a, b):
            if key not in found:
                raise UnknownKey("role level", key)
        requirements: dict[str, dict[str, SkillLevel]] = {a: {}, b: {}}
        names: dict[str, str] = {}
        rows = session.execute(
            select(
                RoleLevelSkill.role_level_id,
                SkillRecord.key,
                SkillRecord.name,
                RoleLevelSkill.level,
            )
            .join(SkillRecord, SkillRecord.id == RoleLevelSkill.skill_id)
            .where(RoleLevelSkill.role_level_id.in_([found[a][0].id, found[b][0].id]))
        ).all()
        ids = {found[a][0].id: a, found[b][0].id: b}
        for level_id, skill_key, skill_name, level in rows:
            names[skill_key] = skill_name
            owner = ids[level_id]
            requirements[owner][skill_key] = SkillLevel(level)
        (a_level, a_role), (b_level, b_role) = found[a], found[b]
        return RoleLevelComparison(
            _role_level(a_level, a_role.key),
            _role_level(b_level, b_role.key),
            NamedRef(a_role.key, a_role.name),
            NamedRef(b_role.key, b_role.name),
            compare_requirements(
                requirements[a], requirements[b], {k: n.casefold() for k, n in names.items()}
            ),
            names,
        )
