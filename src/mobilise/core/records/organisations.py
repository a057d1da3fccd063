"""Rules for rows of an organisations file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from mobilise.core.records.fields import Cells
from mobilise.core.records.hierarchy import LinkedKeys
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
        self.keys = LinkedKeys(
            log,
            _KEY.name,
            _PARENT.name,
            known=lookups.organisations,
            stored_link=lookups.stored_parent,
            target="organisation",
            own_rule="an organisation cannot be its own parent",
            cycle_rule="parents form a cycle",
        )

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
        self.keys.record(row, key, parent)
        if self.log.count != before:
            return None
        return OrganisationRow(row, key, name, kind, region, parent, headcount)

    def finish(self) -> None:
        self.keys.finish()
