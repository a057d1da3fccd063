"""The demo communities: five communities with members, upcoming events (one full, with a
waiting list), and a mentoring round matched by the engine from the demo workforce's skills."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from mobilise.services.actors import command_line_actor
from mobilise.services.communities import list_communities
from mobilise.services.community_demo import communities_are_empty, generate_demo_communities
from mobilise.services.demo import generate_demo
from mobilise.services.events import get_event, list_events
from mobilise.services.organisations import ensure_default_organisations
from mobilise.store.database import reading
from mobilise.store.models import Mentoring, MentoringRound


def test_the_demo_has_communities_events_with_a_queue_and_mentoring(sqlite_engine: Engine) -> None:
    ensure_default_organisations(sqlite_engine)
    generate_demo(sqlite_engine, people=300, seed=7, history=False)
    assert communities_are_empty(sqlite_engine)

    made = generate_demo_communities(sqlite_engine, seed=7)

    assert not communities_are_empty(sqlite_engine)
    operator = command_line_actor()
    found = {c.key: c for c in list_communities(sqlite_engine, operator)}
    assert len(found) == made.communities == 5
    assert found["ai-community"].organisation is None
    assert found["ai-community"].members == 20
    assert found["accessibility-community"].organisation is not None
    events = list_events(sqlite_engine, operator)
    assert len(events) == made.events == 4
    meetup = get_event(sqlite_engine, operator, "ai-community-meetup-leeds").summary
    assert (meetup.taken, meetup.waiting) == (12, 3)
    assert made.registrations == 12 + 15 + 15 + 8
    with reading(sqlite_engine) as session:
        assert session.scalar(select(func.count(MentoringRound.id))) == 1
        matched = session.scalar(select(func.count(Mentoring.id)))
    assert matched == made.mentorings
    assert made.mentorings > 0
