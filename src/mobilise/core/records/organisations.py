"""Rules for rows of an organisations file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from mobilise.core.records.fields import Cells
from mobilise.core.records.hierarchy import describe_cycle, find_cycles
from mobilise.core.records.layouts import ORGANISATIONS
from mobilise.core.records.lookups import Lookups
from mobilise.core.records.problem_log import ProblemLog

MAX_HEADCOUNT = 10_000_000

_KEY, _NAME, _KIND, _REGION, _PARENT, _HEADCOUNT = ORGANISATIONS.columns


class OrganisationRow(NamedTuple):
    row: int
    key: str
    name: str
    kind: str
    region: str
    parent: str | None
    headcount: int | None


class OrganisationsCheck:
    """Feed rows in file order, then `finish()` for the rules that need the whole file."""

    def __init__(self, lookups: Lookups, log: ProblemLog) -> None:
        self.lookups = lookups
        self.log = log
        self.cells = Cells(log, ORGANISATIONS)
        self.rows_of: dict[str, int] = {}
        self.parents: dict[str, str | None] = {}
        self._pending: list[tuple[int, str]] = []

    def feed(self, row: int, values: Sequence[str]) -> OrganisationRow | None:
        before = self.log.count
        cells = self.cells
        cells.screen(values)
        key = cells.text(row, _KEY, values[0])
        name = cells.text(row, _NAME, values[1])
        kind = cells.choice(
            row, _KIND, values[2], self.lookups.organisation_kinds, "kind of organisation"
        )
        region = cells.choice(row, _REGION, values[3], self.lookups.regions, "region")
        parent = cells.text(row, _PARENT, values[4]) or None
        headcount = cells.integer(row, _HEADCOUNT, values[5], maximum=MAX_HEADCOUNT)
        if key:
            first = self.rows_of.get(key)
            if first is not None:
                self.log.add(row, _KEY.name, key, f"duplicate key: already on row {first}")
            else:
                self.rows_of[key] = row
                self.parents[key] = parent
        if parent is not None:
            if parent == key:
                self.log.add(row, _PARENT.name, parent, "an organisation cannot be its own parent")
            elif parent not in self.lookups.organisations and parent not in self.rows_of:
                self._pending.append((row, parent))
        if self.log.count != before:
            return None
        return OrganisationRow(row, key, name, kind, region, parent, headcount)

    def finish(self) -> None:
        for row, parent in self._pending:
            if parent not in self.rows_of:
                self.log.add(row, _PARENT.name, parent, "refers to no organisation")
        # A self-reference is reported on its row already; here it is treated as no parent.
        links = {k: (None if p == k else p) for k, p in self.parents.items()}
        for cycle in find_cycles(links, self.lookups.stored_parent):
            members = [k for k in cycle if k in self.rows_of]
            if not members:  # a loop the store held already; this file did not make it
                continue
            first = min(members, key=self.rows_of.__getitem__)
            self.log.add(
                self.rows_of[first],
                _PARENT.name,
                self.parents[first],
                f"parents form a cycle: {describe_cycle(cycle)}",
            )
