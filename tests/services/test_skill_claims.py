"""Self-assessment, suggestions and a manager's validation: who may, what is kept, refused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, select

from mobilise.core.problems import InvalidInput
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Role, command_line_actor
from mobilise.services.audit import NotPermitted, list_events
from mobilise.services.skill_claims import (
    ClaimNotFound,
    answer_suggestion,
    assess_own_skill,
    validate_claim,
    validation_queue,
)
from mobilise.store.database import reading, transaction
from mobilise.store.models import SkillClaim, SkillRecord
from tests.support.workforce import Workforce, add_workforce


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


def _skill_keys(engine: Engine, count: int = 2) -> list[str]:
    with reading(engine) as session:
        return list(session.scalars(select(SkillRecord.key).order_by(SkillRecord.id).limit(count)))


def _claims(engine: Engine, person_id: int) -> list[tuple[str, int, str, int | None]]:
    with reading(engine) as session:
        return [
            (c.source, c.level, c.status, c.validated_by_id)
            for c in session.scalars(
                select(SkillClaim).where(SkillClaim.person_id == person_id).order_by(SkillClaim.id)
            )
        ]


def test_a_person_assesses_their_own_skill_and_today_s_second_go_is_audited(
    engine: Engine, workforce: Workforce
) -> None:
    analyst = development_sign_in(engine, "analyst", [])
    _, skill = _skill_keys(engine)

    first = assess_own_skill(engine, analyst, skill, 2, "Built a dashboard", "https://ex.gov.uk/a")
    second = assess_own_skill(engine, analyst, skill, "3", "Led the dashboard work")

    assert first == second
    claims = _claims(engine, workforce.people["analyst"])
    assert claims[-1] == ("self", 3, "active", None)
    events = list_events(engine, command_line_actor(), action="claim.self_assessed").entries
    assert events[0].before is not None
    assert events[0].before["level"] == 2
    assert events[0].before["evidence"] == "Built a dashboard\nhttps://ex.gov.uk/a"


@pytest.mark.parametrize(
    ("skill", "level", "link", "column"),
    [
        ("no-such-skill", 2, None, "skill"),
        (None, 5, None, "level"),
        (None, "expert", None, "level"),
        (None, 2, "javascript:alert(1)", "link"),
    ],
)
def test_bad_assessments_name_the_problem_and_change_nothing(
    engine: Engine,
    workforce: Workforce,
    skill: str | None,
    level: int | str,
    link: str | None,
    column: str,
) -> None:
    analyst = development_sign_in(engine, "analyst", [])
    before = _claims(engine, workforce.people["analyst"])

    with pytest.raises(InvalidInput) as raised:
        assess_own_skill(engine, analyst, skill or _skill_keys(engine)[1], level, "", link)

    assert raised.value.problems[0].column == column
    assert _claims(engine, workforce.people["analyst"]) == before


def test_an_account_without_a_person_has_no_profile(engine: Engine, workforce: Workforce) -> None:
    with pytest.raises(NotPermitted):
        assess_own_skill(engine, command_line_actor(), _skill_keys(engine)[0], 2)


def test_suggestions_are_answered_by_their_person_only(
    engine: Engine, workforce: Workforce
) -> None:
    with transaction(engine) as session:
        skill_id = session.scalars(select(SkillRecord.id).order_by(SkillRecord.id.desc())).first()
        suggestion = SkillClaim(
            person_id=workforce.people["analyst"],
            skill_id=skill_id,
            level=3,
            source="inferred",
            status="suggested",
            claimed_on=date(2025, 1, 1),
        )
        session.add(suggestion)
        session.flush()
        claim_id = suggestion.id
    lead = development_sign_in(engine, "lead", [])
    analyst = development_sign_in(engine, "analyst", [])

    with pytest.raises(ClaimNotFound):
        answer_suggestion(engine, lead, claim_id, accept=True)
    answer_suggestion(engine, analyst, claim_id, accept=True)
    with pytest.raises(InvalidInput):
        answer_suggestion(engine, analyst, claim_id, accept=False)

    assert ("inferred", 3, "active", None) in _claims(engine, workforce.people["analyst"])


def test_managers_validate_their_reporting_line(engine: Engine, workforce: Workforce) -> None:
    boss = development_sign_in(engine, "boss", [])
    lead = development_sign_in(engine, "lead", [])
    analyst = development_sign_in(engine, "analyst", [])

    queue, total = validation_queue(engine, boss)
    assert [(q.person_key, q.evidence) for q in queue] == [
        ("lead", "evidence of lead"),
        ("analyst", "evidence of analyst"),
    ]
    assert total == 2
    assert [q.person_key for q in validation_queue(engine, lead)[0]] == ["analyst"]
    with pytest.raises(NotPermitted):
        validation_queue(engine, analyst)

    analyst_claim = validation_queue(engine, lead)[0][0].claim_id
    validate_claim(engine, lead, analyst_claim, "adjust", level=3, reason="Saw it in the project")
    claims = _claims(engine, workforce.people["analyst"])
    assert claims[0] == ("self", 2, "active", workforce.people["lead"])
    assert claims[1] == ("manager", 3, "active", workforce.people["lead"])
    assert validation_queue(engine, lead)[1] == 0
    with pytest.raises(ClaimNotFound):
        validate_claim(engine, lead, analyst_claim, "approve")


def test_rejection_needs_a_reason_and_is_kept(engine: Engine, workforce: Workforce) -> None:
    boss = development_sign_in(engine, "boss", [])
    lead_claim = validation_queue(engine, boss)[0][0].claim_id

    with pytest.raises(InvalidInput):
        validate_claim(engine, boss, lead_claim, "reject")
    with pytest.raises(InvalidInput):
        validate_claim(engine, boss, lead_claim, "adjust")
    validate_claim(engine, boss, lead_claim, "reject", reason="No evidence yet")

    assert _claims(engine, workforce.people["lead"]) == [
        ("self", 2, "rejected", workforce.people["boss"])
    ]
    event = list_events(engine, command_line_actor(), action="claim.rejected").entries[0]
    assert event.after is not None
    assert event.after["reason"] == "No evidence yet"


def test_no_one_outside_the_line_can_validate(engine: Engine, workforce: Workforce) -> None:
    boss = development_sign_in(engine, "boss", [])
    claim = validation_queue(engine, boss)[0][0].claim_id
    admin_b = development_sign_in(engine, "b-admin", [Role.ORGANISATION_ADMIN])

    with pytest.raises(NotPermitted):
        validate_claim(engine, admin_b, claim, "approve")
