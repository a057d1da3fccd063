"""Build a Framework from the rows of its CSV files, checking every rule and reporting all breaks.

The files are those of the published DDaT framework export (see docs/formats.md): a framework of a
department or council in the same shape imports the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from mobilise.core.framework.levels import SkillLevel
from mobilise.core.framework.model import (
    Framework,
    JobFamily,
    Requirement,
    Role,
    RoleLevel,
    RoleSkill,
    Skill,
)
from mobilise.core.problems import InvalidInput, Problem

Row = Mapping[str, str | None]

MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class TableSpec:
    file: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    mandatory_file: bool = True


TABLES: tuple[TableSpec, ...] = (
    TableSpec("job_families.csv", ("id", "name")),
    TableSpec("roles.csv", ("id", "family_id", "name"), ("description", "role_type")),
    TableSpec("role_levels.csv", ("id", "role_id", "name", "level_order"), ("description",)),
    TableSpec(
        "skills.csv",
        ("id", "name"),
        ("description", *SkillLevel.labels()),
    ),
    TableSpec("role_level_skills.csv", ("role_level_id", "skill_id", "level")),
    TableSpec("scs_role_skills.csv", ("role_id", "skill_id"), mandatory_file=False),
)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(
        self, file: str, row: int | None, column: str | None, value: str | None, rule: str
    ) -> None:
        self.problems.append(Problem(file, row, column, value, rule))

    def text(self, file: str, n: int, row: Row, column: str, *, required: bool) -> str:
        value = (row.get(column) or "").strip()
        if required and not value:
            self.fail(file, n, column, row.get(column) or "", "is required and must not be empty")
        return value

    def key(self, file: str, n: int, row: Row, column: str, seen: set[str] | None) -> str:
        value = self.text(file, n, row, column, required=True)
        if len(value) > MAX_KEY_LENGTH:
            self.fail(file, n, column, value, f"must be at most {MAX_KEY_LENGTH} characters")
        if seen is not None and value:
            if value in seen:
                self.fail(file, n, column, value, "duplicate id: each id may appear only once")
            seen.add(value)
        return value

    def reference(
        self, file: str, n: int, column: str, value: str, known: set[str], target: str
    ) -> None:
        if value and value not in known:
            self.fail(file, n, column, value, f"refers to no {target}")


def check_columns(file: str, header: Sequence[str]) -> list[Problem]:
    """Problems with a file's header: missing required columns."""
    spec = next((t for t in TABLES if t.file == file), None)
    if spec is None:
        return []
    missing = [c for c in spec.required if c not in header]
    return [Problem(file, None, c, None, "required column is missing") for c in missing]


def build_framework(tables: Mapping[str, Iterable[Row]]) -> Framework:
    """The framework these tables describe, or InvalidInput listing every problem found."""
    check = _Checker()
    for spec in TABLES:
        if spec.mandatory_file and spec.file not in tables:
            check.fail(spec.file, None, None, None, "file is missing")
    if check.problems:
        raise InvalidInput(check.problems)

    def rows(file: str) -> Iterable[tuple[int, Row]]:
        return enumerate(tables.get(file, ()), start=1)

    families: list[JobFamily] = []
    family_keys: set[str] = set()
    for n, row in rows("job_families.csv"):
        key = check.key("job_families.csv", n, row, "id", family_keys)
        families.append(
            JobFamily(key, check.text("job_families.csv", n, row, "name", required=True))
        )

    roles: list[Role] = []
    role_keys: set[str] = set()
    for n, row in rows("roles.csv"):
        f = "roles.csv"
        key = check.key(f, n, row, "id", role_keys)
        family = check.text(f, n, row, "family_id", required=True)
        check.reference(f, n, "family_id", family, family_keys, "job family in job_families.csv")
        roles.append(
            Role(
                key,
                family,
                check.text(f, n, row, "name", required=True),
                check.text(f, n, row, "description", required=False),
                check.text(f, n, row, "role_type", required=False),
            )
        )

    levels: list[RoleLevel] = []
    level_keys: set[str] = set()
    for n, row in rows("role_levels.csv"):
        f = "role_levels.csv"
        key = check.key(f, n, row, "id", level_keys)
        role = check.text(f, n, row, "role_id", required=True)
        check.reference(f, n, "role_id", role, role_keys, "role in roles.csv")
        order_text = check.text(f, n, row, "level_order", required=True)
        order = 0
        if order_text:
            try:
                order = int(order_text)
            except ValueError:
                order = 0
            if order < 1 or str(order) != order_text:
                check.fail(f, n, "level_order", order_text, "must be a whole number of 1 or more")
        levels.append(
            RoleLevel(
                key,
                role,
                check.text(f, n, row, "name", required=True),
                order,
                check.text(f, n, row, "description", required=False),
            )
        )

    skills: list[Skill] = []
    skill_keys: set[str] = set()
    for n, row in rows("skills.csv"):
        f = "skills.csv"
        key = check.key(f, n, row, "id", skill_keys)
        descriptions = tuple(
            check.text(f, n, row, label, required=False) for label in SkillLevel.labels()
        )
        skills.append(
            Skill(
                key,
                check.text(f, n, row, "name", required=True),
                check.text(f, n, row, "description", required=False),
                (descriptions[0], descriptions[1], descriptions[2], descriptions[3]),
            )
        )

    requirements: list[Requirement] = []
    pairs: set[tuple[str, str]] = set()
    for n, row in rows("role_level_skills.csv"):
        f = "role_level_skills.csv"
        level_key = check.text(f, n, row, "role_level_id", required=True)
        skill_key = check.text(f, n, row, "skill_id", required=True)
        check.reference(
            f, n, "role_level_id", level_key, level_keys, "role level in role_levels.csv"
        )
        check.reference(f, n, "skill_id", skill_key, skill_keys, "skill in skills.csv")
        if (level_key, skill_key) in pairs:
            check.fail(
                f,
                n,
                "skill_id",
                skill_key,
                "duplicate: this role level already requires this skill",
            )
        pairs.add((level_key, skill_key))
        level_text = check.text(f, n, row, "level", required=True)
        try:
            level = SkillLevel.parse(level_text)
        except ValueError as error:
            if level_text:
                check.fail(f, n, "level", level_text, str(error))
            continue
        requirements.append(Requirement(level_key, skill_key, level))

    role_skills: list[RoleSkill] = []
    role_pairs: set[tuple[str, str]] = set()
    for n, row in rows("scs_role_skills.csv"):
        f = "scs_role_skills.csv"
        role = check.text(f, n, row, "role_id", required=True)
        skill_key = check.text(f, n, row, "skill_id", required=True)
        check.reference(f, n, "role_id", role, role_keys, "role in roles.csv")
        check.reference(f, n, "skill_id", skill_key, skill_keys, "skill in skills.csv")
        if (role, skill_key) in role_pairs:
            check.fail(f, n, "skill_id", skill_key, "duplicate: this role already has this skill")
        role_pairs.add((role, skill_key))
        role_skills.append(RoleSkill(role, skill_key))

    if check.problems:
        raise InvalidInput(check.problems)
    return Framework(
        tuple(families),
        tuple(roles),
        tuple(levels),
        tuple(skills),
        tuple(requirements),
        tuple(role_skills),
    )
