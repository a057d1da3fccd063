"""One event as an iCalendar (RFC 5545) document, so people can add it to their calendar.

Written by hand: one VEVENT needs escaping and line folding, not a library.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

FOLD_AT = 75  # octets per line, the CRLF aside


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    location: str
    url: str
    stamped_at: datetime


def _text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
    )


def _moment(value: datetime) -> str:
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> list[str]:
    """Split a content line into pieces of at most 75 octets, never inside a character; every
    piece after the first starts with a space."""
    pieces: list[str] = []
    current = ""
    limit = FOLD_AT
    for character in line:
        if len((current + character).encode()) > limit:
            pieces.append(current)
            current = " "
            limit = FOLD_AT
        current += character
    pieces.append(current)
    return pieces


def calendar_document(event: CalendarEvent) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Mobilise//Communities//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_moment(event.stamped_at)}",
        f"DTSTART:{_moment(event.starts_at)}",
        f"DTEND:{_moment(event.ends_at)}",
        f"SUMMARY:{_text(event.title)}",
        f"DESCRIPTION:{_text(event.description)}",
        f"LOCATION:{_text(event.location)}",
        f"URL:{event.url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(piece + "\r\n" for line in lines for piece in fold(line))
