"""Rules for rows of a people file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from mobilise.core.records.fields import Cells
from mobilise.core.records.hierarchy import LinkedKeys
from mobilise.core.records.layouts import PEOPLE
from mobilise.core.records.lookups import Lookups
from mobilise.core.records.problem_log import ProblemLog

(
    _KEY,
    _NAME,
    _EMAIL,
    _ORGANISATION,
    _GRADE,
    _REGION,
    _FRAMEWORK,
    _ROLE_LEVEL,
    _MANAGER,
    _STARTED,
    _LEFT,
) = PEOPLE.columns


class PersonRow(NamedTuple):
    row: int
    key: str
    display_name: str
    email: str | None
    organisation_id: int | None
    grade: str | None
    region: str | None
    role_level_id: int | None
    # A key, not an id: the manager may be a later row of the same file.
    manager: str | None
    started_on: date | None
    left_on: date | None


class PeopleCheck:
    """Feed rows in file order, then `finish()` for the rules that need the whole file."""

    def __init__(self, lookups: Lookups, log: ProblemLog) -> None:
        self.lookups = lookups
        self.log = log
        self.cells = Cells(log, PEOPLE)
        self.keys = LinkedKeys(
            log,
            _KEY.name,
            _MANAGER.name,
            known=lookups.people,
            stored_link=lookups.stored_manager,
            target="person",
            own_rule="a person cannot be their own manager",
            cycle_rule="managers form a cycle",
        )

    def feed(self, row: int, values: Sequence[str]) -> PersonRow | None:
        before = self.log.count
        cells = self.cells
        cells.screen(values)
        lookups = self.lookups
        key = cells.text(row, _KEY, values[0])
        name = cells.text(row, _NAME, values[1])
        email = cells.email(row, _EMAIL, values[2])
        organisation_id: int | None = None
        organisation = cells.text(row, _ORGANISATION, values[3])
        if organisation:
            organisation_id = lookups.organisations.get(organisation)
            if organisation_id is None:
                self.log.add(row, _ORGANISATION.name, organisation, "refers to no organisation")
        grade = cells.choice(row, _GRADE, values[4], lookups.grades, "grade") or None
        region = cells.choice(row, _REGION, values[5], lookups.regions, "region") or None
        framework = cells.text(row, _FRAMEWORK, values[6])
        role_level_id: int | None = None
        role_level = cells.text(row, _ROLE_LEVEL, values[7])
        if role_level or framework:
            keys = lookups.framework(row, _FRAMEWORK.name, framework, self.log)
            if keys is not None and role_level:
                role_level_id = keys.role_levels.get(role_level)
                if role_level_id is None:
                    self.log.add(
                        row,
                        _ROLE_LEVEL.name,
                        role_level,
                        "refers to no role level of the framework",
                    )
        manager = cells.text(row, _MANAGER, values[8]) or None
        started_on = cells.date(row, _STARTED, values[9])
        left_on = cells.date(row, _LEFT, values[10])
        cells.order(row, _LEFT, started_on, left_on, "started_on")
        self.keys.record(row, key, manager)
        if self.log.count != before:
            return None
        return PersonRow(
            row,
            key,
            name,
            email,
            organisation_id,
            grade,
            region,
            role_level_id,
            manager,
            started_on,
            left_on,
        )

    def finish(self) -> None:
        self.keys.finish()
