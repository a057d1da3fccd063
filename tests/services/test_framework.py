"""Framework versions in the store: default load, import of another version, round trip, diff."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services import framework as frameworks
from mobilise.store.database import reading
from mobilise.store.models import FrameworkVersion, RoleLevelSkill, SkillRecord


def counts(engine: Engine) -> tuple[int, int, int]:
    with reading(engine) as session:
        return (
            int(session.scalar(select(func.count(FrameworkVersion.id))) or 0),
            int(session.scalar(select(func.count(SkillRecord.id))) or 0),
            int(session.scalar(select(func.count()).select_from(RoleLevelSkill)) or 0),
        )


def test_the_default_framework_is_loaded_once(engine: Engine) -> None:
    before = counts(engine)
    assert frameworks.ensure_default_framework(engine) is False
    assert counts(engine) == before == (1, 188, 1781)


def test_stored_framework_equals_the_shipped_files(engine: Engine) -> None:
    shipped = frameworks.read_framework_directory(frameworks.shipped_ddat_directory())
    stored = frameworks.load_framework(engine)
    # Requirements come back grouped by role level; their order within a level is not meaningful.
    assert set(stored.requirements) == set(shipped.requirements)
    assert set(stored.role_skills) == set(shipped.role_skills)
    assert replace(stored, requirements=(), role_skills=()) == replace(
        shipped, requirements=(), role_skills=()
    )


def test_a_second_version_lives_beside_the_first_and_diffs(engine: Engine, tmp_path: Path) -> None:
    directory = tmp_path / "council"
    shutil.copytree(frameworks.shipped_ddat_directory(), directory)
    skills = directory / "skills.csv"
    skills.write_text(
        skills.read_text(encoding="utf-8")
        + 'council-data-sharing,Council data sharing,"Sharing",,,,\n',
        encoding="utf-8",
    )
    summary = frameworks.import_framework(engine, directory, "council-x", title="Council X")
    assert (summary.skills, summary.is_default) == (189, False)
    assert [s.name for s in frameworks.list_frameworks(engine)] == ["ddat", "council-x"]
    difference = frameworks.diff_versions(engine, "ddat", "council-x")
    assert difference.kinds["skills"].added == ("council-data-sharing",)
    assert frameworks.summarise_framework(engine).name == "ddat"


def test_making_a_new_version_default_unsets_the_old_one(engine: Engine) -> None:
    frameworks.import_framework(
        engine, frameworks.shipped_ddat_directory(), "ddat-next", make_default=True
    )
    assert frameworks.summarise_framework(engine).name == "ddat-next"
    assert [s.is_default for s in frameworks.list_frameworks(engine)] == [False, True]


def test_a_bad_file_rejects_the_whole_import_and_changes_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    directory = tmp_path / "bad"
    shutil.copytree(frameworks.shipped_ddat_directory(), directory)
    levels = directory / "role_level_skills.csv"
    levels.write_text(
        levels.read_text(encoding="utf-8") + "lead-data-scientist,accessibility,wizard\n",
        encoding="utf-8",
    )
    before = counts(engine)
    with pytest.raises(InvalidInput) as raised:
        frameworks.import_framework(engine, directory, "bad")
    (problem,) = raised.value.problems
    assert (problem.source, problem.row, problem.column, problem.value) == (
        "role_level_skills.csv",
        1782,
        "level",
        "wizard",
    )
    assert counts(engine) == before


def test_bad_encoding_and_missing_columns_are_reported(engine: Engine, tmp_path: Path) -> None:
    directory = tmp_path / "broken"
    shutil.copytree(frameworks.shipped_ddat_directory(), directory)
    (directory / "skills.csv").write_bytes("id,name\nsql,Caf\xe9\n".encode("latin-1"))
    (directory / "roles.csv").write_text("id,name\nx,y\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        frameworks.import_framework(engine, directory, "broken")
    rules = {(p.source, p.column, p.rule.split(" (")[0]) for p in raised.value.problems}
    assert ("roles.csv", "family_id", "required column is missing") in rules
    assert any(src == "skills.csv" and "UTF-8" in rule for src, _, rule in rules)


@pytest.mark.parametrize("name", ["", "has space", "x" * 101, "ddat"])
def test_version_names_must_be_valid_and_new(engine: Engine, name: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        frameworks.import_framework(engine, frameworks.shipped_ddat_directory(), name)
    assert raised.value.problems[0].column == "name"


def test_an_unknown_version_is_a_lookup_error(engine: Engine) -> None:
    with pytest.raises(frameworks.UnknownFramework):
        frameworks.load_framework(engine, "nope")
