"""What rows of a file may refer to, loaded from the store once per import as key → id maps."""

from __future__ import annotations

from sqlalchemy import Connection, select

from mobilise.core.records import GRADES, ORGANISATION_KINDS, REGIONS, FrameworkKeys, Lookups
from mobilise.services.framework import UnknownFramework
from mobilise.store.models import (
    FrameworkVersion,
    Organisation,
    Person,
    RoleLevelRecord,
    SkillRecord,
)


def load_lookups(
    connection: Connection,
    *,
    framework: str | None,
    people: bool = True,
    managers: bool = False,
    parents: bool = False,
) -> Lookups:
    """Lookups for one import; `framework` names the version rows without one refer to."""
    frameworks = _frameworks(connection)
    default = _default_framework(connection, framework, frameworks)
    organisations = dict(connection.execute(select(Organisation.key, Organisation.id)).all())
    stored_people: dict[str, int] = {}
    if people:
        stored_people = dict(connection.execute(select(Person.key, Person.id)).all())
    grades = set(GRADES) | _distinct(connection, Person.grade)
    regions = set(REGIONS) | _distinct(connection, Person.region)
    regions |= _distinct(connection, Organisation.region)
    kinds = set(ORGANISATION_KINDS) | _distinct(connection, Organisation.kind)
    manager_of: dict[str, str | None] = {}
    if managers and stored_people:
        boss = Person.__table__.alias("boss")
        manager_of = dict(
            connection.execute(
                select(Person.key, boss.c.key).join(boss, boss.c.id == Person.manager_id)
            ).all()
        )
    parent_of: dict[str, str | None] = {}
    if parents and organisations:
        parent = Organisation.__table__.alias("parent")
        parent_of = dict(
            connection.execute(
                select(Organisation.key, parent.c.key).join(
                    parent, parent.c.id == Organisation.parent_id
                )
            ).all()
        )
    return Lookups(
        organisations=organisations,
        people=stored_people,
        frameworks=frameworks,
        default_framework=default,
        grades=grades,
        regions=regions,
        organisation_kinds=kinds,
        stored_manager=manager_of.get,
        stored_parent=parent_of.get,
    )


def load_framework_lookups(connection: Connection, *, framework: str | None) -> Lookups:
    """Lookups of framework versions only, for files that refer to nothing else (learning items):
    a store of millions of people is not scanned for their grades and regions."""
    frameworks = _frameworks(connection)
    return Lookups(
        frameworks=frameworks,
        default_framework=_default_framework(connection, framework, frameworks),
    )


def _default_framework(
    connection: Connection, framework: str | None, frameworks: dict[str, FrameworkKeys]
) -> str | None:
    """The version rows without a `framework` value mean: the one named, else the default."""
    if framework is None:
        return connection.scalar(
            select(FrameworkVersion.name).where(FrameworkVersion.is_default).limit(1)
        )
    if framework not in frameworks:
        raise UnknownFramework(framework)
    return framework


def _distinct(connection: Connection, column: object) -> set[str]:
    return {v for v in connection.scalars(select(column).distinct()) if v}  # type: ignore[call-overload]


def _frameworks(connection: Connection) -> dict[str, FrameworkKeys]:
    versions = dict(connection.execute(select(FrameworkVersion.id, FrameworkVersion.name)).all())
    skills: dict[int, dict[str, int]] = {v: {} for v in versions}
    levels: dict[int, dict[str, int]] = {v: {} for v in versions}
    for version, key, id_ in connection.execute(
        select(SkillRecord.framework_version_id, SkillRecord.key, SkillRecord.id)
    ):
        skills[version][key] = id_
    for version, key, id_ in connection.execute(
        select(RoleLevelRecord.framework_version_id, RoleLevelRecord.key, RoleLevelRecord.id)
    ):
        levels[version][key] = id_
    return {name: FrameworkKeys(skills[v], levels[v]) for v, name in versions.items()}
