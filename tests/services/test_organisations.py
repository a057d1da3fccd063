"""The shipped organisations load once, obey the import rules, and match the published figures."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services.organisations import (
    check_organisation_rows,
    ensure_default_organisations,
    list_organisations,
    read_shipped_organisations,
)
from mobilise.store.database import reading
from mobilise.store.models import Organisation

HEADER = ["key", "name", "kind", "region", "parent", "headcount"]


def _row(key: str, **values: str) -> dict[str, str]:
    row = {"key": key, "name": key.title(), "kind": "department", "region": "London"}
    row |= {"parent": "", "headcount": ""} | values
    return row


def test_loads_the_shipped_list_once(engine: Engine) -> None:
    added = ensure_default_organisations(engine)
    assert added == len(read_shipped_organisations())
    assert ensure_default_organisations(engine) == 0
    with reading(engine) as session:
        assert session.scalar(select(func.count(Organisation.id))) == added


def test_list_names_parents_by_key(engine: Engine) -> None:
    ensure_default_organisations(engine)
    by_key = {o.key: o for o in list_organisations(engine)}
    assert by_key["driver-and-vehicle-licensing-agency"].parent_key == "department-for-transport"
    assert by_key["driver-and-vehicle-licensing-agency"].region == "Wales"
    assert by_key["department-for-work-and-pensions"].parent_key is None


def test_department_groups_sum_to_published_headcounts() -> None:
    rows = read_shipped_organisations()
    group: dict[str, int] = {}
    for org in rows:
        top = org.parent_key or org.key
        group[top] = group.get(top, 0) + (org.headcount or 0)
    # Civil Service Statistics 2025, as quoted in figures.md.
    assert group["department-for-work-and-pensions"] == 96_890
    assert group["ministry-of-justice"] == 96_210
    assert group["hm-revenue-and-customs"] == 70_925
    assert group["ministry-of-defence"] == 57_500
    assert group["home-office"] == 50_655
    assert group["scottish-government"] == 28_800
    assert group["department-for-transport"] == 16_535
    assert group["department-for-environment-food-and-rural-affairs"] == 13_950
    assert group["cabinet-office"] == 11_510
    civil_service = sum(
        o.headcount or 0
        for o in rows
        if o.kind in ("department", "agency", "devolved_administration")
    )
    assert 0.97 * 549_660 <= civil_service <= 549_660


def test_every_kind_is_present() -> None:
    kinds = {o.kind for o in read_shipped_organisations()}
    assert kinds == {
        "department",
        "agency",
        "local_authority",
        "private_firm",
        "devolved_administration",
    }


@pytest.mark.parametrize(
    ("row", "column", "rule"),
    [
        (_row("Bad Key"), "key", "lower-case"),
        (_row("a", kind="quango"), "kind", "must be one of"),
        (_row("a", region="Narnia"), "region", "ITL1"),
        (_row("a", headcount="-5"), "headcount", "whole number"),
        (_row("a", headcount="many"), "headcount", "whole number"),
        (_row("a", name=""), "name", "1–300"),
        (_row("a", parent="nowhere"), "parent", "names no organisation"),
        (_row("a", parent="a"), "parent", "own parent"),
    ],
)
def test_each_rule_names_row_column_and_value(row: dict[str, str], column: str, rule: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_organisation_rows("orgs.csv", HEADER, [_row("fine"), row])
    problem = caught.value.problems[0]
    assert (problem.source, problem.row, problem.column) == ("orgs.csv", 2, column)
    assert rule in problem.rule


def test_duplicate_keys_and_cycles_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_organisation_rows("o", HEADER, [_row("a"), _row("a")])
    assert "duplicates the key of row 1" in caught.value.problems[0].rule
    with pytest.raises(InvalidInput) as caught:
        check_organisation_rows("o", HEADER, [_row("a", parent="b"), _row("b", parent="a")])
    assert {p.rule for p in caught.value.problems} == {"parents form a cycle"}


def test_missing_required_column_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_organisation_rows("o", ["key", "name"], [])
    assert {p.column for p in caught.value.problems} == {"kind", "region"}


def test_parent_may_be_an_organisation_already_stored() -> None:
    rows = check_organisation_rows("o", HEADER, [_row("a", parent="b")], known_keys=["b"])
    assert rows[0].parent_key == "b"
