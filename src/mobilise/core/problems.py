"""Bad input, described precisely enough that a user can fix it: where, what, and which rule."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_VALUE_SHOWN = 80


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule in one place of the input; `row` counts data rows from 1, header excluded."""

    source: str
    row: int | None
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = [self.source]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        shown = ""
        if self.value is not None:
            value = self.value
            if len(value) > MAX_VALUE_SHOWN:
                value = value[: MAX_VALUE_SHOWN - 1] + "…"
            shown = f" value {value!r}:"
        return f"{', '.join(where)}:{shown} {self.rule}"

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "source": self.source,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "rule": self.rule,
        }


class InvalidInput(Exception):
    """Input that breaks one or more rules; nothing was changed because of it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: Sequence[Problem] = tuple(problems)
        if not self.problems:
            raise ValueError("InvalidInput needs at least one problem")
        super().__init__(self.summary())

    def summary(self, limit: int = 20) -> str:
        lines = [str(p) for p in self.problems[:limit]]
        more = len(self.problems) - limit
        if more > 0:
            lines.append(f"… and {more} more problem(s)")
        return "\n".join(lines)


def refused_action(
    subject: str, action: str, *, state: str, allowed: list[str], none: str = "none"
) -> InvalidInput:
    """A state machine's refusal: the action is not allowed in `state` (e.g. "the cohort is
    open"); it names what is, or `none` when nothing is."""
    rule = f"is not allowed while {state}; allowed: " + (", ".join(allowed) or none)
    return InvalidInput([Problem(subject, None, "action", action, rule)])
