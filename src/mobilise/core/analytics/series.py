"""Disclosure control for a series of snapshots: counts of people at successive month ends.

Each month is a row of the table (its groups, with the row total: everyone counted that month).
A month alone is protected like any table, but the change between two published months of the
same column is a count of people too — the joiners less the leavers — and a small one tells a
reader that a handful of people joined or left. So every difference between consecutive
published values of a column (totals column included) is a derived figure of the table
(core/analytics/disclosure.py): zero or at least the threshold, or the earlier month is
suppressed (the whole month), and then its neighbours become consecutive and are checked in turn.

This is suppression, not rounding: the figures stay exact where shown, like every other table of
the service, and the same cycle test proves that no hidden month can be worked out
(docs/disclosure.md says why rounding was not chosen).
"""

from __future__ import annotations

import itertools

import numpy as np

from mobilise.core.analytics.disclosure import CountTable, ProtectedTable, protect

# (column of the extended grid, earlier row, later row)
Change = tuple[int, int, int]


def _shown(protected: ProtectedTable, column: int) -> list[int]:
    rows, columns = protected.table.cells.shape
    if column == columns:
        return [i for i in range(rows) if not protected.row_total_suppressed[i]]
    return [i for i in range(rows) if not protected.cell_suppressed[i, column]]


def consecutive_changes(protected: ProtectedTable) -> set[Change]:
    """Each column's pairs of consecutive published months."""
    columns = protected.table.cells.shape[1]
    found: set[Change] = set()
    for column in range(columns + 1):
        if column == columns and not protected.table.row_totals_shown:
            continue
        shown = _shown(protected, column)
        found |= {(column, a, b) for a, b in itertools.pairwise(shown)}
    return found


def protect_series(table: CountTable, threshold: int) -> ProtectedTable:
    """Protect the months, then suppress the earlier month of every change between consecutive
    published months that is below the threshold (the whole month: its groups and total), until
    none is. The latest small change goes first, so the latest month (a target's current value)
    stays where it can; a month suppressed stays suppressed, so the loop ends."""
    rows, columns = table.cells.shape
    values = np.zeros((rows, columns + 1), dtype=np.int64)
    values[:, :columns] = table.cells
    values[:, columns] = table.cells.sum(axis=1)
    suppressed = np.zeros(rows, dtype=bool)
    while True:
        hide = np.zeros((rows + 1, columns + 1), dtype=bool)
        hide[:rows][suppressed] = True
        protected = protect(table, threshold, hide=hide)
        small = sorted(
            (
                (later, earlier)
                for column, earlier, later in consecutive_changes(protected)
                if 0 < abs(int(values[later, column] - values[earlier, column])) < threshold
            ),
            reverse=True,
        )
        if not small:
            return protected
        going: set[int] = set()
        for later, earlier in small:
            # A month about to go cannot settle a change it is the later month of: wait for the
            # next round, where its earlier neighbour meets the next published month instead.
            if later not in going:
                going.add(earlier)
        suppressed[sorted(going)] = True
