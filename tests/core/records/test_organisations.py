from __future__ import annotations

import pytest

from mobilise.core.problems import Problem
from mobilise.core.records import (
    ORGANISATION_KINDS,
    ORGANISATIONS,
    REGIONS,
    Lookups,
    OrganisationRow,
    OrganisationsCheck,
    ProblemLog,
)

LOOKUPS = Lookups(
    organisations={"hmrc": 1, "voa": 2},
    regions=REGIONS,
    organisation_kinds=ORGANISATION_KINDS,
    stored_parent={"voa": "hmrc", "hmrc": None}.get,
)


def organisation(**values: str) -> list[str]:
    row = {"key": "dsit", "name": "DSIT", "kind": "department", "region": "London"} | values
    return [row.get(name, "") for name in ORGANISATIONS.names]


def check(*rows: list[str]) -> tuple[list[OrganisationRow], list[Problem]]:
    log = ProblemLog("organisations.csv")
    checker = OrganisationsCheck(LOOKUPS, log)
    fed = [checker.feed(n, values) for n, values in enumerate(rows, start=1)]
    checker.finish()
    return [r for r in fed if r is not None], log.problems


def test_rows_become_typed_organisations() -> None:
    rows, problems = check(
        organisation(key="gds", kind="agency", parent="dsit", headcount="1200"), organisation()
    )
    assert problems == []
    assert rows[0] == OrganisationRow(1, "gds", "DSIT", "agency", "London", "dsit", 1200)
    assert rows[1].headcount is None


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("key", "", "is required and must not be empty"),
        ("name", "", "is required and must not be empty"),
        ("kind", "club", "is not a known kind of organisation"),
        ("region", "Mordor", "is not a known region"),
        ("parent", "nobody", "refers to no organisation"),
        ("parent", "dsit", "an organisation cannot be its own parent"),
        ("headcount", "-3", "must be a whole number from 0 to 10,000,000"),
        ("headcount", "lots", "must be a whole number from 0 to 10,000,000"),
        ("headcount", "99999999", "must be a whole number from 0 to 10,000,000"),
        ("name", "n" * 301, "is too long: at most 300 characters"),
    ],
)
def test_each_rule_names_row_column_value_and_rule(column: str, value: str, rule: str) -> None:
    _, problems = check(organisation(**{column: value}))
    assert len(problems) == 1, problems
    assert (problems[0].row, problems[0].column) == (1, column)
    assert problems[0].rule.startswith(rule)


def test_duplicate_keys_and_parent_cycles_are_refused() -> None:
    _, problems = check(
        organisation(key="a", parent="b"),
        organisation(key="b", parent="a"),
        organisation(key="a"),
    )
    assert [(p.row, p.column, p.rule) for p in problems] == [
        (3, "key", "duplicate key: already on row 1"),
        (1, "parent", "parents form a cycle: a → b → a"),
    ]


def test_a_cycle_through_a_stored_organisation_is_refused() -> None:
    _, problems = check(organisation(key="hmrc", parent="voa"))
    assert [p.rule for p in problems] == ["parents form a cycle: hmrc → voa → hmrc"]
