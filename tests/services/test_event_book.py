"""The event book through the services, property-tested on SQLite against a plain model: for any
sequence of people registering and cancelling, places never exceed capacity, nobody waits while
a place is free, and places pass to those waiting in the order they joined the queue."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from mobilise.core.communities import RegistrationState
from mobilise.core.problems import InvalidInput
from mobilise.services.actors import Actor
from mobilise.services.events import cancel_registration, create_event, get_event, register
from tests.support.communities import CommunitySetup, add_community, event_spec
from tests.support.databases import sqlite_copy

R = RegistrationState
PEOPLE = ("analyst", "lead", "outsider", "stranger", "candidate")
_numbers = itertools.count()


@pytest.fixture(scope="module")
def booked(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, CommunitySetup, dict[str, Actor]]]:
    path = tmp_path_factory.mktemp("book") / "book.db"
    with sqlite_copy(sqlite_template, path) as engine:
        setup = add_community(engine)
        yield engine, setup, {p: setup.actor(engine, p) for p in PEOPLE}


def _model(capacity: int, steps: list[tuple[str, str]]) -> dict[str, R | None]:
    """What each person's state should be: a list of places and a FIFO queue."""
    places: list[str] = []
    queue: list[str] = []
    state: dict[str, R | None] = dict.fromkeys(PEOPLE)
    for person, action in steps:
        if action == "register":
            if person in places or person in queue:
                continue
            if len(places) < capacity:
                places.append(person)
                state[person] = R.REGISTERED
            else:
                queue.append(person)
                state[person] = R.WAITING
        elif person in places or person in queue:
            (places if person in places else queue).remove(person)
            state[person] = R.CANCELLED
            while queue and len(places) < capacity:
                first = queue.pop(0)
                places.append(first)
                state[first] = R.REGISTERED
    return state


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.integers(1, 3),
    st.lists(
        st.tuples(st.sampled_from(PEOPLE), st.sampled_from(["register", "cancel"])), max_size=12
    ),
)
def test_the_book_matches_the_model(
    booked: tuple[Engine, CommunitySetup, dict[str, Actor]],
    capacity: int,
    steps: list[tuple[str, str]],
) -> None:
    engine, setup, actors = booked
    key = f"book-{next(_numbers)}"
    create_event(engine, setup.admin(engine), event_spec(key, capacity))
    for person, action in steps:
        if action == "register":
            register(engine, actors[person], key)
        else:
            held = get_event(engine, actors[person], key).summary.your_state
            if held in (R.REGISTERED, R.WAITING):
                cancel_registration(engine, actors[person], key)
            else:
                with pytest.raises(InvalidInput):  # nothing to cancel: refused
                    cancel_registration(engine, actors[person], key)
        summary = get_event(engine, actors[person], key).summary
        assert summary.taken <= capacity
        assert summary.waiting == 0 or summary.taken == capacity
    expected = _model(capacity, steps)
    for person in PEOPLE:
        assert get_event(engine, actors[person], key).summary.your_state == expected[person]
