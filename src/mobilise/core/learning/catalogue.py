"""A learning catalogue as the pathway solver needs it: checked once, indexed once, reused.

The checks are the ones a catalogue import makes (docs/formats.md), so that the core can never be
handed a catalogue it would plan badly with: ids are unique, hours and cost are not negative,
taught levels are on the skill scale, prerequisites name items of the catalogue, and
prerequisites form no cycle (a cycle would make every item on it impossible to start).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, Protocol, TypeVar

from mobilise.core.framework.levels import SkillLevel
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.records.hierarchy import describe_cycle
from mobilise.core.records.learning_items import find_prerequisite_cycles as records_cycles
from mobilise.core.records.vocabulary import LEVEL_RULE

PROBLEM_SOURCE = "learning catalogue"
CYCLE_RULE = "cyclic prerequisites (each item requires the next)"
_LEVELS = frozenset(int(level) for level in SkillLevel)
# Hours are scaled to integers for the solver: the smallest power of ten that makes every item's
# hours whole, up to this one. The store keeps two decimal places, so in practice it is 100.
MAX_HOURS_SCALE = 10_000


class LearningItemLike(Protocol):
    """What the solver reads of an item; the catalogue service's own item class fits as it is,
    and comes back out in the pathway's steps with its other fields (title, …) intact."""

    @property
    def id(self) -> int: ...
    @property
    def key(self) -> str: ...
    @property
    def hours(self) -> Decimal | float: ...
    @property
    def cost_pence(self) -> int: ...
    @property
    def teaches(self) -> Mapping[int, int]: ...
    @property
    def prerequisites(self) -> Collection[int]: ...


ItemT = TypeVar("ItemT", bound=LearningItemLike)


def label(item: LearningItemLike) -> str:
    return item.key or f"item {item.id}"


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    """One learning item. `cost_pence` is whole pence; `teaches` maps skill id → level taught
    (completing the item gives a learning claim at that level); `key` names it in messages."""

    id: int
    hours: Decimal | float
    cost_pence: int
    teaches: Mapping[int, int]
    prerequisites: tuple[int, ...] = ()
    key: str = ""


@dataclass(frozen=True)
class Catalogue(Generic[ItemT]):
    """Items by id, with the indexes every pathway uses.

    `teachers[skill]` lists (level, position) best level first, so the items that can close a gap
    at a required level are a prefix of it. `hours_units[p]` is item p's hours × `hours_scale`.
    """

    items: tuple[ItemT, ...]
    position: Mapping[int, int]
    prerequisites: tuple[tuple[int, ...], ...]
    teachers: Mapping[int, tuple[tuple[int, int], ...]]
    hours_units: tuple[int, ...]
    hours_scale: int
    # True when some item's hours have more decimals than MAX_HOURS_SCALE resolves; the solver
    # then optimises hours rounded to 1/MAX_HOURS_SCALE of an hour.
    hours_rounded: bool = field(default=False)

    def __len__(self) -> int:
        return len(self.items)


def prepare_catalogue(items: Sequence[ItemT]) -> Catalogue[ItemT]:
    """Check `items` and index them; InvalidInput names every problem (row = position from 1)."""
    problems: list[Problem] = []
    rows: dict[int, int] = {}
    ids = {item.id for item in items}
    for row, item in enumerate(items, start=1):
        if item.id in rows:
            problems.append(
                Problem(PROBLEM_SOURCE, row, "id", str(item.id), f"duplicate: row {rows[item.id]}")
            )
        else:
            rows[item.id] = row
        if _decimal(item.hours) < 0:
            problems.append(
                Problem(PROBLEM_SOURCE, row, "hours", str(item.hours), "must not be negative")
            )
        if item.cost_pence < 0:
            problems.append(
                Problem(PROBLEM_SOURCE, row, "cost", str(item.cost_pence), "must not be negative")
            )
        for skill_id, level in item.teaches.items():
            if level not in _LEVELS:
                problems.append(
                    Problem(PROBLEM_SOURCE, row, "level", f"{skill_id}: {level}", LEVEL_RULE)
                )
        for required in item.prerequisites:
            if required not in ids:
                problems.append(
                    Problem(
                        PROBLEM_SOURCE,
                        row,
                        "prerequisites",
                        str(required),
                        "refers to no item of the catalogue",
                    )
                )
    if problems:
        raise InvalidInput(problems)
    ordered = sorted(items, key=lambda item: item.id)
    position = {item.id: p for p, item in enumerate(ordered)}
    prerequisites = tuple(
        tuple(sorted({position[r] for r in item.prerequisites})) for item in ordered
    )
    cycles = find_prerequisite_cycles(prerequisites)
    if cycles:
        raise InvalidInput(
            Problem(
                PROBLEM_SOURCE,
                rows[ordered[cycle[0]].id],
                "prerequisites",
                label(ordered[cycle[0]]),
                f"{CYCLE_RULE}: {describe_cycle(tuple(label(ordered[p]) for p in cycle))}",
            )
            for cycle in cycles
        )
    teachers: dict[int, list[tuple[int, int]]] = {}
    for p, item in enumerate(ordered):
        for skill_id, level in item.teaches.items():
            teachers.setdefault(skill_id, []).append((level, p))
    scale, units, rounded = _hours_units([_decimal(item.hours) for item in ordered])
    return Catalogue(
        items=tuple(ordered),
        position=position,
        prerequisites=prerequisites,
        # Best level first, then by id, so a prefix is "every item teaching at least level L".
        teachers={s: tuple(sorted(t, key=lambda lp: (-lp[0], lp[1]))) for s, t in teachers.items()},
        hours_units=units,
        hours_scale=scale,
        hours_rounded=rounded,
    )


def find_prerequisite_cycles(prerequisites: Sequence[Sequence[int]]) -> list[tuple[int, ...]]:
    """Cycles among positions (each lists the positions it requires), each from its least
    position, in position order so the report is deterministic; none if and only if an order
    exists in which every item comes after its prerequisites."""
    found = records_cycles(dict(enumerate(prerequisites)))
    return [cycle[cycle.index(min(cycle)) :] + cycle[: cycle.index(min(cycle))] for cycle in found]


def _hours_units(hours: Sequence[Decimal]) -> tuple[int, tuple[int, ...], bool]:
    scale = 1
    while scale < MAX_HOURS_SCALE and any((h * scale) % 1 for h in hours):
        scale *= 10
    units = tuple(int((h * scale).to_integral_value()) for h in hours)
    rounded = any((h * scale) % 1 for h in hours)
    return scale, units, rounded


def _decimal(hours: Decimal | float) -> Decimal:
    # A float's shortest repr (0.1, not 0.1000000000000000055…) is what its writer meant.
    return hours if isinstance(hours, Decimal) else Decimal(str(hours))
