"""A running cohort delivered by a training provider: tests/support/programmes.py's aia-1 with
agency B as its provider (funded by the apprenticeship levy) and the analyst as its participant
(applied, released by the lead, scored by the judge, selected, accepted; the cohort started)."""

from __future__ import annotations

from sqlalchemy import Engine

from mobilise.core.programmes import CohortAction
from mobilise.services.actors import Role
from mobilise.services.applications import act, apply
from mobilise.services.cohort_selection import run_selection
from mobilise.services.cohort_terms import set_cohort_terms
from mobilise.services.programmes import change_cohort
from mobilise.services.selection_panel import score_application
from tests.support.programmes import ProgrammeSetup, add_programme


def run_delivered_cohort(engine: Engine) -> tuple[ProgrammeSetup, str]:
    """The set-up and the participant's application key."""
    setup = add_programme(engine)
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    set_cohort_terms(
        engine,
        admin,
        "aia-1",
        open_to_outsiders=False,
        provider_key="agency-b",
        funding_source="apprenticeship_levy",
    )
    analyst = setup.actor(engine, "analyst")
    key = apply(engine, analyst, "aia-1", "Please.", [], consent=False)
    act(engine, setup.actor(engine, "lead"), key, "release")
    change_cohort(engine, admin, "aia-1", CohortAction.CLOSE)
    score_application(engine, setup.actor(engine, "judge"), key, {"motivation": 4, "experience": 4})
    run_selection(engine, admin, "aia-1")
    act(engine, analyst, key, "accept")
    change_cohort(engine, admin, "aia-1", CohortAction.START)
    return setup, key
