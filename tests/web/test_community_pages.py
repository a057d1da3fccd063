"""Community, event and mentoring pages: join and see members, register then wait, cancel and see
the place pass on, organisers close registration and mark attendance, the calendar file, and
mentoring offered, asked for, matched and ended; every page accessible in structure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from mobilise.store.database import transaction
from mobilise.store.models import CommunityEvent
from tests.support.communities import (
    COMMUNITY,
    EVENT,
    CommunitySetup,
    add_community,
    claim_skill,
)
from tests.web.journeys import accessible, post_form, signed_in


@pytest.fixture
def ready(engine: Engine) -> CommunitySetup:
    return add_community(engine, capacity=1)


def test_join_register_wait_cancel_and_organise_in_the_pages(
    client: TestClient, engine: Engine, ready: CommunitySetup
) -> None:
    page = f"/communities/{COMMUNITY}"
    signed_in(client, "analyst")
    assert "AI community of practice" in accessible(client, "/communities")
    before = accessible(client, page)
    assert "Members see who else is in the community" in before
    assert post_form(client, f"{page}/join", page, {}).status_code == 303
    joined = accessible(client, page)
    assert "You are a member" in joined
    assert "<li>Analyst</li>" in joined
    assert f"Meet-up {EVENT}" in joined

    event = f"/events/{EVENT}"
    assert "Register for a place" in accessible(client, event)
    assert post_form(client, f"{event}/register", event, {}).status_code == 303
    assert "You have a place" in accessible(client, event)
    calendar = client.get(f"{event}/calendar.ics")
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in calendar.text

    signed_in(client, "lead")
    assert "Join the waiting list" in accessible(client, event)
    post_form(client, f"{event}/register", event, {})
    assert "You are number 1 on the waiting list" in accessible(client, event)

    signed_in(client, "analyst")
    assert post_form(client, f"{event}/cancel", event, {}).status_code == 303
    signed_in(client, "lead")
    assert "You have a place" in accessible(client, event)

    signed_in(client, "stranger")
    assert "Registrations" not in accessible(client, event)
    signed_in(client, "admin", "programme_admin")
    organised = accessible(client, event)
    assert "Close registration" in organised
    post_form(client, f"{event}/registration", event, {"open": "no"})
    assert "Open registration" in accessible(client, event)
    with transaction(engine) as session:
        session.execute(
            update(CommunityEvent)
            .where(CommunityEvent.key == EVENT)
            .values(starts_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    started = accessible(client, event)
    assert "Mark Lead attended" in started
    key = started.split('name="registration" value="')[1].split('"')[0]
    marked = post_form(
        client, f"{event}/attendance", event, {"registration": key, "attended": "yes"}
    )
    assert marked.status_code == 303
    assert "Attended" in accessible(client, event)
    refused = post_form(
        client, f"{event}/attendance", event, {"registration": "x", "attended": "yes"}
    )
    assert refused.status_code == 422
    assert "names no registration" in refused.text
    assert f"Meet-up {EVENT}" in accessible(client, "/events")  # listed until it ends
    accessible(client, "/events/no-such-event", 404)


def test_mentoring_offered_asked_for_matched_and_ended_in_the_pages(
    client: TestClient, engine: Engine, ready: CommunitySetup
) -> None:
    claim_skill(engine, "lead", ready.skill, 4)
    signed_in(client, "lead")
    form: dict[str, object] = {"skills": ready.skill, "capacity": "1", "availability": "Fridays"}
    assert post_form(client, "/mentoring/offer", "/mentoring", form).status_code == 303
    assert "You offer to mentor 1 person at a time" in accessible(client, "/mentoring")
    signed_in(client, "analyst")
    bad = post_form(client, "/mentoring/request", "/mentoring", {"skills": "nope", "goals": ""})
    assert bad.status_code == 422
    form = {"skills": ready.skill, "goals": "Lead a data team"}
    assert post_form(client, "/mentoring/request", "/mentoring", form).status_code == 303
    assert "your request is open for the next round" in accessible(client, "/mentoring")

    signed_in(client, "admin", "programme_admin")
    ran = post_form(
        client, "/mentoring/rounds", "/mentoring", {"key": "r1", "organisation": "dept-a"}
    )
    assert ran.status_code == 303
    assert "The round matched 1 and left 0" in accessible(client, ran.headers["location"])

    signed_in(client, "analyst")
    mine = accessible(client, "/mentoring")
    assert "Mentored by Lead" in mine
    assert "Matched with Lead" in mine
    key = mine.split('action="/mentoring/')[1].split("/end")[0]
    ended = post_form(client, f"/mentoring/{key}/end", "/mentoring", {"reason": "Done"})
    assert ended.status_code == 303
    assert "Ended: Done" in accessible(client, "/mentoring")


def test_organisers_set_up_an_event_in_the_pages(
    client: TestClient, engine: Engine, ready: CommunitySetup
) -> None:
    signed_in(client, "analyst")
    assert "Set up an event" not in accessible(client, "/events")
    accessible(client, "/events/new", 403)
    signed_in(client, "admin", "programme_admin")
    assert "Set up an event" in accessible(client, "/events")
    form = accessible(client, "/events/new")
    assert "AI community of practice" in form
    values: dict[str, object] = {
        "key": "bad key",
        "title": "",
        "organisation": "dept-a",
        "community": COMMUNITY,
        "kind": "party",
        "date": "2027-02-30",
        "time": "25:00",
        "hours": "2",
        "capacity": "0",
        "online": "yes",
    }
    refused = post_form(client, "/events/new", "/events/new", values)
    assert refused.status_code == 422
    assert "must be a time such as 14:30" in refused.text
    values.update(key="ai-insights-2", title="AI Insights 2", kind="ai-insights")
    values.update(date="2027-03-02", time="12:30", capacity="100")
    made = post_form(client, "/events/new", "/events/new", values)
    assert made.status_code == 303
    assert made.headers["location"] == "/events/ai-insights-2"
    page = accessible(client, "/events/ai-insights-2")
    assert "2 March 2027, 12:30 to 14:30" in page
    assert "AI community of practice" in page
