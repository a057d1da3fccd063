"""Read typed values from a set-up form's text, collecting a Problem per bad field (so the page
comes back with every error at once), and turn a service's problems into the page's errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from mobilise.core.problems import Problem


def whole_number(
    text: str,
    field: str,
    source: str,
    problems: list[Problem],
    *,
    low: int = 0,
    high: int = 1_000_000,
    required: bool = True,
) -> int | None:
    """The number in `text`, or None (with a problem unless it may be left empty)."""
    value = text.strip().replace(",", "")
    if not value:
        if required:
            problems.append(Problem(source, None, field, None, "is needed"))
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        problems.append(
            Problem(
                source, None, field, value[:20], f"must be a whole number from {low} to {high:,}"
            )
        )
        return None
    return int(value)


def day(
    text: str, field: str, source: str, problems: list[Problem], *, required: bool = True
) -> date | None:
    """The date in `text` (YYYY-MM-DD, as a date input sends it), or None with a problem."""
    value = text.strip()
    if not value:
        if required:
            problems.append(Problem(source, None, field, None, "is needed"))
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        problems.append(Problem(source, None, field, value[:20], "must be a date like 2027-01-31"))
        return None


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def errors_for(
    problems: Iterable[Problem], fields: Mapping[str, str], default: str
) -> dict[str, str]:
    """One message per form field (its first problem), keyed by the field's id: a problem's
    column names its field directly, or by the part before any index (`curriculum[2]`)."""
    found: dict[str, str] = {}
    for problem in problems:
        column = problem.column or ""
        field = fields.get(column) or fields.get(column.split("[")[0].split(".")[0]) or default
        label = column.split("[")[0].replace("_", " ").capitalize() or "It"
        shown = f" ({problem.value})" if problem.value and len(problem.value) <= 40 else ""
        found.setdefault(field, f"{label}{shown} {problem.rule}")
    return found
