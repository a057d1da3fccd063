from __future__ import annotations

from datetime import date

import pytest

from mobilise.core.problems import Problem
from mobilise.core.records import (
    GRADES,
    PEOPLE,
    REGIONS,
    FrameworkKeys,
    Lookups,
    PeopleCheck,
    PersonRow,
    ProblemLog,
)

LOOKUPS = Lookups(
    organisations={"cabinet-office": 7},
    people={"stored-1": 1, "stored-2": 2},
    frameworks={
        "ddat": FrameworkKeys({}, {"data-scientist": 11}),
        "council": FrameworkKeys({}, {"digital-officer": 21}),
    },
    default_framework="ddat",
    grades=GRADES,
    regions=REGIONS,
    stored_manager={"stored-1": "stored-2", "stored-2": None}.get,
)


def person(**values: str) -> list[str]:
    row = {"key": "p1", "display_name": "Ada Lovelace"} | values
    return [row.get(name, "") for name in PEOPLE.names]


def check(*rows: list[str], lookups: Lookups = LOOKUPS) -> tuple[list[PersonRow], list[Problem]]:
    log = ProblemLog("people.csv")
    checker = PeopleCheck(lookups, log)
    fed = [checker.feed(n, values) for n, values in enumerate(rows, start=1)]
    checker.finish()
    return [r for r in fed if r is not None], log.problems


def only_problem(*rows: list[str], lookups: Lookups = LOOKUPS) -> Problem:
    _, problems = check(*rows, lookups=lookups)
    assert len(problems) == 1, problems
    return problems[0]


def test_a_full_row_becomes_a_typed_person() -> None:
    rows, problems = check(
        person(
            key=" p1 ",
            display_name="Zoë O'Brien, PhD",
            email="zoe@example.gov.uk",
            organisation="cabinet-office",
            grade="SEO",
            region="Wales",
            role_level="data-scientist",
            manager="stored-1",
            started_on="2021-04-01",
            left_on="2024-03-31",
        )
    )
    assert problems == []
    assert rows == [
        PersonRow(
            1,
            "p1",
            "Zoë O'Brien, PhD",
            "zoe@example.gov.uk",
            7,
            "SEO",
            "Wales",
            11,
            "stored-1",
            date(2021, 4, 1),
            date(2024, 3, 31),
        )
    ]


def test_optional_fields_may_be_empty() -> None:
    rows, problems = check(person())
    assert problems == []
    assert rows[0].email is None
    assert rows[0].organisation_id is None
    assert rows[0].manager is None


def test_the_framework_column_chooses_the_version_of_the_role_level() -> None:
    rows, _ = check(person(framework="council", role_level="digital-officer"))
    assert rows[0].role_level_id == 21


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("key", "", "is required and must not be empty"),
        ("display_name", "  ", "is required and must not be empty"),
        ("email", "not-an-email", "must look like an e-mail address (name@domain.example)"),
        ("email", "a@b", "must look like an e-mail address (name@domain.example)"),
        ("organisation", "nowhere", "refers to no organisation"),
        ("grade", "Grade 99", "is not a known grade"),
        ("region", "Atlantis", "is not a known region"),
        ("role_level", "astronaut", "refers to no role level of the framework"),
        ("framework", "nope", "refers to no framework version"),
        ("manager", "ghost", "refers to no person"),
        ("manager", "p1", "a person cannot be their own manager"),
        ("started_on", "01/02/2020", "must be a date written YYYY-MM-DD (ISO 8601)"),
        ("started_on", "2021-02-30", "must be a date written YYYY-MM-DD (ISO 8601)"),
        ("left_on", "20210101", "must be a date written YYYY-MM-DD (ISO 8601)"),
        ("display_name", "x" * 301, "is too long: at most 300 characters"),
        ("key", "k" * 201, "is too long: at most 200 characters"),
        ("display_name", "Eve\x00", "must not contain control characters"),
        ("display_name", "Eve\nline two", "must not contain control characters"),
        ("display_name", "Eve\u2028Adams", "must not contain control characters"),
        ("display_name", "bell\x07", "must not contain control characters"),
    ],
)
def test_each_rule_names_row_column_value_and_rule(column: str, value: str, rule: str) -> None:
    problem = only_problem(person(**{column: value}))
    assert problem.source == "people.csv"
    assert problem.row == 1
    assert problem.column == column
    assert problem.rule.startswith(rule)
    if "control" in rule:
        assert problem.value == value.encode("unicode_escape").decode()
    elif value.strip():
        assert problem.value == value.strip()


def test_control_characters_are_shown_escaped() -> None:
    problem = only_problem(person(display_name="Eve\x00"))
    assert problem.value == "Eve\\x00"


def test_left_before_started_is_refused() -> None:
    problem = only_problem(person(started_on="2022-01-01", left_on="2021-12-31"))
    assert (problem.column, problem.value) == ("left_on", "2021-12-31")
    assert problem.rule == "must not be before started_on"


def test_a_leading_formula_character_is_accepted_as_text() -> None:
    rows, problems = check(person(display_name="=HYPERLINK(1)"), person(key="p2", display_name="-"))
    assert problems == []
    assert rows[0].display_name == "=HYPERLINK(1)"


def test_a_duplicate_key_names_the_first_row() -> None:
    _, problems = check(person(), person(key="p2"), person(display_name="Again"))
    assert problems == [
        Problem("people.csv", 3, "key", "p1", "duplicate key: already on row 1"),
    ]


def test_a_manager_may_be_a_later_row() -> None:
    rows, problems = check(person(manager="boss"), person(key="boss"))
    assert problems == []
    assert rows[0].manager == "boss"


def test_a_manager_cycle_in_the_file_is_reported_once() -> None:
    _, problems = check(
        person(key="a", manager="b"), person(key="b", manager="c"), person(key="c", manager="a")
    )
    assert len(problems) == 1
    assert problems[0].row == 1
    assert problems[0].column == "manager"
    assert problems[0].rule == "managers form a cycle: a → b → c → a"


def test_a_cycle_closed_through_the_store_is_caught() -> None:
    # stored-2 (no manager in the store) now reports to p1, and p1 to stored-1 → stored-2.
    _, problems = check(person(key="stored-2", manager="p1"), person(manager="stored-1"))
    assert [p.rule for p in problems] == [
        "managers form a cycle: stored-2 → p1 → stored-1 → stored-2"
    ]


def test_a_file_can_break_a_stored_chain_without_a_cycle() -> None:
    _, problems = check(person(key="stored-2", manager="stored-1"), person(key="stored-1"))
    assert problems == []


def test_every_problem_is_collected_not_just_the_first() -> None:
    _, problems = check(
        person(email="bad", grade="X"), person(key="p2", region="Mars", started_on="yesterday")
    )
    assert [(p.row, p.column) for p in problems] == [
        (1, "email"),
        (1, "grade"),
        (2, "region"),
        (2, "started_on"),
    ]


def test_with_no_framework_stored_a_role_level_cannot_be_resolved() -> None:
    problem = only_problem(
        person(role_level="data-scientist"), lookups=Lookups(grades=GRADES, regions=REGIONS)
    )
    assert problem.rule == "no framework version is stored: import a framework first"
