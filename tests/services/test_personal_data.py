"""Downloading everything Mobilise holds about a person: every kind of record appears, other
people's personal data does not, and no table can name a person without an export section."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted
from mobilise.services.erasure import request_erasure
from mobilise.services.personal_data import (
    FORMAT,
    NOT_EXPORTED,
    SECTION_TABLES,
    SECTIONS,
    download_my_data,
)
from mobilise.store.models import Base
from tests.support.personal_records import EMAIL, MARK, NAME, add_every_record
from tests.support.workforce import add_workforce

PEOPLE_TABLES = {"person", "account"}


def _tables_naming_people() -> set[str]:
    return {
        table.name
        for table in Base.metadata.tables.values()
        for key in table.foreign_keys
        if key.column.table.name in PEOPLE_TABLES
    }


def test_every_table_holding_a_person_or_account_id_has_an_export_section_or_a_reason() -> None:
    covered = {table for tables in SECTION_TABLES.values() for table in tables}
    missing = _tables_naming_people() - covered - set(NOT_EXPORTED)
    assert missing == set(), f"add an export section (services/personal_data.py) for {missing}"


def test_the_coverage_lists_name_only_tables_that_exist() -> None:
    covered = {table for tables in SECTION_TABLES.values() for table in tables}
    assert covered | set(NOT_EXPORTED) <= set(Base.metadata.tables)
    assert covered.isdisjoint(NOT_EXPORTED)


def test_the_download_holds_a_record_of_every_kind(engine: Engine) -> None:
    records = add_every_record(engine, add_workforce(engine))
    request_erasure(engine, records.actor, f"{MARK} please")

    document = download_my_data(engine, records.actor)

    assert document["format"] == FORMAT
    empty = [name for name in SECTIONS if not document[name]]
    assert empty == []
    assert document["person"]["display_name"] == NAME
    assert document["person"]["email"] == EMAIL
    assert document["sensitive_attributes"]["ethnic_group"] == "Mixed"
    [claim] = [c for c in document["skill_claims"] if c["evidence"] == f"{MARK} claim"]
    assert claim["inferred_from"][0]["span_text"] == f"{MARK} span"
    [application] = document["cohort_applications"]
    assert application["statement"] == f"{MARK} statement"
    assert application["attendance"] == [{"session_on": "2026-02-01", "present": True}]
    assert application["panel_scores"][0]["panel_member"] == "panel member 1"
    assert application["steps"][0]["by"] == "you"
    assert document["panels_and_judging"]["hackathon_score_sheets"] == 1
    assert document["mentoring"]["mentorings"][0]["your_role"] == "mentee"
    assert document["accounts"][0]["api_tokens"][0]["name"] == f"{MARK} token"
    assert document["credentials"][0]["achievement_name"] == f"{MARK} achievement"
    text = json.dumps(document, ensure_ascii=False)
    for owned in (" opportunity statement", " goals", "-target", " to you", " please"):
        assert MARK + owned in text


def test_the_download_leaves_out_other_peoples_personal_data(engine: Engine) -> None:
    records = add_every_record(engine, add_workforce(engine))

    text = json.dumps(download_my_data(engine, records.actor), ensure_ascii=False)

    # Her manager scored her, mentors her, released her and got a message about her.
    assert "lead@example.gov.uk" not in text
    assert '"Lead"' not in text
    assert "asked for release" not in text


def test_only_a_person_downloads_and_only_their_own(engine: Engine) -> None:
    with pytest.raises(NotPermitted):
        download_my_data(engine, Actor(account_id=1, display_name="service account"))
