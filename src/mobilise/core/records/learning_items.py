"""Rules for rows of a learning items file (the learning catalogue).

One row is one item. The skills it teaches and the items it requires are lists in one cell each,
`skill:level` pairs and item keys separated by semicolons, so that a catalogue is one file that a
spreadsheet can edit (docs/formats.md, "Learning items"). Prerequisites may name a later row or a
stored item; they may not form a cycle, counting the prerequisites stored items already have.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple, TypeVar

from mobilise.core.framework.levels import SkillLevel
from mobilise.core.records.fields import Cells
from mobilise.core.records.hierarchy import describe_cycle
from mobilise.core.records.layouts import KEY_LENGTH, Column, Layout
from mobilise.core.records.lookups import Lookups
from mobilise.core.records.problem_log import ProblemLog
from mobilise.core.records.vocabulary import LEVEL_RULE, parse_level

LEARNING_FORMATS: tuple[str, ...] = (
    "e-learning",
    "course",
    "article",
    "workshop",
    "apprenticeship-module",
)

LEARNING_ITEMS = Layout(
    "learning items",
    (
        Column("key", True, KEY_LENGTH),
        Column("title", True, 300),
        Column("provider", True, 200),
        Column("format", True, 30),
        Column("hours", True, 12, number=True),
        Column("cost", False, 12, number=True),
        Column("framework", False, 100),
        Column("teaches", False, 10_000),
        Column("prerequisites", False, 10_000),
        Column("url", False, 2000),
        Column("description", False, 10_000, multiline=True),
    ),
)

(
    _KEY,
    _TITLE,
    _PROVIDER,
    _FORMAT,
    _HOURS,
    _COST,
    _FRAMEWORK,
    _TEACHES,
    _PREREQUISITES,
    _URL,
    _DESCRIPTION,
) = LEARNING_ITEMS.columns

SEPARATOR = ";"
MAX_HOURS = Decimal(10_000)
MAX_COST_PENCE = 100_000_000  # £1,000,000
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]{1,2})?")
# A web address a browser can open, without spaces; "javascript:" and the like never pass.
_URL_SHAPE = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)

HOURS_RULE = (
    "must be a number of hours above 0 and at most 10,000, with at most 2 decimal places (e.g. 1.5)"
)
COST_RULE = (
    "must be an amount in pounds from 0 to 1,000,000 with at most 2 decimal places "
    "(e.g. 149.99), without a £ sign or commas"
)
KEY_SEPARATOR_RULE = "must not contain ';' (it separates the keys of prerequisites)"
TEACHES_SHAPE_RULE = (
    "must be skill:level pairs separated by ';' (e.g. data-modelling:working; coding:2)"
)
URL_RULE = "must be a web address starting with https:// or http://, without spaces"
CYCLE_RULE = "prerequisites form a cycle"


class LearningItemRow(NamedTuple):
    row: int
    key: str
    title: str
    provider: str
    format: str
    hours: Decimal
    cost_pence: int
    # The framework version of the skills taught (None when the item teaches none).
    framework: str | None
    # (skill id, level), in the order the cell lists them.
    teaches: tuple[tuple[int, SkillLevel], ...]
    prerequisites: tuple[str, ...]
    url: str | None
    description: str


Item = TypeVar("Item", bound=Hashable)


def _no_prerequisites(_key: object) -> Sequence[Item]:
    return ()


def parse_hours(text: str) -> Decimal | None:
    """Hours written as a decimal with at most two places, above 0 and at most 10,000."""
    if not _DECIMAL.fullmatch(text):
        return None
    hours = Decimal(text)
    return hours if 0 < hours <= MAX_HOURS else None


def parse_cost(text: str) -> int | None:
    """Pence for an amount of pounds written with at most two decimal places."""
    if not _DECIMAL.fullmatch(text):
        return None
    pence = int(Decimal(text) * 100)
    return pence if pence <= MAX_COST_PENCE else None


def format_hours(hours: Decimal) -> str:
    """Hours as files write them: no trailing zeros (1.5, 2, 0.25)."""
    return f"{hours:.2f}".rstrip("0").rstrip(".")


def format_cost(pence: int) -> str:
    """Pounds as files write them: always two decimal places (0.00, 149.99)."""
    return f"{pence // 100}.{pence % 100:02d}"


def split_list(cell: str) -> list[str]:
    """The entries of a semicolon-separated cell, trimmed; empty entries (a trailing ;) dropped."""
    return [part.strip() for part in cell.split(SEPARATOR) if part.strip()]


class LearningItemsCheck:
    """Feed rows in file order, then `finish()` for the rules that need the whole file.

    `stored_items` are the keys the store holds; `stored_prerequisites(key)` the keys a stored
    item requires now (rows of the file replace them for the items they name).
    """

    def __init__(
        self,
        lookups: Lookups,
        log: ProblemLog,
        *,
        stored_items: Collection[str] = (),
        stored_prerequisites: Callable[[str], Sequence[str]] = _no_prerequisites,
    ) -> None:
        self.lookups = lookups
        self.log = log
        self.cells = Cells(log, LEARNING_ITEMS)
        self.stored_items = stored_items
        self.stored_prerequisites = stored_prerequisites
        self.rows_of: dict[str, int] = {}
        self.requires: dict[str, tuple[str, ...]] = {}
        self._pending: list[tuple[int, str]] = []

    def feed(self, row: int, values: Sequence[str]) -> LearningItemRow | None:
        before = self.log.count
        cells = self.cells
        log = self.log
        cells.screen(values)
        key = cells.text(row, _KEY, values[0])
        if SEPARATOR in key:
            log.add(row, _KEY.name, key, KEY_SEPARATOR_RULE)
            key = ""
        title = cells.text(row, _TITLE, values[1])
        provider = cells.text(row, _PROVIDER, values[2])
        item_format = cells.choice(row, _FORMAT, values[3], LEARNING_FORMATS, "learning format")
        hours_text = cells.text(row, _HOURS, values[4])
        hours = parse_hours(hours_text) if hours_text else None
        if hours_text and hours is None:
            log.add(row, _HOURS.name, hours_text, HOURS_RULE)
        cost_text = cells.text(row, _COST, values[5])
        cost = parse_cost(cost_text) if cost_text else 0
        if cost is None:
            log.add(row, _COST.name, cost_text, COST_RULE)
        framework = cells.text(row, _FRAMEWORK, values[6])
        teaches_text = cells.text(row, _TEACHES, values[7])
        teaches, framework_used = self._teaches(row, framework, teaches_text)
        prerequisites = self._prerequisites(row, key, cells.text(row, _PREREQUISITES, values[8]))
        url = cells.text(row, _URL, values[9])
        if url and not _URL_SHAPE.fullmatch(url):
            log.add(row, _URL.name, url, URL_RULE)
        description = cells.text(row, _DESCRIPTION, values[10])
        if key:
            first = self.rows_of.get(key)
            if first is not None:
                log.add(row, _KEY.name, key, f"duplicate key: already on row {first}")
            else:
                self.rows_of[key] = row
                self.requires[key] = prerequisites
        if log.count != before or hours is None or cost is None:
            return None
        return LearningItemRow(
            row,
            key,
            title,
            provider,
            item_format,
            hours,
            cost,
            framework_used,
            teaches,
            prerequisites,
            url or None,
            description,
        )

    def _teaches(
        self, row: int, framework: str, text: str
    ) -> tuple[tuple[tuple[int, SkillLevel], ...], str | None]:
        log = self.log
        column = _TEACHES.name
        if not text:
            if framework:  # still say so when it names no version, even with nothing to refer to
                self.lookups.framework(row, _FRAMEWORK.name, framework, log)
            return (), None
        keys = self.lookups.framework(row, _FRAMEWORK.name, framework, log)
        chosen = framework or self.lookups.default_framework
        taught: dict[int, SkillLevel] = {}
        for entry in split_list(text):
            skill, colon, level_text = entry.rpartition(":")
            skill, level_text = skill.strip(), level_text.strip()
            if not colon or not skill or not level_text:
                log.add(row, column, entry, TEACHES_SHAPE_RULE)
                continue
            level = parse_level(level_text)
            if level is None:
                log.add(row, column, entry, f"level {level_text!r} {LEVEL_RULE}")
            if keys is None:
                continue
            skill_id = keys.skills.get(skill)
            if skill_id is None:
                log.add(row, column, skill, f"refers to no skill of the framework {chosen!r}")
            elif skill_id in taught:
                log.add(row, column, skill, "names the same skill twice")
            elif level is not None:
                taught[skill_id] = level
        return tuple(taught.items()), chosen

    def _prerequisites(self, row: int, key: str, text: str) -> tuple[str, ...]:
        required: list[str] = []
        for other in split_list(text):
            if other == key:
                self.log.add(row, _PREREQUISITES.name, other, "an item cannot require itself")
            elif other in required:
                self.log.add(row, _PREREQUISITES.name, other, "names the same item twice")
            else:
                required.append(other)
                if other not in self.stored_items and other not in self.rows_of:
                    self._pending.append((row, other))  # it may still be a later row
        return tuple(required)

    def finish(self) -> None:
        for row, other in self._pending:
            if other not in self.rows_of:
                self.log.add(row, _PREREQUISITES.name, other, "refers to no learning item")
        for cycle in find_prerequisite_cycles(self.requires, self.stored_prerequisites):
            members = [k for k in cycle if k in self.rows_of]
            if not members:  # a loop the store held already; this file did not make it
                continue
            first = min(members, key=self.rows_of.__getitem__)
            at = cycle.index(first)
            self.log.add(
                self.rows_of[first],
                _PREREQUISITES.name,
                "; ".join(self.requires[first]),
                f"{CYCLE_RULE}: {describe_cycle((*cycle[at:], *cycle[:at]))}",
            )


def find_prerequisite_cycles(
    requires: Mapping[Item, Sequence[Item]],
    stored: Callable[[Item], Sequence[Item]] = _no_prerequisites,
) -> list[tuple[Item, ...]]:
    """Cycles through the items of `requires`, in the order first met; none if and only if the
    prerequisites are acyclic.

    `requires` maps an item to the items it requires; `stored(key)` gives the requirements of an
    item `requires` does not mention, so a cycle closed through stored items is found too. A
    depth-first search from each item in turn reports the cycle each back edge closes, in time
    linear in items plus prerequisites. Every reported cycle is real, and whenever there is a
    cycle at least one is reported (not necessarily every one: fixing them and checking again
    finds the rest).
    """
    on_path: dict[Item, int] = {}  # item -> its position on the current path
    done: set[Item] = set()
    cycles: list[tuple[Item, ...]] = []

    def needs(key: Item) -> Sequence[Item]:
        return requires[key] if key in requires else stored(key)

    for start in requires:
        if start in done:
            continue
        path: list[Item] = [start]
        on_path[start] = 0
        # Each frame: the item and an iterator over what it requires.
        stack = [iter(needs(start))]
        while stack:
            following = next(stack[-1], None)
            if following is None:
                stack.pop()
                finished = path.pop()
                del on_path[finished]
                done.add(finished)
                continue
            if following in on_path:
                cycles.append(tuple(path[on_path[following] :]))
            elif following not in done:
                on_path[following] = len(path)
                path.append(following)
                stack.append(iter(needs(following)))
    return cycles


__all__ = [
    "CYCLE_RULE",
    "LEARNING_FORMATS",
    "LEARNING_ITEMS",
    "LearningItemRow",
    "LearningItemsCheck",
    "describe_cycle",
    "find_prerequisite_cycles",
    "format_cost",
    "format_hours",
    "parse_cost",
    "parse_hours",
    "split_list",
]
