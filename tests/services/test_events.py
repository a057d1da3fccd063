"""Events through the services: places then a waiting list, a cancelled place passing to the first
person waiting in the same transaction (told through the outbox), registration closing when the
event starts or its organisers close it, attendance marked by its organisers, and refusals that
change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, update

from mobilise.core.communities import RegistrationState
from mobilise.core.problems import InvalidInput
from mobilise.services.audit import NotPermitted
from mobilise.services.events import (
    EventNotFound,
    cancel_registration,
    create_event,
    event_calendar,
    get_event,
    list_events,
    mark_attendance,
    register,
    set_registration_open,
)
from mobilise.services.outbox import messages_for
from mobilise.store.database import reading, transaction
from mobilise.store.models import AuditEvent, CommunityEvent
from tests.support.communities import EVENT, CommunitySetup, add_community, event_spec

R = RegistrationState


@pytest.fixture
def setup(engine: Engine) -> CommunitySetup:
    return add_community(engine)


def _start_now(engine: Engine, key: str = EVENT) -> None:
    """Move the event's start into the past, as time passing would."""
    with transaction(engine) as session:
        session.execute(
            update(CommunityEvent)
            .where(CommunityEvent.key == key)
            .values(starts_at=datetime.now(UTC) - timedelta(minutes=5))
        )


def test_places_then_a_waiting_list_and_a_cancelled_place_goes_to_the_first_waiting(
    engine: Engine, setup: CommunitySetup
) -> None:
    people = ["analyst", "lead", "outsider", "stranger", "candidate"]
    actors = {p: setup.actor(engine, p) for p in people}
    states = [register(engine, actors[p], EVENT) for p in people]
    assert states == [R.REGISTERED, R.REGISTERED, R.WAITING, R.WAITING, R.WAITING]
    assert register(engine, actors["lead"], EVENT) is R.REGISTERED  # twice changes nothing
    summary = get_event(engine, actors["stranger"], EVENT).summary
    assert (summary.taken, summary.waiting, summary.your_position) == (2, 3, 2)

    promoted = cancel_registration(engine, actors["lead"], EVENT)

    assert len(promoted) == 1
    assert get_event(engine, actors["outsider"], EVENT).summary.your_state is R.REGISTERED
    assert get_event(engine, actors["stranger"], EVENT).summary.your_position == 1
    assert get_event(engine, actors["lead"], EVENT).summary.your_state is R.CANCELLED
    messages, _ = messages_for(engine, actors["outsider"])
    told = [m.subject for m in messages]
    assert any("A place came free" in s for s in told)
    # Registering again after cancelling joins the back of the queue.
    assert register(engine, actors["lead"], EVENT) is R.WAITING
    assert get_event(engine, actors["lead"], EVENT).summary.your_position == 3
    # A waiting person who cancels frees no place: nobody is promoted.
    assert cancel_registration(engine, actors["stranger"], EVENT) == []
    assert get_event(engine, actors["candidate"], EVENT).summary.your_position == 1


def test_organisers_see_registrations_and_others_do_not(
    engine: Engine, setup: CommunitySetup
) -> None:
    register(engine, setup.actor(engine, "analyst"), EVENT)
    rows = get_event(engine, setup.admin(engine), EVENT).registrations
    assert rows is not None
    assert [(r.name, r.state) for r in rows] == [("Analyst", R.REGISTERED)]
    assert get_event(engine, setup.actor(engine, "stranger"), EVENT).registrations is None


def test_registration_closes_when_the_event_starts_or_its_organisers_close_it(
    engine: Engine, setup: CommunitySetup
) -> None:
    analyst = setup.actor(engine, "analyst")
    with pytest.raises(NotPermitted):
        set_registration_open(engine, analyst, EVENT, False)
    set_registration_open(engine, setup.admin(engine), EVENT, False)
    with pytest.raises(InvalidInput, match="closed by its organisers"):
        register(engine, analyst, EVENT)
    set_registration_open(engine, setup.admin(engine), EVENT, True)
    register(engine, analyst, EVENT)
    _start_now(engine)
    with pytest.raises(InvalidInput, match="closed when the event started"):
        register(engine, setup.actor(engine, "lead"), EVENT)
    with pytest.raises(InvalidInput, match="once the event has started"):
        cancel_registration(engine, analyst, EVENT)
    assert not get_event(engine, analyst, EVENT).summary.registration_open


def test_attendance_is_marked_by_organisers_after_the_start(
    engine: Engine, setup: CommunitySetup
) -> None:
    analyst = setup.actor(engine, "analyst")
    register(engine, analyst, EVENT)
    admin = setup.admin(engine)
    rows = get_event(engine, admin, EVENT).registrations
    assert rows is not None
    key = rows[0].key
    with pytest.raises(InvalidInput, match="once the event has started"):
        mark_attendance(engine, admin, EVENT, key, True)
    _start_now(engine)
    with pytest.raises(NotPermitted):
        mark_attendance(engine, analyst, EVENT, key, True)
    assert mark_attendance(engine, admin, EVENT, key, True) is R.ATTENDED
    assert mark_attendance(engine, admin, EVENT, key, False) is R.ABSENT
    with pytest.raises(InvalidInput, match="names no registration"):
        mark_attendance(engine, admin, EVENT, "reg-nobody", True)
    with reading(engine) as session:
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"event_registration.mark_attended", "event_registration.mark_absent"} <= actions


def test_setting_up_names_every_problem_and_needs_the_organisations_programme_admin(
    engine: Engine, setup: CommunitySetup
) -> None:
    admin = setup.admin(engine)
    bad = event_spec("bad key!", 0)
    with pytest.raises(InvalidInput) as refused:
        create_event(engine, admin, bad)
    columns = {p.column for p in refused.value.problems}
    assert {"key", "capacity"} <= columns
    with pytest.raises(InvalidInput, match="is taken"):
        create_event(engine, admin, event_spec(EVENT, 5))
    with pytest.raises(NotPermitted):
        create_event(engine, setup.actor(engine, "analyst"), event_spec("other", 5))
    with reading(engine) as session:
        assert session.scalar(select(func.count(CommunityEvent.id))) == 1
    with pytest.raises(EventNotFound):
        register(engine, setup.actor(engine, "analyst"), "no-such-event")


def test_events_list_soonest_first_and_the_calendar_names_the_event(
    engine: Engine, setup: CommunitySetup
) -> None:
    admin = setup.admin(engine)
    create_event(
        engine, admin, event_spec("sooner", 5, starts_in=timedelta(days=1), community=None)
    )
    keys = [e.key for e in list_events(engine, admin)]
    assert keys == ["sooner", EVENT]
    assert [e.key for e in list_events(engine, admin, community="ai-community")] == [EVENT]
    document = event_calendar(engine, EVENT, "https://mobilise.example")
    assert document.startswith("BEGIN:VCALENDAR\r\n")
    assert "SUMMARY:Meet-up ai-meetup\r\n" in document
    assert "URL:https://mobilise.example/events/ai-meetup\r\n" in document
