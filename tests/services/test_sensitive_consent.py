"""Withdrawing consent for sensitive attributes: gone from the store, left out of the next
analytics refresh, audited without the attributes; correcting one's own name and email."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from mobilise.core.problems import InvalidInput
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Actor
from mobilise.services.analytics.warehouse import new_connection, refresh
from mobilise.services.audit import NotPermitted
from mobilise.services.personal_details import correct_my_details, my_details
from mobilise.services.sensitive_consent import my_consent, withdraw_consent
from mobilise.store.database import reading, transaction
from mobilise.store.models import Account, AuditEvent, Person, SensitiveAttributes
from tests.support.workforce import Workforce, add_workforce


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    found = add_workforce(engine)
    with transaction(engine) as session:
        for key in ("analyst", "lead"):
            session.add(
                SensitiveAttributes(
                    person_id=found.people[key],
                    consent=True,
                    consented_on=date(2024, 1, 1),
                    sex="Female",
                    ethnic_group="Mixed",
                    age_band="25-34",
                )
            )
    return found


def _women_counted(path: Path) -> int:
    connection = new_connection(str(path), read_only=True)
    try:
        row = connection.execute(
            "SELECT coalesce(sum(people), 0) FROM diversity "
            "WHERE attribute = 'sex' AND value = 'Female'"
        ).fetchone()
    finally:
        connection.close()
    return int(row[0])


def test_withdrawing_consent_removes_her_from_the_next_refresh(
    engine: Engine, workforce: Workforce, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    refresh(engine, warehouse, full=True)
    assert _women_counted(warehouse) == 2
    analyst = development_sign_in(engine, "analyst", [])

    assert withdraw_consent(engine, analyst) is True

    refresh(engine, warehouse)  # incremental: the change queue names her
    assert _women_counted(warehouse) == 1
    assert my_consent(engine, analyst).held is False
    with reading(engine) as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "sensitive_attributes.consent_withdrawn")
        ).one()
        assert (event.entity_key, event.before, event.after) == ("analyst", None, None)
    assert withdraw_consent(engine, analyst) is False  # nothing left to withdraw


def test_only_a_person_withdraws_their_own(engine: Engine, workforce: Workforce) -> None:
    with pytest.raises(NotPermitted):
        withdraw_consent(engine, Actor(account_id=None, display_name="command line"))


def test_correcting_her_details_changes_person_and_accounts_and_audits_fields_only(
    engine: Engine, workforce: Workforce
) -> None:
    analyst = development_sign_in(engine, "analyst", [])

    corrected = correct_my_details(engine, analyst, "  Ana   Lyst ", "ana@example.gov.uk")

    assert (corrected.display_name, corrected.email) == ("Ana Lyst", "ana@example.gov.uk")
    assert my_details(engine, analyst) == corrected
    with reading(engine) as session:
        account = session.get(Account, analyst.account_id)
        assert account is not None
        assert account.display_name == "Ana Lyst"
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "person.details_corrected")
        ).one()
        assert event.after == {"changed": ["display_name", "email"]}


def test_bad_details_are_refused_naming_each_and_nothing_changes(
    engine: Engine, workforce: Workforce
) -> None:
    analyst = development_sign_in(engine, "analyst", [])

    with pytest.raises(InvalidInput) as raised:
        correct_my_details(engine, analyst, " ", "not-an-address")

    assert {p.column for p in raised.value.problems} == {"display_name", "email"}
    with reading(engine) as session:
        person = session.get(Person, workforce.people["analyst"])
        assert person is not None
        assert (person.display_name, person.email) == ("Analyst", "analyst@example.gov.uk")
