"""A project's data-ethics self-assessment: saved by its team, cell by cell, and audited."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from mobilise.core.problems import InvalidInput
from mobilise.core.register.ethics import CELLS, AssessmentStatus, EthicsEntry
from mobilise.core.register.registration import ProjectDetails
from mobilise.services.accounts import development_sign_in
from mobilise.services.catalogue import UnknownKey
from mobilise.services.ethics_assessment import get_assessment, save_assessment
from mobilise.services.register_drafts import team_project
from mobilise.services.register_editing import register_project
from mobilise.store.database import reading
from mobilise.store.models import AuditEvent
from tests.support.workforce import add_workforce

CHATBOT = ProjectDetails("Chatbot", "challenge", "idea", "A chatbot for residents.")


def test_the_team_saves_cells_and_the_state_follows(engine: Engine) -> None:
    add_workforce(engine)
    lead = development_sign_in(engine, "lead", [])
    key = register_project(engine, lead, CHATBOT)
    assert get_assessment(engine, lead, key).state.status is AssessmentStatus.NOT_STARTED

    state = save_assessment(
        engine,
        lead,
        key,
        [
            EthicsEntry("transparency", "public-benefit-and-user-need", 2, " User research. "),
            EthicsEntry("fairness", "data-quality-and-limitations", 0, ""),
        ],
    )

    assert state.status is AssessmentStatus.IN_PROGRESS
    assert state.answered == 1
    saved = get_assessment(engine, lead, key)
    assert saved.entries[("transparency", "public-benefit-and-user-need")].notes == (
        "User research."
    )
    assert team_project(engine, lead, key).ethics.answered == 1

    everything = [EthicsEntry(p, a, 3, "Evidence in the DPIA.") for p, a in CELLS]
    assert save_assessment(engine, lead, key, everything).status is AssessmentStatus.COMPLETE
    # A cell given empty is cleared.
    cleared = save_assessment(engine, lead, key, [EthicsEntry(*CELLS[0], None, "")])
    assert cleared.missing[0].what == "a score and notes"
    with reading(engine) as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_key == key)
        ).all()
    assert actions.count("register.ethics_saved") == 3


def test_bad_cells_change_nothing_and_others_see_nothing(engine: Engine) -> None:
    add_workforce(engine)
    lead = development_sign_in(engine, "lead", [])
    key = register_project(engine, lead, CHATBOT)

    with pytest.raises(InvalidInput) as refused:
        save_assessment(
            engine,
            lead,
            key,
            [EthicsEntry(*CELLS[0], 2, "fine"), EthicsEntry(*CELLS[1], 9, "off the scale")],
        )
    assert refused.value.problems[0].column == "transparency.diverse-expertise.score"
    assert get_assessment(engine, lead, key).entries == {}

    stranger = development_sign_in(engine, "stranger", [])
    with pytest.raises(UnknownKey):
        get_assessment(engine, stranger, key)
    with pytest.raises(UnknownKey):
        save_assessment(engine, stranger, key, [EthicsEntry(*CELLS[0], 2, "mine")])
