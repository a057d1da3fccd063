"""Erasure end to end: the person asks, an admin of their organisation decides; on approval no
trace of their name or email is left in any text column of the store, records kept for legal
reasons are there under a stable pseudonym, and the audit log says so without the erased data."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import JSON, Engine, String, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Role
from mobilise.services.audit import NotPermitted
from mobilise.services.erasure import (
    ErasureRequestNotFound,
    approve_erasure,
    cancel_erasure,
    my_erasure_requests,
    refuse_erasure,
    request_erasure,
    requests_to_decide,
)
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    Account,
    AllocationRunRecord,
    Application,
    ApplicationTransition,
    AuditEvent,
    Base,
    ErasureRequest,
    OutboxMessage,
    PanelScore,
    Person,
    Position,
    RoleLevelRecord,
    SensitiveAttributes,
    SkillClaim,
)
from tests.support.personal_records import EMAIL, MARK, NAME, Records, add_every_record
from tests.support.workforce import Workforce, add_workforce


def _text_values(engine: Engine) -> list[tuple[str, str]]:
    """Every text and JSON value in the store, as (table.column, text)."""
    found = []
    with reading(engine) as session:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String | JSON):
                    continue
                for (value,) in session.execute(select(column).where(column.is_not(None))):
                    text = value if isinstance(value, str) else json.dumps(value)
                    found.append((f"{table.name}.{column.name}", text))
    return found


def _traces(engine: Engine, *needles: str) -> list[str]:
    return sorted(
        {
            where
            for where, text in _text_values(engine)
            for n in needles
            if n.lower() in text.lower()
        }
    )


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


@pytest.fixture
def records(engine: Engine, workforce: Workforce) -> Records:
    return add_every_record(engine, workforce)


def _admin(engine: Engine, key: str = "boss") -> Any:
    return development_sign_in(engine, key, [Role.ORGANISATION_ADMIN])


def test_before_erasure_her_name_and_email_are_in_many_places(
    engine: Engine, records: Records
) -> None:
    # The scan below is only worth something if it finds what is there.
    assert len(_traces(engine, NAME, json.dumps(NAME)[1:-1], EMAIL)) >= 6


def test_approved_erasure_leaves_no_trace_of_name_or_email(
    engine: Engine, records: Records
) -> None:
    asked = request_erasure(engine, records.actor, f"{MARK}: I am leaving, {NAME}")
    admin = _admin(engine)
    waiting, total = requests_to_decide(engine, admin)
    assert (total, [w.key for w in waiting]) == (1, [asked.key])
    assert waiting[0].person_name == NAME

    done = approve_erasure(engine, admin, asked.key)

    assert done.state == "erased"
    assert _traces(engine, NAME, json.dumps(NAME)[1:-1], EMAIL) == []
    with reading(engine) as session:
        pseudonym = session.scalar(select(ErasureRequest.pseudonym))
        assert pseudonym is not None
        assert done.person_key == pseudonym
        person = session.get(Person, records.person_id)
        assert person is not None
        assert (person.key, person.display_name, person.email) == (pseudonym, pseudonym, None)
        # Her key named her in the audit log and an allocation run's result.
        assert session.scalar(select(func.count()).where(AuditEvent.entity_key == "analyst")) == 0
        run = session.scalars(select(AllocationRunRecord)).one()
        assert "analyst" not in run.problem + run.result
        assert pseudonym in run.result
        # Kept for legal reasons, pseudonymised: the decided application, its steps and scores.
        application = session.scalars(select(Application)).one()
        assert (application.state, application.statement, application.reason) == (
            "accepted", "", ""
        )  # fmt: skip
        step = session.scalars(select(ApplicationTransition)).one()
        assert (step.actor_label, step.reason) == (pseudonym, "")
        assert session.scalars(select(PanelScore.comment)).one() == ""
        assert (session.scalar(select(func.count()).select_from(Position)) or 0) >= 1
        # The rest is gone.
        for model in (SkillClaim, SensitiveAttributes):
            mine = (
                select(func.count()).select_from(model).where(model.person_id == records.person_id)
            )
            assert session.scalar(mine) == 0
        to_her = select(func.count()).where(OutboxMessage.person_id == records.person_id)
        assert session.scalar(to_her) == 0
        # Her account is closed.
        account = session.get(Account, records.actor.account_id)
        assert account is not None
        assert account.disabled_at is not None
        assert account.email is None
        # The audit log records the erasure under the pseudonym, with counts only.
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "person.erased")
        ).one()
        assert event.entity_key == pseudonym
        assert event.after is not None
        assert event.after["deleted"]["skill_claim"] == 2
    assert my_erasure_requests(engine, records.actor)[0].state == "erased"


def test_a_refusal_needs_a_reason_and_the_person_is_told(engine: Engine, records: Records) -> None:
    asked = request_erasure(engine, records.actor)
    admin = _admin(engine)
    with pytest.raises(InvalidInput, match="decision_reason"):
        refuse_erasure(engine, admin, asked.key, "  ")

    refused = refuse_erasure(engine, admin, asked.key, "You are party to an open appeal.")

    assert (refused.state, refused.decision_reason) == (
        "refused",
        "You are party to an open appeal.",
    )
    with reading(engine) as session:
        subjects = session.scalars(
            select(OutboxMessage.subject).where(OutboxMessage.person_id == records.person_id)
        ).all()
        assert "Your request to be erased was refused" in subjects
        assert session.get(Person, records.person_id).display_name == NAME  # type: ignore[union-attr]
    with pytest.raises(InvalidInput, match="already been decided"):
        approve_erasure(engine, admin, asked.key)


def test_only_admins_of_her_organisation_decide(engine: Engine, records: Records) -> None:
    asked = request_erasure(engine, records.actor)
    other_admin = _admin(engine, "b-admin")
    assert requests_to_decide(engine, other_admin) == ([], 0)
    with pytest.raises(ErasureRequestNotFound):
        approve_erasure(engine, other_admin, asked.key)
    colleague = development_sign_in(engine, "outsider", [])
    with pytest.raises(NotPermitted):
        approve_erasure(engine, colleague, asked.key)
    herself = development_sign_in(engine, "analyst", [Role.ORGANISATION_ADMIN])
    with pytest.raises(NotPermitted):
        approve_erasure(engine, herself, asked.key)
    service_admin = development_sign_in(engine, "stranger", [Role.SERVICE_ADMIN])
    assert requests_to_decide(engine, service_admin)[1] == 1


def test_one_request_waits_at_a_time_and_she_may_cancel_it(
    engine: Engine, records: Records
) -> None:
    asked = request_erasure(engine, records.actor)
    with pytest.raises(InvalidInput, match="already waiting"):
        request_erasure(engine, records.actor)

    assert cancel_erasure(engine, records.actor, asked.key).state == "cancelled"

    assert request_erasure(engine, records.actor).state == "pending"
    with pytest.raises(InvalidInput, match="already been decided"):
        cancel_erasure(engine, records.actor, asked.key)


def test_a_name_that_is_also_a_word_leaves_the_framework_and_namesakes_alone(
    engine: Engine, workforce: Workforce
) -> None:
    with transaction(engine) as session:
        namesake = session.get(Person, workforce.people["outsider"])
        assert namesake is not None
        namesake.display_name = "Lead"  # the same name as the person erased
    lead = development_sign_in(engine, "lead", [])
    asked = request_erasure(engine, lead)

    approve_erasure(engine, _admin(engine), asked.key)

    with reading(engine) as session:
        names = session.scalars(select(RoleLevelRecord.name)).all()
        assert "Lead business architect" in names
        outsider = session.get(Person, workforce.people["outsider"])
        assert outsider is not None
        assert outsider.display_name == "Lead"
