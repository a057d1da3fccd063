"""The shipped organisations load once, obey the import rules, and match the published figures."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from mobilise.services.organisations import (
    OrganisationSummary,
    ensure_default_organisations,
    list_organisations,
)
from mobilise.store.database import reading
from mobilise.store.models import Organisation


def shipped(engine: Engine) -> list[OrganisationSummary]:
    ensure_default_organisations(engine)
    return list_organisations(engine)


def test_loads_the_shipped_list_once(engine: Engine) -> None:
    added = ensure_default_organisations(engine)
    assert added == 73
    assert ensure_default_organisations(engine) == 0
    with reading(engine) as session:
        assert session.scalar(select(func.count(Organisation.id))) == added


def test_list_names_parents_by_key(engine: Engine) -> None:
    ensure_default_organisations(engine)
    by_key = {o.key: o for o in list_organisations(engine)}
    assert by_key["driver-and-vehicle-licensing-agency"].parent_key == "department-for-transport"
    assert by_key["driver-and-vehicle-licensing-agency"].region == "Wales"
    assert by_key["department-for-work-and-pensions"].parent_key is None


def test_department_groups_sum_to_published_headcounts(sqlite_engine: Engine) -> None:
    rows = shipped(sqlite_engine)
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


def test_every_kind_is_present(sqlite_engine: Engine) -> None:
    kinds = {o.kind for o in shipped(sqlite_engine)}
    assert kinds == {
        "department",
        "agency",
        "local_authority",
        "private_firm",
        "devolved_administration",
    }
