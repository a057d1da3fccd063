"""Who reads what of a run: a selection's run is read whole by its programme's admins, and each
applicant reads only their own outcome there, found through their application's key."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from mobilise.core.programmes import CohortAction
from mobilise.services.actors import Role
from mobilise.services.allocation_run_access import (
    own_outcomes,
    run_for,
    runs_for,
)
from mobilise.services.allocation_runs import UnknownRun
from mobilise.services.applications import apply
from mobilise.services.audit import NotPermitted
from mobilise.services.cohort_selection import run_selection
from mobilise.services.programmes import change_cohort
from mobilise.services.selection_panel import score_application
from tests.support.programmes import add_programme


def test_a_selection_run_is_read_whole_by_its_admins_and_in_part_by_each_applicant(
    engine: Engine,
) -> None:
    setup = add_programme(engine)
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    stranger = setup.actor(engine, "stranger")
    analyst = setup.actor(engine, "analyst")
    key = apply(engine, stranger, "aia-1", "I run data teams.", ["role"], consent=True)
    change_cohort(engine, admin, "aia-1", CohortAction.CLOSE)
    score_application(engine, setup.actor(engine, "judge"), key, {"motivation": 4, "experience": 4})
    run_key = run_selection(engine, admin, "aia-1").run_key

    summary, result = run_for(engine, admin, run_key)
    assert summary.key == run_key
    assert [m["applicant"] for m in result["matches"]] == [key]
    _, mine = own_outcomes(engine, stranger, run_key)
    assert [(o["applicant"], o["opportunity"]) for o in mine] == [(key, "aia-1")]
    assert mine[0]["explanation"].startswith("You were placed")
    with pytest.raises(UnknownRun):
        own_outcomes(engine, analyst, run_key)  # did not apply: the run is not theirs to see
    with pytest.raises(UnknownRun):
        run_for(engine, stranger, run_key)
    with pytest.raises(UnknownRun):
        run_for(engine, setup.actor(engine, "b-admin", Role.PROGRAMME_ADMIN), run_key)
    with pytest.raises(NotPermitted):
        runs_for(engine, stranger)
