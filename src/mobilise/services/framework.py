"""Framework versions: import from CSV, the shipped DDaT default, list, show and diff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from mobilise.core.framework import (
    Framework,
    JobFamily,
    Requirement,
    Role,
    RoleLevel,
    RoleSkill,
    Skill,
    SkillLevel,
)
from mobilise.core.framework.build import TABLES, build_framework, check_columns
from mobilise.core.framework.diff import FrameworkDiff, diff_frameworks
from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor
from mobilise.services.audit import record_event
from mobilise.services.tabular import read_csv
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    FrameworkVersion,
    JobFamilyRecord,
    RoleLevelRecord,
    RoleLevelSkill,
    RoleRecord,
    RoleSkillRecord,
    SkillRecord,
)

DEFAULT_NAME = "ddat"
DEFAULT_TITLE = "Government Digital and Data Profession Capability Framework"
DEFAULT_SOURCE = "https://ddat-capability-framework.service.gov.uk/ (official CSV export, 2025)"
DEFAULT_LICENCE = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "© Crown copyright."
)
NAME_PATTERN_RULE = "must be 1–100 characters of letters, digits, '.', '_' or '-'"


@dataclass(frozen=True)
class FrameworkSummary:
    name: str
    title: str
    source: str
    licence: str
    is_default: bool
    created_at: datetime
    job_families: int
    roles: int
    role_levels: int
    skills: int
    requirements: int


class UnknownFramework(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"no framework version is named {name!r}")
        self.name = name


def shipped_ddat_directory() -> Path:
    return Path(str(resources.files("mobilise") / "data" / "ddat"))


def read_framework_directory(directory: Path) -> Framework:
    """The framework in a directory of CSV files, or InvalidInput naming every problem."""
    if not directory.is_dir():
        raise InvalidInput([Problem(str(directory), None, None, None, "is not a directory")])
    tables: dict[str, list[dict[str, str]]] = {}
    problems: list[Problem] = []
    for spec in TABLES:
        path = directory / spec.file
        if not path.exists():
            if spec.mandatory_file:
                problems.append(Problem(spec.file, None, None, None, "file is missing"))
            continue
        try:
            header, rows = read_csv(path)
        except InvalidInput as error:
            problems.extend(error.problems)
            continue
        header_problems = check_columns(spec.file, header)
        problems.extend(header_problems)
        if not header_problems:
            tables[spec.file] = rows
    if problems:
        raise InvalidInput(problems)
    return build_framework(tables)


def _check_name(name: str) -> None:
    valid = 0 < len(name) <= 100 and all(c.isascii() and (c.isalnum() or c in "._-") for c in name)
    if not valid:
        raise InvalidInput([Problem("framework", None, "name", name, NAME_PATTERN_RULE)])


def import_framework(
    engine: Engine,
    directory: Path,
    name: str,
    *,
    title: str | None = None,
    source: str = "",
    licence: str = "",
    make_default: bool = False,
    actor: Actor | None = None,
) -> FrameworkSummary:
    """Store the framework in `directory` as a new version called `name`, all or nothing."""
    _check_name(name)
    framework = read_framework_directory(directory)
    with transaction(engine) as session:
        if session.scalar(select(FrameworkVersion.id).where(FrameworkVersion.name == name)):
            raise InvalidInput(
                [
                    Problem(
                        "framework", None, "name", name, "a framework version has this name already"
                    )
                ]
            )
        if make_default:
            for version in session.scalars(
                select(FrameworkVersion).where(FrameworkVersion.is_default)
            ):
                version.is_default = False
        version = FrameworkVersion(
            name=name,
            title=title or name,
            source=source or str(directory),
            licence=licence,
            is_default=make_default,
            created_at=datetime.now(UTC),
        )
        session.add(version)
        session.flush()
        _store_framework(session, version.id, framework)
        summary = _summarise(session, version)
        record_event(
            session,
            actor,
            "framework.imported",
            entity_type="framework",
            entity_key=name,
            after={
                "source": version.source,
                "default": make_default,
                "roles": summary.roles,
                "role_levels": summary.role_levels,
                "skills": summary.skills,
            },
        )
        return summary


def ensure_default_framework(engine: Engine) -> bool:
    """Load the shipped DDaT framework as the default version if no framework is stored yet."""
    with reading(engine) as session:
        if session.scalar(select(func.count(FrameworkVersion.id))):
            return False
    import_framework(
        engine,
        shipped_ddat_directory(),
        DEFAULT_NAME,
        title=DEFAULT_TITLE,
        source=DEFAULT_SOURCE,
        licence=DEFAULT_LICENCE,
        make_default=True,
    )
    return True


def _store_framework(session: Session, version_id: int, framework: Framework) -> None:
    family_ids: dict[str, int] = {}
    for position, family in enumerate(framework.job_families):
        record = JobFamilyRecord(
            framework_version_id=version_id, key=family.key, name=family.name, position=position
        )
        session.add(record)
        session.flush()
        family_ids[family.key] = record.id
    role_ids: dict[str, int] = {}
    for role in framework.roles:
        role_record = RoleRecord(
            framework_version_id=version_id,
            job_family_id=family_ids[role.family_key],
            key=role.key,
            name=role.name,
            description=role.description,
            role_type=role.role_type,
        )
        session.add(role_record)
        session.flush()
        role_ids[role.key] = role_record.id
    level_records = [
        RoleLevelRecord(
            framework_version_id=version_id,
            role_id=role_ids[level.role_key],
            key=level.key,
            name=level.name,
            level_order=level.level_order,
            description=level.description,
        )
        for level in framework.role_levels
    ]
    skill_records = [
        SkillRecord(
            framework_version_id=version_id,
            key=skill.key,
            name=skill.name,
            description=skill.description,
            awareness=skill.level_descriptions[0],
            working=skill.level_descriptions[1],
            practitioner=skill.level_descriptions[2],
            expert=skill.level_descriptions[3],
        )
        for skill in framework.skills
    ]
    session.add_all(level_records)
    session.add_all(skill_records)
    session.flush()
    level_ids = {r.key: r.id for r in level_records}
    skill_ids = {r.key: r.id for r in skill_records}
    session.add_all(
        RoleLevelSkill(
            role_level_id=level_ids[r.role_level_key],
            skill_id=skill_ids[r.skill_key],
            level=int(r.level),
        )
        for r in framework.requirements
    )
    session.add_all(
        RoleSkillRecord(role_id=role_ids[r.role_key], skill_id=skill_ids[r.skill_key])
        for r in framework.role_skills
    )
    session.flush()


def _count(session: Session, model: type, version_id: int) -> int:
    column = model.framework_version_id  # type: ignore[attr-defined]
    return int(
        session.scalar(select(func.count()).select_from(model).where(column == version_id)) or 0
    )


def _summarise(session: Session, version: FrameworkVersion) -> FrameworkSummary:
    requirements = session.scalar(
        select(func.count())
        .select_from(RoleLevelSkill)
        .join(RoleLevelRecord, RoleLevelRecord.id == RoleLevelSkill.role_level_id)
        .where(RoleLevelRecord.framework_version_id == version.id)
    )
    return FrameworkSummary(
        name=version.name,
        title=version.title,
        source=version.source,
        licence=version.licence,
        is_default=version.is_default,
        created_at=version.created_at,
        job_families=_count(session, JobFamilyRecord, version.id),
        roles=_count(session, RoleRecord, version.id),
        role_levels=_count(session, RoleLevelRecord, version.id),
        skills=_count(session, SkillRecord, version.id),
        requirements=int(requirements or 0),
    )


def list_frameworks(engine: Engine) -> list[FrameworkSummary]:
    with reading(engine) as session:
        versions = session.scalars(select(FrameworkVersion).order_by(FrameworkVersion.created_at))
        return [_summarise(session, v) for v in versions]


def get_version(session: Session, name: str | None) -> FrameworkVersion:
    """The named version, or the default one when `name` is None."""
    query = select(FrameworkVersion)
    query = (
        query.where(FrameworkVersion.is_default)
        if name is None
        else query.where(FrameworkVersion.name == name)
    )
    version = session.scalars(query).first()
    if version is None:
        raise UnknownFramework(name or "(default)")
    return version


def summarise_framework(engine: Engine, name: str | None = None) -> FrameworkSummary:
    with reading(engine) as session:
        return _summarise(session, get_version(session, name))


def load_framework(engine: Engine, name: str | None = None) -> Framework:
    """A stored version as the core's Framework (the default version when `name` is None)."""
    with reading(engine) as session:
        version = get_version(session, name)
        vid = version.id
        families = session.scalars(
            select(JobFamilyRecord)
            .where(JobFamilyRecord.framework_version_id == vid)
            .order_by(JobFamilyRecord.position)
        ).all()
        family_keys = {f.id: f.key for f in families}
        roles = session.scalars(
            select(RoleRecord).where(RoleRecord.framework_version_id == vid).order_by(RoleRecord.id)
        ).all()
        role_keys = {r.id: r.key for r in roles}
        levels = session.scalars(
            select(RoleLevelRecord)
            .where(RoleLevelRecord.framework_version_id == vid)
            .order_by(RoleLevelRecord.id)
        ).all()
        level_keys = {lv.id: lv.key for lv in levels}
        skills = session.scalars(
            select(SkillRecord)
            .where(SkillRecord.framework_version_id == vid)
            .order_by(SkillRecord.id)
        ).all()
        skill_keys = {s.id: s.key for s in skills}
        requirements = session.execute(
            select(RoleLevelSkill.role_level_id, RoleLevelSkill.skill_id, RoleLevelSkill.level)
            .join(RoleLevelRecord, RoleLevelRecord.id == RoleLevelSkill.role_level_id)
            .where(RoleLevelRecord.framework_version_id == vid)
            .order_by(RoleLevelSkill.role_level_id, RoleLevelSkill.skill_id)
        ).all()
        role_skills = session.execute(
            select(RoleSkillRecord.role_id, RoleSkillRecord.skill_id)
            .join(RoleRecord, RoleRecord.id == RoleSkillRecord.role_id)
            .where(RoleRecord.framework_version_id == vid)
            .order_by(RoleSkillRecord.role_id, RoleSkillRecord.skill_id)
        ).all()
        return Framework(
            job_families=tuple(JobFamily(f.key, f.name) for f in families),
            roles=tuple(
                Role(r.key, family_keys[r.job_family_id], r.name, r.description, r.role_type)
                for r in roles
            ),
            role_levels=tuple(
                RoleLevel(lv.key, role_keys[lv.role_id], lv.name, lv.level_order, lv.description)
                for lv in levels
            ),
            skills=tuple(
                Skill(
                    s.key,
                    s.name,
                    s.description,
                    (s.awareness, s.working, s.practitioner, s.expert),
                )
                for s in skills
            ),
            requirements=tuple(
                Requirement(level_keys[lid], skill_keys[sid], SkillLevel(level))
                for lid, sid, level in requirements
            ),
            role_skills=tuple(
                RoleSkill(role_keys[rid], skill_keys[sid]) for rid, sid in role_skills
            ),
        )


def diff_versions(engine: Engine, old: str, new: str) -> FrameworkDiff:
    return diff_frameworks(load_framework(engine, old), load_framework(engine, new))
