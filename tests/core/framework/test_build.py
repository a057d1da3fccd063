"""Building a Framework from CSV rows: the shipped DDaT data, and every rule with its message."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mobilise.core.framework import SkillLevel
from mobilise.core.framework.build import build_framework
from mobilise.core.problems import InvalidInput, Problem

SHIPPED = Path(__file__).parents[3] / "src" / "mobilise" / "data" / "ddat"


def shipped_tables() -> dict[str, list[dict[str, str]]]:
    tables = {}
    for path in SHIPPED.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            tables[path.name] = list(csv.DictReader(handle))
    return tables


def minimal_tables() -> dict[str, list[dict[str, str]]]:
    return {
        "job_families.csv": [{"id": "data", "name": "Data"}],
        "roles.csv": [{"id": "analyst", "family_id": "data", "name": "Analyst", "description": ""}],
        "role_levels.csv": [
            {"id": "junior-analyst", "role_id": "analyst", "name": "Junior", "level_order": "1"}
        ],
        "skills.csv": [{"id": "sql", "name": "SQL", "description": "Querying"}],
        "role_level_skills.csv": [
            {"role_level_id": "junior-analyst", "skill_id": "sql", "level": "working"}
        ],
    }


def problems_of(tables: dict[str, list[dict[str, str]]]) -> list[Problem]:
    with pytest.raises(InvalidInput) as raised:
        build_framework(tables)
    return list(raised.value.problems)


def test_the_shipped_ddat_framework_builds_with_its_published_counts() -> None:
    framework = build_framework(shipped_tables())
    assert len(framework.job_families) == 8
    assert len(framework.roles) == 52
    assert len(framework.role_levels) == 201
    assert len(framework.skills) == 188
    assert len(framework.requirements) == 1781
    assert len(framework.role_skills) == 28


def test_senior_civil_service_roles_have_skills_and_no_levels() -> None:
    framework = build_framework(shipped_tables())
    scs = {r.key for r in framework.roles if r.role_type == "Senior Civil Service"}
    assert len(scs) == 4
    assert not [lv for lv in framework.role_levels if lv.role_key in scs]
    assert {rs.role_key for rs in framework.role_skills} == scs


def test_requirements_use_the_ordered_scale() -> None:
    framework = build_framework(shipped_tables())
    required = framework.requirements_of("lead-data-scientist")
    assert required
    assert all(isinstance(level, SkillLevel) for level in required.values())
    assert SkillLevel.AWARENESS < SkillLevel.WORKING < SkillLevel.PRACTITIONER < SkillLevel.EXPERT


def test_a_minimal_framework_builds() -> None:
    framework = build_framework(minimal_tables())
    assert framework.requirements_of("junior-analyst") == {"sql": SkillLevel.WORKING}


def test_a_missing_file_is_named() -> None:
    tables = minimal_tables()
    del tables["skills.csv"]
    assert problems_of(tables) == [Problem("skills.csv", None, None, None, "file is missing")]


def test_a_level_outside_the_scale_names_row_column_value_and_rule() -> None:
    tables = minimal_tables()
    tables["role_level_skills.csv"][0]["level"] = "guru"
    (problem,) = problems_of(tables)
    assert (problem.source, problem.row, problem.column, problem.value) == (
        "role_level_skills.csv",
        1,
        "level",
        "guru",
    )
    assert "awareness, working, practitioner, expert" in problem.rule


def test_an_unknown_skill_is_named() -> None:
    tables = minimal_tables()
    tables["role_level_skills.csv"][0]["skill_id"] = "cobol"
    (problem,) = problems_of(tables)
    assert (problem.column, problem.value, problem.rule) == (
        "skill_id",
        "cobol",
        "refers to no skill in skills.csv",
    )


def test_duplicate_ids_are_named_on_the_second_occurrence() -> None:
    tables = minimal_tables()
    tables["skills.csv"].append({"id": "sql", "name": "SQL again"})
    (problem,) = problems_of(tables)
    assert (problem.source, problem.row, problem.column) == ("skills.csv", 2, "id")
    assert "duplicate" in problem.rule


def test_a_duplicate_requirement_is_named() -> None:
    tables = minimal_tables()
    tables["role_level_skills.csv"].append(dict(tables["role_level_skills.csv"][0]))
    (problem,) = problems_of(tables)
    assert (problem.row, problem.column) == (2, "skill_id")


@pytest.mark.parametrize("order", ["0", "-1", "one", "1.5", " "])
def test_level_order_must_be_a_positive_whole_number(order: str) -> None:
    tables = minimal_tables()
    tables["role_levels.csv"][0]["level_order"] = order
    (problem,) = problems_of(tables)
    assert problem.column == "level_order"


def test_a_role_of_an_unknown_family_and_an_empty_name_are_both_reported() -> None:
    tables = minimal_tables()
    tables["roles.csv"][0]["family_id"] = "nope"
    tables["job_families.csv"][0]["name"] = ""
    problems = problems_of(tables)
    assert {(p.source, p.column) for p in problems} == {
        ("roles.csv", "family_id"),
        ("job_families.csv", "name"),
    }


def test_problem_text_names_everything_and_truncates_long_values() -> None:
    text = str(Problem("people.csv", 3, "email", "x" * 200, "is not an email address"))
    assert text.startswith("people.csv, row 3, column 'email': value 'xxx")
    assert text.endswith("…': is not an email address")
    assert len(text) < 160
