"""Follow-up dates: a whole number of months after a day (days past the 28th move back to it,
so every month has the date and follow-ups stay evenly spaced)."""

from __future__ import annotations

from datetime import date


def months_after(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, min(day.day, 28))
