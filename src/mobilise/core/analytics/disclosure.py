"""Disclosure control for tables counting people: primary and secondary cell suppression.

A table is a grid of counts with, optionally, its row totals, column totals and grand total. Every
shown count of people from 1 to `threshold - 1` is suppressed (primary suppression). Secondary
(complementary) suppression then hides further counts until no suppressed value can be worked out
from the values shown, by differencing totals or by any other linear combination of them.

The method (docs/disclosure.md): extend the grid by a totals row and a totals column. With the
totals' signs flipped, every row and every column of the extended grid sums to zero. Draw a
bipartite graph whose vertices are the extended rows and columns and whose edges are the unknown
entries (suppressed values, and totals that are not shown at all). The shown values fix every
vertex's sum of unknowns; the unknowns that solve this are the actual values plus any circulation
around a cycle of the graph. So a suppressed value is determined exactly when its edge lies on no
cycle (a bridge), and otherwise it can move by ±1 along a cycle. Secondary suppression closes a
cycle through every bridge along the cheapest path of shown, non-zero values (Dijkstra, cost = the
value, so small cells are hidden before large ones); because every hidden value is then positive,
moving by ±1 keeps every value non-negative, so even knowing that counts are never negative the
reader cannot pin any hidden value to fewer than three possibilities.

Zeros are shown (they are not people) and never hidden as complements.

Derived figures (docs/disclosure.md, rule 8): a difference of two published counts is itself a
count when one group contains the other (all participants less those who consented), and the
change between two months of a series is a net count of joiners and leavers. Such a figure, given
as a weighting of the extended grid, must be zero or at least the threshold wherever the shown
values determine it (its weighted signature over the cycle basis is zero); if not, one of its
entries is hidden on a cycle that passes none of its others, so the figure changes along it.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mobilise.core.problems import InvalidInput, Problem

CountArray = npt.NDArray[np.int64]
MaskArray = npt.NDArray[np.bool_]

PROBLEM_SOURCE = "table"
# An edge of the extended grid: (row, column), where row == rows means the totals row and
# column == columns the totals column.
Entry = tuple[int, int]


@dataclass(frozen=True)
class CountTable:
    """Counts of people in a grid (rows × columns), and which totals are shown beside it.

    Totals not shown are not published at all; they need no protection but neither can they be
    used to work anything out.
    """

    cells: CountArray
    row_totals_shown: bool = True
    column_totals_shown: bool = True
    grand_total_shown: bool = True

    @property
    def row_totals(self) -> CountArray:
        totals: CountArray = self.cells.sum(axis=1)
        return totals

    @property
    def column_totals(self) -> CountArray:
        totals: CountArray = self.cells.sum(axis=0)
        return totals

    @property
    def grand_total(self) -> int:
        return int(self.cells.sum())


@dataclass(frozen=True)
class ProtectedTable:
    """A table with what may be shown: masks are True where a value is suppressed.

    `primary` marks cells below the threshold; the other suppressed cells are complements.
    Totals that were not to be shown are reported as suppressed too (they are never published).
    """

    table: CountTable
    threshold: int
    cell_suppressed: MaskArray
    row_total_suppressed: MaskArray
    column_total_suppressed: MaskArray
    grand_total_suppressed: bool
    primary: MaskArray

    def cell(self, row: int, column: int) -> int | None:
        """The value to publish, or None where it is suppressed."""
        if self.cell_suppressed[row, column]:
            return None
        return int(self.table.cells[row, column])

    def row_total(self, row: int) -> int | None:
        if self.row_total_suppressed[row]:
            return None
        return int(self.table.row_totals[row])

    def column_total(self, column: int) -> int | None:
        if self.column_total_suppressed[column]:
            return None
        return int(self.table.column_totals[column])

    def grand_total(self) -> int | None:
        return None if self.grand_total_suppressed else self.table.grand_total

    @property
    def suppressed_count(self) -> int:
        return int(self.cell_suppressed.sum())


def _check(table: CountTable, threshold: int) -> None:
    problems: list[Problem] = []
    if threshold < 1:
        problems.append(
            Problem(PROBLEM_SOURCE, None, "threshold", str(threshold), "must be at least 1")
        )
    cells = table.cells
    if cells.ndim != 2:
        problems.append(
            Problem(PROBLEM_SOURCE, None, None, str(cells.shape), "must be a two-way grid")
        )
    elif cells.size and int(cells.min()) < 0:
        row, column = (int(i) for i in np.argwhere(cells < 0)[0])
        problems.append(
            Problem(
                PROBLEM_SOURCE,
                row + 1,
                str(column + 1),
                str(int(cells[row, column])),
                "counts of people cannot be negative",
            )
        )
    if problems:
        raise InvalidInput(problems)


def _sensitive(values: CountArray, threshold: int) -> MaskArray:
    mask: MaskArray = (values > 0) & (values < threshold)
    return mask


class _Grid:
    """The extended grid: values, which entries are unknown, and which must stay hidden."""

    def __init__(self, table: CountTable) -> None:
        cells = table.cells.astype(np.int64)
        rows, columns = cells.shape
        self.rows = rows
        self.columns = columns
        values = np.zeros((rows + 1, columns + 1), dtype=np.int64)
        values[:rows, :columns] = cells
        values[:rows, columns] = cells.sum(axis=1)
        values[rows, :columns] = cells.sum(axis=0)
        values[rows, columns] = cells.sum()
        self.values = values
        # Entries not published at all: unknown to the reader, but nothing to protect.
        self.absent = np.zeros_like(values, dtype=bool)
        self.absent[:rows, columns] = not table.row_totals_shown
        self.absent[rows, :columns] = not table.column_totals_shown
        self.absent[rows, columns] = not table.grand_total_shown
        self.hidden = np.zeros_like(values, dtype=bool)

    def unknown(self) -> MaskArray:
        mask: MaskArray = self.hidden | self.absent
        return mask

    def _adjacency(self) -> list[list[tuple[int, Entry]]]:
        """Vertices 0..rows are the extended rows, rows+1.. the extended columns."""
        offset = self.rows + 1
        adjacency: list[list[tuple[int, Entry]]] = [[] for _ in range(offset + self.columns + 1)]
        for row, column in zip(*np.nonzero(self.unknown()), strict=True):
            entry = (int(row), int(column))
            adjacency[entry[0]].append((offset + entry[1], entry))
            adjacency[offset + entry[1]].append((entry[0], entry))
        return adjacency

    def bridges(self) -> list[Entry]:
        """Hidden entries on no cycle of unknowns: the reader can work these out exactly."""
        adjacency = self._adjacency()
        order = [-1] * len(adjacency)
        low = [0] * len(adjacency)
        found: list[Entry] = []
        counter = 0
        for root in range(len(adjacency)):
            if order[root] >= 0:
                continue
            order[root] = low[root] = counter
            counter += 1
            # Iterative depth-first search: (vertex, entry used to reach it, neighbour iterator).
            stack: list[tuple[int, Entry | None, Iterator[tuple[int, Entry]]]] = [
                (root, None, iter(adjacency[root]))
            ]
            while stack:
                vertex, via, neighbours = stack[-1]
                advanced = False
                for neighbour, entry in neighbours:
                    if entry == via:
                        continue
                    if order[neighbour] < 0:
                        order[neighbour] = low[neighbour] = counter
                        counter += 1
                        stack.append((neighbour, entry, iter(adjacency[neighbour])))
                        advanced = True
                        break
                    low[vertex] = min(low[vertex], order[neighbour])
                if advanced:
                    continue
                stack.pop()
                if stack and via is not None:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[vertex])
                    if low[vertex] > order[parent] and self.hidden[via]:
                        found.append(via)
        return sorted(found)

    def cheapest_cycle_through(
        self, through: Entry, avoid: frozenset[Entry] = frozenset()
    ) -> list[Entry] | None:
        """Shown, positive entries to hide so that `through` lies on a cycle of unknowns that
        passes none of the entries in `avoid` (None: there is no such cycle).

        Dijkstra from the entry's row vertex to its column vertex over every other entry: unknown
        entries cost nothing, shown positive ones their value (plus one, so that fewer cells are
        preferred among equals); zeros are never used.
        """
        offset = self.rows + 1
        vertices = offset + self.columns + 1
        start, goal = through[0], offset + through[1]
        unknown = self.unknown()
        usable = unknown | (self.values > 0)
        distance = [float("inf")] * vertices
        previous: list[tuple[int, Entry] | None] = [None] * vertices
        distance[start] = 0.0
        queue: list[tuple[float, int]] = [(0.0, start)]
        while queue:
            spent, vertex = heapq.heappop(queue)
            if spent > distance[vertex]:
                continue
            if vertex == goal:
                break
            if vertex < offset:
                steps = ((offset + column, (vertex, column)) for column in range(self.columns + 1))
            else:
                steps = ((row, (row, vertex - offset)) for row in range(self.rows + 1))
            for neighbour, entry in steps:
                if entry == through or entry in avoid or not usable[entry]:
                    continue
                cost = 0.0 if unknown[entry] else float(self.values[entry]) + 1.0
                if spent + cost < distance[neighbour]:
                    distance[neighbour] = spent + cost
                    previous[neighbour] = (vertex, entry)
                    heapq.heappush(queue, (spent + cost, neighbour))
        if previous[goal] is None:
            return None
        path: list[Entry] = []
        vertex = goal
        while vertex != start:
            step = previous[vertex]
            assert step is not None
            vertex, entry = step
            if not unknown[entry]:
                path.append(entry)
        return path

    def close_every_bridge(self) -> None:
        """Secondary suppression: hide complements until no hidden entry is a bridge."""
        while True:
            bridges = self.bridges()
            if not bridges:
                return
            # One cycle at a time: closing one may close others, so look again afterwards.
            path = self.cheapest_cycle_through(bridges[0])
            if path is None:
                # Cannot happen for a hidden positive value (its row and column totals, and the
                # grand total, are positive and form such a path); kept as a loud guard.
                raise RuntimeError(f"no complement closes a cycle through {bridges[0]}")
            for entry in path:
                self.hidden[entry] = True

    def signatures(self) -> npt.NDArray[np.float64]:
        """How each entry's actual value changes along each basis circulation of the unknowns
        (one row per entry of the flattened extended grid): a weighted sum of values follows
        from the shown ones exactly when its weighted sum of signatures is zero."""
        found = _changes_of(self.unknown())
        if not found:
            return np.zeros((self.values.size, 0))
        return np.stack([change.ravel() for change in found], axis=1)

    def breaches(self, derived: _Derived, threshold: int) -> list[int]:
        """The derived figures that the shown values determine and that count 1 to
        `threshold - 1` people (in either direction: a change can be negative)."""
        if not derived.count:
            return []
        flat = self.values.ravel().astype(np.float64)
        values = np.zeros(derived.count)
        np.add.at(values, derived.figure, derived.weight * flat[derived.entry])
        signatures = self.signatures()
        change = np.zeros((derived.count, signatures.shape[1]))
        np.add.at(change, derived.figure, derived.weight[:, None] * signatures[derived.entry])
        known = np.abs(change).max(axis=1, initial=0.0) <= 1e-9
        small = (np.abs(values) > 0.5) & (np.abs(values) < threshold - 0.5)
        return [int(i) for i in np.nonzero(known & small)[0]]

    def separate(self, derived: _Derived, breaches: list[int]) -> None:
        """Make each breached figure undetermined: hide one of its entries on a cycle of unknowns
        that passes none of its other entries, so that the figure changes along that cycle.

        The entry hidden is a subtracted one if there is one (the earlier month of a change, the
        subgroup of a difference), else the smallest; a figure sharing an entry with one already
        dealt with in this pass waits for the next (the first may have settled it)."""
        touched: set[Entry] = set()
        hid = False
        for figure in breaches:
            entries = derived.entries_of(figure, self.columns + 1)
            if touched & set(entries):
                continue
            weights = derived.weights_of(figure)
            order = sorted(
                range(len(entries)),
                key=lambda k: (weights[k] > 0, int(self.values[entries[k]])),
            )
            for k in order:
                chosen = entries[k]
                if not self.unknown()[chosen] and self.values[chosen] <= 0:
                    continue  # zeros are never hidden
                path = self.cheapest_cycle_through(chosen, frozenset(entries) - {chosen})
                if path is None:
                    continue
                for entry in [chosen, *path]:
                    if not self.unknown()[entry]:
                        self.hidden[entry] = True
                        hid = True
                touched |= set(entries)
                break
        if not hid:
            raise RuntimeError("no suppression makes the derived figures undetermined")


@dataclass(frozen=True)
class _Derived:
    """Derived figures as a sparse matrix over the flattened extended grid (figure, entry,
    weight): most of them are differences of two entries."""

    figure: npt.NDArray[np.int64]
    entry: npt.NDArray[np.int64]
    weight: npt.NDArray[np.float64]
    count: int

    def entries_of(self, figure: int, width: int) -> list[Entry]:
        chosen = self.entry[self.figure == figure]
        return [(int(e) // width, int(e) % width) for e in chosen]

    def weights_of(self, figure: int) -> list[float]:
        return [float(w) for w in self.weight[self.figure == figure]]


def _derived(derived: Sequence[npt.ArrayLike], shape: tuple[int, int]) -> _Derived:
    figures, entries, weights = [], [], []
    for number, weights_of in enumerate(derived):
        w = np.asarray(weights_of, dtype=np.float64)
        if w.shape != shape:
            raise InvalidInput(
                [
                    Problem(
                        PROBLEM_SOURCE,
                        number + 1,
                        "derived",
                        str(w.shape),
                        f"must have the extended grid's shape {shape}",
                    )
                ]
            )
        (found,) = np.nonzero(w.ravel())
        figures.append(np.full(found.size, number, dtype=np.int64))
        entries.append(found.astype(np.int64))
        weights.append(w.ravel()[found])
    if not figures:
        empty = np.zeros(0, dtype=np.int64)
        return _Derived(empty, empty, np.zeros(0), 0)
    return _Derived(
        np.concatenate(figures), np.concatenate(entries), np.concatenate(weights), len(figures)
    )


def protect(
    table: CountTable,
    threshold: int,
    *,
    derived: Sequence[npt.ArrayLike] = (),
    hide: MaskArray | None = None,
) -> ProtectedTable:
    """Suppress counts below `threshold`, then complements until no hidden count is recoverable.

    `derived` are further figures that count people — a difference of two nested counts (all
    participants less those who consented), a change between two months of a series — each a
    weighting of the extended grid (rows + 1, columns + 1) as in `determined`. Wherever the shown
    values give one of them, it too must be zero or at least the threshold (either sign);
    otherwise further values are hidden until the shown ones no longer give it.

    `hide` marks entries of the extended grid to hide whatever their value (positive ones only):
    a total shared with another table on the page that the other table hides.
    """
    _check(table, threshold)
    grid = _Grid(table)
    rows, columns = grid.rows, grid.columns
    figures = _derived(derived, (rows + 1, columns + 1))
    shown = ~grid.absent
    primary_extended = _sensitive(grid.values, threshold) & shown
    grid.hidden |= primary_extended
    if hide is not None:
        forced = np.asarray(hide, dtype=bool)
        if forced.shape != grid.values.shape:
            raise InvalidInput(
                [
                    Problem(
                        PROBLEM_SOURCE,
                        None,
                        "hide",
                        str(forced.shape),
                        f"must have the extended grid's shape {grid.values.shape}",
                    )
                ]
            )
        grid.hidden |= forced & shown & (grid.values > 0)
    while True:
        grid.close_every_bridge()
        breaches = grid.breaches(figures, threshold)
        if not breaches:
            break
        grid.separate(figures, breaches)
    unknown = grid.unknown()
    return ProtectedTable(
        table=table,
        threshold=threshold,
        cell_suppressed=unknown[:rows, :columns].copy(),
        row_total_suppressed=unknown[:rows, columns].copy(),
        column_total_suppressed=unknown[rows, :columns].copy(),
        grand_total_suppressed=bool(unknown[rows, columns]),
        primary=primary_extended[:rows, :columns].copy(),
    )


def _circulations(unknown: MaskArray) -> Iterator[dict[Entry, int]]:
    """A basis of the ways the unknown entries can change together with every line's sum kept:
    one fundamental cycle of the unknown-entry graph per entry outside a spanning forest, with
    alternating +1/-1 on the sign-flipped extended grid."""
    rows, columns = unknown.shape[0] - 1, unknown.shape[1] - 1
    offset = rows + 1
    adjacency: list[list[tuple[int, Entry]]] = [[] for _ in range(offset + columns + 1)]
    for row, column in zip(*np.nonzero(unknown), strict=True):
        entry = (int(row), int(column))
        adjacency[entry[0]].append((offset + entry[1], entry))
        adjacency[offset + entry[1]].append((entry[0], entry))
    parent: list[tuple[int, Entry] | None] = [None] * len(adjacency)
    depth = [-1] * len(adjacency)
    tree: set[Entry] = set()
    for root in range(len(adjacency)):
        if depth[root] >= 0:
            continue
        depth[root] = 0
        frontier = [root]
        while frontier:
            vertex = frontier.pop()
            for neighbour, entry in adjacency[vertex]:
                if depth[neighbour] < 0:
                    depth[neighbour] = depth[vertex] + 1
                    parent[neighbour] = (vertex, entry)
                    tree.add(entry)
                    frontier.append(neighbour)
    for row, column in zip(*np.nonzero(unknown), strict=True):
        closing = (int(row), int(column))
        if closing in tree:
            continue
        # Walk both ends up to their common ancestor; signs alternate along the cycle.
        u, v = closing[0], offset + closing[1]
        left: list[Entry] = []
        right: list[Entry] = []
        while u != v:
            if depth[u] >= depth[v]:
                step = parent[u]
                assert step is not None
                u, entry = step
                left.append(entry)
            else:
                step = parent[v]
                assert step is not None
                v, entry = step
                right.append(entry)
        cycle = [closing, *right, *reversed(left)]
        yield {entry: 1 if k % 2 == 0 else -1 for k, entry in enumerate(cycle)}


def _actual_sign(entry: Entry, rows: int, columns: int) -> int:
    """Totals enter the zero-sum extended grid negated, the grand total and cells as they are."""
    is_total_row, is_total_column = entry[0] == rows, entry[1] == columns
    return -1 if is_total_row != is_total_column else 1


def determined(protected: ProtectedTable, weights: npt.ArrayLike) -> bool:
    """Whether a weighted sum of the table's values follows from the values shown.

    `weights` has the shape of the extended grid (rows + 1, columns + 1): the last column weighs
    row totals, the last row column totals, the corner the grand total. A derived figure (another
    table on the same page: a cumulative count, a difference, a share) may be published exactly
    when it is determined, for then it tells the reader nothing they could not work out already.
    """
    w = np.asarray(weights, dtype=np.float64)
    rows, columns = protected.table.cells.shape
    if w.shape != (rows + 1, columns + 1):
        raise InvalidInput(
            [
                Problem(
                    PROBLEM_SOURCE,
                    None,
                    "weights",
                    str(w.shape),
                    f"must have the extended grid's shape {(rows + 1, columns + 1)}",
                )
            ]
        )
    return all(abs(float((w * change).sum())) <= 1e-9 for change in _changes(protected))


def _changes(protected: ProtectedTable) -> list[npt.NDArray[np.float64]]:
    """The basis circulations as changes of the actual values over the extended grid (cached)."""
    cached: list[npt.NDArray[np.float64]] | None = getattr(protected, "_changes", None)
    if cached is not None:
        return cached
    rows, columns = protected.table.cells.shape
    unknown = np.zeros((rows + 1, columns + 1), dtype=bool)
    unknown[:rows, :columns] = protected.cell_suppressed
    unknown[:rows, columns] = protected.row_total_suppressed
    unknown[rows, :columns] = protected.column_total_suppressed
    unknown[rows, columns] = protected.grand_total_suppressed
    found = _changes_of(unknown)
    # A frozen dataclass still takes a private attribute through object.__setattr__.
    object.__setattr__(protected, "_changes", found)
    return found


def _changes_of(unknown: MaskArray) -> list[npt.NDArray[np.float64]]:
    rows, columns = unknown.shape[0] - 1, unknown.shape[1] - 1
    found = []
    for cycle in _circulations(unknown):
        change = np.zeros((rows + 1, columns + 1))
        for entry, sign in cycle.items():
            change[entry] = sign * _actual_sign(entry, rows, columns)
        found.append(change)
    return found
