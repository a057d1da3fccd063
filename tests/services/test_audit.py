"""The audit log: visible to the right admins, paged newest first, exported safely as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine

from mobilise.core.problems import InvalidInput
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Actor, Role, command_line_actor
from mobilise.services.audit import NotPermitted, export_events_csv, list_events, record_event
from mobilise.services.transfer import import_organisations
from mobilise.store.database import transaction
from tests.support.workforce import Workforce, add_workforce


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


def _record(engine: Engine, actor: Actor, key: str, organisation: int | None) -> None:
    with transaction(engine) as session:
        record_event(
            session,
            actor,
            "test.changed",
            entity_type="thing",
            entity_key=key,
            organisation_id=organisation,
            before={"value": 1},
            after={"value": 2},
        )


def test_admins_read_their_organisations_events_only(engine: Engine, workforce: Workforce) -> None:
    operator = command_line_actor()
    _record(engine, operator, "in-a", workforce.org_a)
    _record(engine, operator, "in-b", workforce.org_b)
    _record(engine, operator, "global", None)
    admin_a = development_sign_in(engine, "outsider", [Role.ORGANISATION_ADMIN])

    seen = [e.entity_key for e in list_events(engine, admin_a, action="test.changed").entries]
    assert seen == ["in-a"]
    everything = list_events(engine, operator, action="test.changed")
    assert [e.entity_key for e in everything.entries] == ["global", "in-b", "in-a"]
    assert everything.entries[-1].before == {"value": 1}
    with pytest.raises(NotPermitted):
        list_events(engine, development_sign_in(engine, "lead", []))


def test_pages_follow_on_without_gaps_or_repeats(engine: Engine, workforce: Workforce) -> None:
    operator = command_line_actor()
    for number in range(7):
        _record(engine, operator, f"k{number}", None)

    keys: list[str] = []
    before = None
    while True:
        page = list_events(engine, operator, limit=3, before_id=before, action="test.changed")
        keys += [e.entity_key for e in page.entries]
        if page.next_before_id is None:
            break
        before = page.next_before_id
    assert keys == [f"k{n}" for n in reversed(range(7))]
    assert page.total == 7


def test_the_export_is_oldest_first_and_defuses_formulas(
    engine: Engine, workforce: Workforce
) -> None:
    hostile = Actor(account_id=None, display_name='=HYPERLINK("http://evil")')
    for number in range(3):
        _record(engine, hostile, f"k{number}", workforce.org_a)

    text = "".join(export_events_csv(engine, command_line_actor(), action="test.changed"))
    rows = list(csv.DictReader(io.StringIO(text)))

    assert [r["entity_key"] for r in rows] == ["k0", "k1", "k2"]
    assert rows[0]["actor"].startswith("'=")
    assert rows[0]["organisation"] == "dept-a"
    assert rows[0]["after"] == '{"value": 2}'


def test_the_export_refuses_before_it_starts(engine: Engine, workforce: Workforce) -> None:
    with pytest.raises(NotPermitted):
        export_events_csv(engine, development_sign_in(engine, "lead", []))


def test_a_rejected_import_leaves_neither_rows_nor_an_event(
    engine: Engine, workforce: Workforce, tmp_path: Path
) -> None:
    bad = tmp_path / "organisations.csv"
    bad.write_text("key,name,kind,region\nacme,Acme,not-a-kind,London\n")
    before = list_events(engine, command_line_actor()).total

    with pytest.raises(InvalidInput):
        import_organisations(engine, bad)

    assert list_events(engine, command_line_actor()).total == before
    good = tmp_path / "good.csv"
    good.write_text("key,name,kind,region\nacme,Acme,private_firm,London\n")
    import_organisations(engine, good)
    latest = list_events(engine, command_line_actor(), limit=1).entries[0]
    assert latest.action == "organisations.imported"
    assert latest.after == {"rows": 1, "created": 1, "updated": 0, "unchanged": 0}
