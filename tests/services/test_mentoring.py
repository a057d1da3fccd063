"""Mentoring through the services: offers and requests, a round matched by the engine on fit
from the skill profiles (mentors' capacity respected, beyond the organisation only with the
mentee's consent), an explanation per match, both told, and either side ending it (audited)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.communities import MentoringState
from mobilise.core.problems import InvalidInput
from mobilise.services.actors import Role, command_line_actor
from mobilise.services.audit import NotPermitted
from mobilise.services.mentoring import (
    MentoringNotFound,
    ask_for_mentor,
    end_mentoring,
    my_mentoring,
    offer_to_mentor,
)
from mobilise.services.mentoring_rounds import run_mentoring_round
from mobilise.services.outbox import messages_for
from mobilise.store.database import reading
from mobilise.store.models import (
    AllocationRunRecord,
    AuditEvent,
    Mentoring,
    Person,
)
from tests.support.communities import CommunitySetup, add_community, claim_skill

LEVELS = {"lead": 4, "boss": 3, "stranger": 4}


@pytest.fixture
def setup(engine: Engine) -> CommunitySetup:
    found = add_community(engine)
    for person, level in LEVELS.items():
        claim_skill(engine, person, found.skill, level)
    return found


def _offers(engine: Engine, setup: CommunitySetup) -> None:
    for person in LEVELS:
        offer_to_mentor(engine, setup.actor(engine, person), [setup.skill], 1, "Fridays")


def _pairs(engine: Engine) -> set[tuple[str, str]]:
    with reading(engine) as session:
        rows = session.execute(
            select(Mentoring.mentor_id, Mentoring.mentee_id).where(Mentoring.state == "active")
        ).all()
        keys = dict(session.execute(select(Person.id, Person.key)).all())
        return {(keys[a], keys[b]) for a, b in rows}


def test_an_organisations_round_matches_by_fit_within_it_without_consent(
    engine: Engine, setup: CommunitySetup
) -> None:
    _offers(engine, setup)
    for person in ("analyst", "outsider"):
        ask_for_mentor(engine, setup.actor(engine, person), [setup.skill], "Lead a data team")
    admin = setup.admin(engine)

    outcome = run_mentoring_round(engine, admin, "a-2026", organisation="dept-a")

    # Both fit lead best (two levels above them); lead has room for one; boss (one level above)
    # takes the other; stranger (agency B) is never considered without consent.
    assert (outcome.matched, outcome.unmatched) == (2, 0)
    pairs = _pairs(engine)
    assert {mentor for mentor, _ in pairs} == {"lead", "boss"}
    assert {mentee for _, mentee in pairs} == {"analyst", "outsider"}
    with reading(engine) as session:
        assert (
            session.scalar(select(func.count()).where(AllocationRunRecord.key == outcome.run_key))
            == 1
        )
    page = my_mentoring(engine, setup.actor(engine, "lead"))
    assert page.mentorings[0].role == "mentor"
    assert page.mentorings[0].goals == "Lead a data team"
    mentee_page = my_mentoring(engine, setup.actor(engine, "analyst"))
    assert mentee_page.request is not None
    assert not mentee_page.request.open
    explanation = mentee_page.mentorings[0].explanation
    assert "Matched with" in explanation
    assert "They mentor in" in explanation
    messages, _ = messages_for(engine, setup.actor(engine, "boss"))
    assert any(m.subject.startswith("You are mentoring") for m in messages)
    # Nobody is left to match: a second round says so and stores nothing.
    with pytest.raises(InvalidInput, match="no open request"):
        run_mentoring_round(engine, admin, "a-2026-b", organisation="dept-a")


def test_beyond_the_organisation_only_with_the_mentees_consent(
    engine: Engine, setup: CommunitySetup
) -> None:
    offer_to_mentor(engine, setup.actor(engine, "stranger"), [setup.skill], 2)
    candidate = setup.actor(engine, "candidate")  # no organisation
    ask_for_mentor(engine, candidate, [setup.skill], "Start a data career")
    operator = command_line_actor()
    with pytest.raises(InvalidInput, match="no open request"):
        run_mentoring_round(engine, operator, "all-1")
    ask_for_mentor(
        engine, candidate, [setup.skill], "Start a data career", share_across_organisations=True
    )
    outcome = run_mentoring_round(engine, operator, "all-1")
    assert outcome.matched == 1
    assert _pairs(engine) == {("stranger", "candidate")}


def test_runners_are_the_organisations_admins_and_the_service_admins(
    engine: Engine, setup: CommunitySetup
) -> None:
    _offers(engine, setup)
    ask_for_mentor(engine, setup.actor(engine, "analyst"), [setup.skill], "Grow")
    with pytest.raises(NotPermitted):
        run_mentoring_round(engine, setup.actor(engine, "analyst"), "r1", organisation="dept-a")
    with pytest.raises(NotPermitted):
        run_mentoring_round(engine, setup.admin(engine), "r1")
    b_admin = setup.actor(engine, "b-admin", Role.PROGRAMME_ADMIN)
    with pytest.raises(NotPermitted):
        run_mentoring_round(engine, b_admin, "r1", organisation="dept-a")
    with pytest.raises(InvalidInput) as refused:
        run_mentoring_round(
            engine, setup.admin(engine), "bad key", organisation="dept-a", method="x"
        )
    assert {p.column for p in refused.value.problems} == {"key", "method"}
    with reading(engine) as session:
        assert session.scalar(select(func.count(Mentoring.id))) == 0


def test_either_side_ends_it_the_other_is_told_and_it_is_audited(
    engine: Engine, setup: CommunitySetup
) -> None:
    offer_to_mentor(engine, setup.actor(engine, "lead"), [setup.skill], 1)
    analyst = setup.actor(engine, "analyst")
    ask_for_mentor(engine, analyst, [setup.skill], "Grow")
    run_mentoring_round(engine, setup.admin(engine), "r1", organisation="dept-a")
    key = my_mentoring(engine, analyst).mentorings[0].key
    with pytest.raises(MentoringNotFound):
        end_mentoring(engine, setup.actor(engine, "stranger"), key)

    end_mentoring(engine, analyst, key, "Moved team")

    lead = setup.actor(engine, "lead")
    assert my_mentoring(engine, lead).mentorings[0].state is MentoringState.ENDED
    messages, _ = messages_for(engine, lead)
    assert any("Moved team" in m.body for m in messages)
    with pytest.raises(InvalidInput, match="not allowed"):
        end_mentoring(engine, lead, key)
    with reading(engine) as session:
        assert (
            session.scalar(select(func.count()).where(AuditEvent.action == "mentoring.ended")) == 1
        )


def test_offers_and_requests_name_every_problem(engine: Engine, setup: CommunitySetup) -> None:
    lead = setup.actor(engine, "lead")
    with pytest.raises(InvalidInput) as refused:
        offer_to_mentor(engine, lead, ["no-such-skill"], 11)
    assert {p.column for p in refused.value.problems} == {"skills[0]", "capacity"}
    with pytest.raises(InvalidInput) as refused:
        ask_for_mentor(engine, lead, [], "")
    assert {p.column for p in refused.value.problems} == {"skills", "goals"}
    page = my_mentoring(engine, lead)
    assert (page.offer, page.request) == (None, None)
