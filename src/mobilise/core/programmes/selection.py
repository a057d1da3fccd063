"""What a cohort's selection run means for each application, and how the waiting list moves.

The allocation engine decides who gets the cohort's places (with quotas where the programme sets
them). Everyone else it did not place goes on the waiting list in the order of the run's own
ranking, up to the programme's waiting-list size; the rest are not selected. Once offers are
published nothing is re-run (DESIGN.md): a place that comes free goes to the first application
still waiting, in that stored order.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SelectionOutcome:
    offered: list[str]
    waiting: list[str]  # in waiting-list order: the first is the first to be offered a place
    not_selected: list[str]


def split_selection(
    ranking: Sequence[str], placed: Collection[str], waiting_list_size: int
) -> SelectionOutcome:
    """Offers for the placed; the unplaced, in `ranking` order, fill the waiting list."""
    chosen = set(placed)
    unknown = chosen - set(ranking)
    if unknown:
        raise ValueError(f"placed applications missing from the ranking: {sorted(unknown)}")
    offered = [app for app in ranking if app in chosen]
    rest = [app for app in ranking if app not in chosen]
    size = max(0, waiting_list_size)
    return SelectionOutcome(offered, rest[:size], rest[size:])


def next_on_waiting_list(waiting: Mapping[str, int]) -> str | None:
    """The application to offer a freed place: the lowest waiting-list position still waiting."""
    if not waiting:
        return None
    return min(waiting, key=lambda app: (waiting[app], app))


def completion_blockers(
    mandatory: Collection[str],
    completed: Collection[str],
    *,
    sessions: int,
    attended: int,
    min_attendance: float,
) -> list[str]:
    """Why a participant cannot be marked complete yet; empty when they can."""
    reasons = [
        f"mandatory module {item} is not completed"
        for item in sorted(set(mandatory) - set(completed))
    ]
    if sessions > 0 and attended / sessions < min_attendance:
        reasons.append(
            f"attended {attended} of {sessions} sessions; at least {min_attendance:.0%} are needed"
        )
    return reasons
