"""Published statistics: protected tables as rows of figures, for pages, the API and CSV files.

Every figure here has passed disclosure control (core/analytics/disclosure.py): a count is an
int, a share a float, and a suppressed figure None (shown as SUPPRESSED, "[c]").
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from mobilise.services.actors import Actor, Role
from mobilise.services.audit import NotPermitted

SUPPRESSED = "[c]"
Figure = int | float | None
STATISTICS_READERS = frozenset({Role.ANALYST, Role.SERVICE_ADMIN})


def check_reader(actor: Actor) -> None:
    """Statistics are for analysts and service admins (and the command line)."""
    if actor.account_id is not None and not (actor.roles & STATISTICS_READERS):
        raise NotPermitted("Workforce statistics are for analysts and service admins.")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "count"  # "count" or "share"


@dataclass(frozen=True)
class StatisticRow:
    key: str
    label: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class StatisticTable:
    """One published table: its rows (and totals row) under named columns."""

    key: str
    title: str
    row_heading: str
    columns: tuple[Column, ...]
    rows: tuple[StatisticRow, ...]
    totals: StatisticRow | None
    threshold: int
    notes: tuple[str, ...] = field(default=())

    @property
    def suppressed(self) -> int:
        rows = [*self.rows, *([self.totals] if self.totals else [])]
        return sum(figure is None for row in rows for figure in row.figures)

    def figure(self, row: StatisticRow, column_key: str) -> Figure:
        index = [c.key for c in self.columns].index(column_key)
        return row.figures[index]


def share(numerator: int | None, denominator: int | None) -> float | None:
    """A share is published only when both of its counts are."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def formatted(figure: Figure, kind: str) -> str:
    if figure is None:
        return SUPPRESSED
    if kind == "share":
        return f"{figure * 100:.1f}%"
    return f"{int(figure):,}"


def table_csv(table: StatisticTable) -> str:
    """The table as CSV: plain numbers (shares as fractions), [c] for suppressed figures."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([table.row_heading, *(column.label for column in table.columns)])
    rows = [*table.rows, *([table.totals] if table.totals else [])]
    for row in rows:
        writer.writerow(
            [
                row.label,
                *(
                    SUPPRESSED
                    if figure is None
                    else (f"{figure:.4f}" if column.kind == "share" else str(int(figure)))
                    for figure, column in zip(row.figures, table.columns, strict=True)
                ),
            ]
        )
    buffer.write(
        f"# Counts of people from 1 to {table.threshold - 1} and the counts that would reveal "
        f"them are shown as {SUPPRESSED} (docs/disclosure.md).\n"
    )
    return buffer.getvalue()
