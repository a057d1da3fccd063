"""Profiles through the store: the claim that counts, its evidence, suggestions, who may look."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, select

from mobilise.services.accounts import development_sign_in
from mobilise.services.people import PersonNotFound
from mobilise.services.profiles import profile_of, today
from mobilise.services.skill_claims import validate_claim, validation_queue
from mobilise.store.database import transaction
from mobilise.store.models import SkillClaim, SkillRecord
from tests.support.workforce import Workforce, add_workforce


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


def test_a_managers_judgement_outranks_the_self_assessment(
    engine: Engine, workforce: Workforce
) -> None:
    lead = development_sign_in(engine, "lead", [])
    analyst = development_sign_in(engine, "analyst", [])
    claim = validation_queue(engine, lead)[0][0].claim_id
    assert profile_of(engine, analyst, "analyst").skills[0].confidence == "self-claimed"

    validate_claim(engine, lead, claim, "adjust", level=3, reason="Seen at work")

    (skill,) = profile_of(engine, analyst, "analyst").skills
    assert (skill.level, skill.source, skill.confidence) == (3, "manager", "validated")
    assert skill.evidence == "Seen at work"


def test_expired_claims_do_not_count_and_suggestions_wait(
    engine: Engine, workforce: Workforce
) -> None:
    with transaction(engine) as session:
        skills = list(session.scalars(select(SkillRecord.id).order_by(SkillRecord.id).limit(3)))
        person = workforce.people["outsider"]
        session.add_all(
            [
                SkillClaim(
                    person_id=person,
                    skill_id=skills[1],
                    level=4,
                    source="assessed",
                    status="active",
                    claimed_on=date(2020, 1, 1),
                    expires_on=today() - timedelta(days=1),
                ),
                SkillClaim(
                    person_id=person,
                    skill_id=skills[2],
                    level=2,
                    source="inferred",
                    status="suggested",
                    evidence="From a job advert",
                    claimed_on=date(2025, 6, 1),
                ),
            ]
        )
    outsider = development_sign_in(engine, "outsider", [])

    view = profile_of(engine, outsider, "outsider")

    assert [s.skill_key for s in view.skills] == [view.skills[0].skill_key]
    assert view.skills[0].source == "self"
    assert [(s.level, s.evidence) for s in view.suggestions] == [(2, "From a job advert")]


def test_another_organisations_user_cannot_see_a_profile(
    engine: Engine, workforce: Workforce
) -> None:
    stranger = development_sign_in(engine, "b-admin", [])

    with pytest.raises(PersonNotFound):
        profile_of(engine, stranger, "analyst")


def test_the_profile_from_a_read_record_is_the_profile(
    engine: Engine, workforce: Workforce
) -> None:
    from mobilise.services.people import get_person
    from mobilise.services.profiles import profile_from_claims

    lead = development_sign_in(engine, "lead", [])
    claim = validation_queue(engine, lead)[0][0].claim_id
    validate_claim(engine, lead, claim, "adjust", level=3, reason="Seen at work")
    analyst = development_sign_in(engine, "analyst", [])

    assert profile_from_claims(get_person(engine, analyst, "analyst")) == profile_of(
        engine, analyst, "analyst"
    )
