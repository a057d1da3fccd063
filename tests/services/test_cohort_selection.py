"""Selection is one transaction: the stored run, the offers, the waiting list and the messages
are kept together or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.programmes import ApplicationState, CohortAction, CohortState
from mobilise.services.actors import Role
from mobilise.services.allocation_runs import replay_run
from mobilise.services.application_views import get_application
from mobilise.services.applications import apply
from mobilise.services.cohort_selection import run_selection
from mobilise.services.programme_views import get_cohort
from mobilise.services.programmes import change_cohort
from mobilise.services.selection_panel import score_application
from mobilise.store.database import reading
from mobilise.store.models import AllocationRunRecord, ApplicationTransition, OutboxMessage
from tests.support.failing_commits import CommitRefused, commits_fail
from tests.support.programmes import add_programme


def _counts(engine: Engine) -> tuple[int, int, int]:
    with reading(engine) as session:
        return (
            session.scalar(select(func.count(AllocationRunRecord.id))) or 0,
            session.scalar(select(func.count(ApplicationTransition.id))) or 0,
            session.scalar(select(func.count(OutboxMessage.id))) or 0,
        )


def test_a_failure_after_the_run_is_solved_leaves_nothing_stored(engine: Engine) -> None:
    setup = add_programme(engine)
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    stranger = setup.actor(engine, "stranger")
    key = apply(engine, stranger, "aia-1", "I run data teams.", ["role"], consent=True)
    change_cohort(engine, admin, "aia-1", CohortAction.CLOSE)
    score_application(engine, setup.actor(engine, "judge"), key, {"motivation": 4, "experience": 4})
    before = _counts(engine)

    with commits_fail(), pytest.raises(CommitRefused):
        run_selection(engine, admin, "aia-1")

    assert _counts(engine) == before
    assert get_cohort(engine, admin, "aia-1").summary.state is CohortState.CLOSED
    assert get_cohort(engine, admin, "aia-1").selection_run_key is None
    assert get_application(engine, stranger, key).summary.state is ApplicationState.RELEASED

    # Tried again, it runs once and keeps the run with its outcome.
    result = run_selection(engine, admin, "aia-1")
    assert result.offered == [key]
    runs, transitions, messages = _counts(engine)
    assert (runs, transitions > before[1], messages > before[2]) == (before[0] + 1, True, True)
    assert get_cohort(engine, admin, "aia-1").selection_run_key == result.run_key
    assert replay_run(engine, result.run_key).identical
