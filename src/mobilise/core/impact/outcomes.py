"""Disclosure control for counts of participants who reached an outcome, per cohort.

Each outcome splits each cohort's participants in two (reached it, did not), so its table is
cohorts × {reached, not reached} with the participants as row totals and the programme's
participants as the grand total — the same totals in every outcome's table. Each table is
protected by the analytics core (core/analytics/disclosure.py): so "did not reach" is a count
like any other and nothing hidden can be worked out by differencing. A total hidden in one
table is hidden in all (the `hide` of protect), repeated until no table hides more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mobilise.core.analytics import CountTable, protect
from mobilise.core.problems import InvalidInput, Problem

Counts = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ShownOutcomes:
    """What may be published: None where a count is suppressed."""

    participants: list[int | None]
    total: int | None
    reached: dict[str, list[int | None]]
    reached_total: dict[str, int | None]


def protect_outcomes(
    participants: npt.ArrayLike, reached: Mapping[str, npt.ArrayLike], threshold: int
) -> ShownOutcomes:
    people = np.asarray(participants, dtype=np.int64)
    rows = people.size
    tables: dict[str, Counts] = {}
    for name, counts in reached.items():
        got = np.asarray(counts, dtype=np.int64)
        if got.shape != people.shape or (got > people).any() or (got < 0).any():
            raise InvalidInput(
                [Problem("outcomes", None, name, str(got.tolist()), "must be 0..participants")]
            )
        tables[name] = np.stack([got, people - got], axis=1)
    if not tables:
        # With no outcome, the participants alone: one column, so its totals equal its cells.
        tables[""] = people.reshape(rows, 1)
    # Hidden totals shared by every table: the participants per cohort and the grand total.
    hide = np.zeros((rows + 1, 3), dtype=bool)
    while True:
        results = {}
        for name, cells in tables.items():
            width = cells.shape[1]
            forced = np.zeros((rows + 1, width + 1), dtype=bool)
            forced[:, width] = hide[:, 2]
            results[name] = protect(CountTable(cells), threshold, hide=forced)
        hidden = hide.copy()
        for result in results.values():
            hidden[:rows, 2] |= result.row_total_suppressed
            hidden[rows, 2] |= result.grand_total_suppressed
        if (hidden == hide).all():
            break
        hide = hidden
    shown_people = [None if hide[r, 2] else int(people[r]) for r in range(rows)]
    total = None if hide[rows, 2] else int(people.sum())
    return ShownOutcomes(
        participants=shown_people,
        total=total,
        reached={
            name: [result.cell(r, 0) for r in range(rows)]
            for name, result in results.items()
            if name
        },
        reached_total={name: result.column_total(0) for name, result in results.items() if name},
    )
