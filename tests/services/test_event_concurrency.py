"""Capacity holds under concurrent requests: many people register for the last places at once,
each in their own session on PostgreSQL, and exactly `capacity` get a place; the rest wait, in
the order their transactions took the event's row. Cancellations racing registrations never
leave a place empty while someone waits."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.communities import RegistrationState
from mobilise.services.actors import Actor
from mobilise.services.events import cancel_registration, register
from mobilise.store.database import reading
from mobilise.store.models import CommunityEvent, EventRegistration
from tests.support.communities import EVENT, add_community

R = RegistrationState
PEOPLE = ("analyst", "lead", "outsider", "stranger", "candidate", "boss", "b-admin", "judge")

pytestmark = pytest.mark.postgres


def _all_at_once(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls in threads released together; re-raise the first error."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except BaseException as error:  # handed to the test thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def _counts(engine: Engine) -> dict[str, int]:
    with reading(engine) as session:
        event_id = session.scalar(select(CommunityEvent.id).where(CommunityEvent.key == EVENT))
        rows = session.execute(
            select(EventRegistration.state, func.count())
            .where(EventRegistration.event_id == event_id)
            .group_by(EventRegistration.state)
        ).all()
        return {str(state): int(count) for state, count in rows}


def test_concurrent_registrations_never_exceed_capacity(postgres_engine: Engine) -> None:
    setup = add_community(postgres_engine, capacity=3)
    actors: list[Actor] = [setup.actor(postgres_engine, p) for p in PEOPLE]

    outcomes = _all_at_once(
        [lambda a=a: register(postgres_engine, a, EVENT) for a in actors]  # type: ignore[misc]
    )

    assert sorted(str(o) for o in outcomes).count(R.REGISTERED.value) == 3
    assert _counts(postgres_engine) == {"registered": 3, "waiting": len(PEOPLE) - 3}


def test_cancellations_racing_registrations_leave_no_place_empty_while_someone_waits(
    postgres_engine: Engine,
) -> None:
    setup = add_community(postgres_engine, capacity=2)
    actors = {p: setup.actor(postgres_engine, p) for p in PEOPLE}
    for person in PEOPLE[:4]:
        register(postgres_engine, actors[person], EVENT)  # two places, two waiting

    _all_at_once(
        [
            lambda: cancel_registration(postgres_engine, actors["analyst"], EVENT),
            lambda: cancel_registration(postgres_engine, actors["lead"], EVENT),
            lambda: register(postgres_engine, actors["candidate"], EVENT),
            lambda: register(postgres_engine, actors["boss"], EVENT),
        ]
    )

    counts = _counts(postgres_engine)
    assert counts["registered"] == 2
    assert counts["cancelled"] == 2
    assert counts.get("waiting", 0) == 2
