"""The iCalendar document: CRLF lines of at most 75 octets that unfold to the original text,
with text values escaped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.communities.calendar import CalendarEvent, calendar_document, fold


@given(st.text(max_size=400))
def test_folded_lines_are_short_and_unfold_to_the_line(line: str) -> None:
    pieces = fold(line)
    assert all(len(p.encode()) <= 75 for p in pieces)
    assert pieces[0] + "".join(p[1:] for p in pieces[1:]) == line


def test_an_event_is_one_escaped_vevent_in_utc() -> None:
    starts = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    document = calendar_document(
        CalendarEvent(
            uid="ai-meetup@mobilise",
            title="AI Insights; agents, evaluated",
            description="Line one\nLine two",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            location="Leeds",
            url="https://mobilise.example/events/ai-meetup",
            stamped_at=starts,
        )
    )
    lines = document.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert "DTSTART:20261203T100000Z" in lines
    assert "SUMMARY:AI Insights\\; agents\\, evaluated" in lines
    assert "DESCRIPTION:Line one\\nLine two" in lines
    assert document.endswith("END:VCALENDAR\r\n")
