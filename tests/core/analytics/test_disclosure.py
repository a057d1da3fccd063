"""Disclosure control: no suppressed count can be worked out from what a table shows.

The oracles are independent of the method: linear algebra (a hidden value is recoverable by
differencing exactly when its weights lie in the span of the shown values' weights) and linear
programming (the range a hidden value can take given the shown values and counts >= 0).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import linprog

from mobilise.core.analytics.disclosure import (
    CountTable,
    ProtectedTable,
    determined,
    protect,
)
from mobilise.core.analytics.series import consecutive_changes, protect_series
from mobilise.core.problems import InvalidInput

Matrix = npt.NDArray[np.float64]

counts = st.one_of(st.just(0), st.integers(1, 12), st.integers(10, 300))


@st.composite
def tables(draw: st.DrawFn) -> CountTable:
    rows = draw(st.integers(1, 6))
    columns = draw(st.integers(1, 6))
    cells = draw(arrays(np.int64, (rows, columns), elements=counts))
    return CountTable(
        cells=cells,
        row_totals_shown=draw(st.booleans()),
        column_totals_shown=draw(st.booleans()),
        grand_total_shown=draw(st.booleans()),
    )


def quantities(table: CountTable) -> list[tuple[str, Matrix, bool]]:
    """Every value the table could show: (name, weights over the cells, whether it is shown)."""
    rows, columns = table.cells.shape
    found: list[tuple[str, Matrix, bool]] = []
    for i in range(rows):
        for j in range(columns):
            w = np.zeros((rows, columns))
            w[i, j] = 1
            found.append((f"cell {i},{j}", w, True))
    for i in range(rows):
        w = np.zeros((rows, columns))
        w[i, :] = 1
        found.append((f"row total {i}", w, table.row_totals_shown))
    for j in range(columns):
        w = np.zeros((rows, columns))
        w[:, j] = 1
        found.append((f"column total {j}", w, table.column_totals_shown))
    found.append(("grand total", np.ones((rows, columns)), table.grand_total_shown))
    return found


def is_suppressed(protected: ProtectedTable, name: str) -> bool:
    kind, _, where = name.rpartition(" ")
    if name == "grand total":
        return protected.grand_total_suppressed
    if kind == "cell":
        i, j = (int(k) for k in where.split(","))
        return bool(protected.cell_suppressed[i, j])
    if kind == "row total":
        return bool(protected.row_total_suppressed[int(where)])
    return bool(protected.column_total_suppressed[int(where)])


def published(protected: ProtectedTable) -> list[Matrix]:
    return [
        w
        for name, w, shown in quantities(protected.table)
        if shown and not is_suppressed(protected, name)
    ]


def in_span(shown: list[Matrix], weights: Matrix) -> bool:
    if not shown:
        return not weights.any()
    a = np.array([w.ravel() for w in shown])
    return bool(np.linalg.matrix_rank(np.vstack([a, weights.ravel()])) == np.linalg.matrix_rank(a))


@given(tables(), st.integers(1, 15))
def test_every_count_below_the_threshold_is_hidden(table: CountTable, threshold: int) -> None:
    protected = protect(table, threshold)
    for name, w, shown in quantities(table):
        value = int((w * table.cells).sum())
        if shown and 0 < value < threshold:
            assert is_suppressed(protected, name), name
        if not shown:
            assert is_suppressed(protected, name), f"{name} is not to be published"
    assert (protected.primary <= protected.cell_suppressed).all()


@given(tables(), st.integers(1, 15))
def test_no_hidden_count_follows_from_the_shown_ones_by_differencing(
    table: CountTable, threshold: int
) -> None:
    protected = protect(table, threshold)
    shown = published(protected)
    for name, w, to_show in quantities(table):
        if to_show and is_suppressed(protected, name):
            assert not in_span(shown, w), f"{name} can be worked out from the shown values"


@settings(max_examples=60)
@given(tables(), st.integers(2, 15))
def test_every_hidden_count_could_be_one_more_or_one_less(
    table: CountTable, threshold: int
) -> None:
    """Even knowing counts are never negative, each hidden value has a range around it."""
    protected = protect(table, threshold)
    shown = published(protected)
    a_eq = np.array([w.ravel() for w in shown]) if shown else None
    b_eq = np.array([(w * table.cells).sum() for w in shown]) if shown else None
    for name, w, to_show in quantities(table):
        if not (to_show and is_suppressed(protected, name)):
            continue
        value = int((w * table.cells).sum())
        low = linprog(w.ravel(), A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-w.ravel(), A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0, name
        assert low.fun <= value - 1 + 1e-6, f"{name}={value} has lower bound {low.fun}"
        # Unbounded above is protection too (a hidden value with no shown total over it).
        assert high.status == 3 or -high.fun >= value + 1 - 1e-6, (
            f"{name}={value} has upper bound {-high.fun}"
        )


@given(tables(), st.integers(1, 15), st.data())
def test_a_derived_figure_is_determined_exactly_when_differencing_gives_it(
    table: CountTable, threshold: int, data: st.DataObject
) -> None:
    protected = protect(table, threshold)
    rows, columns = table.cells.shape
    weights = data.draw(arrays(np.int64, (rows + 1, columns + 1), elements=st.integers(-1, 1)))
    # The same figure over the cells: totals spread their weight over the cells they sum.
    over_cells = weights[:rows, :columns].astype(np.float64)
    over_cells += weights[:rows, columns][:, None]
    over_cells += weights[rows, :columns][None, :]
    over_cells += weights[rows, columns]
    assert determined(protected, weights) == in_span(published(protected), over_cells)


@given(
    arrays(np.int64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=st.integers(10, 500))
)
def test_a_table_without_small_counts_is_shown_whole(cells: npt.NDArray[np.int64]) -> None:
    protected = protect(CountTable(cells), 10)
    assert protected.suppressed_count == 0
    assert not protected.row_total_suppressed.any()
    assert protected.grand_total() == int(cells.sum())


def test_one_small_cell_in_a_row_hides_the_smallest_other_count_of_its_row_and_column() -> None:
    cells = np.array([[50, 3, 40], [60, 70, 20], [80, 90, 100]])
    protected = protect(CountTable(cells), 10)
    hidden = {tuple(int(k) for k in at) for at in np.argwhere(protected.cell_suppressed)}
    # The cheapest cycle through (0, 1): its row's 40, its column's 70, and 20 closing the square.
    assert hidden == {(0, 1), (0, 2), (1, 1), (1, 2)}
    assert protected.primary.sum() == 1
    assert protected.row_total(0) == 93
    assert protected.cell(0, 1) is None
    assert protected.cell(2, 2) == 100


def test_without_totals_only_the_small_counts_are_hidden() -> None:
    cells = np.array([[50, 3], [60, 70]])
    protected = protect(CountTable(cells, False, False, False), 10)
    assert protected.cell_suppressed.tolist() == [[False, True], [False, False]]


def test_a_small_total_is_hidden_with_its_cells() -> None:
    cells = np.array([[2, 3], [60, 70]])
    protected = protect(CountTable(cells), 10)
    assert protected.row_total(0) is None
    assert protected.cell(0, 0) is None
    assert protected.cell(0, 1) is None


def test_negative_counts_are_refused_naming_the_cell() -> None:
    with pytest.raises(InvalidInput, match=r"row 2, column '1': value '-4'"):
        protect(CountTable(np.array([[1, 2], [-4, 3]])), 10)


def test_a_threshold_below_one_is_refused() -> None:
    with pytest.raises(InvalidInput, match="threshold"):
        protect(CountTable(np.array([[1]])), 0)


@st.composite
def differences(draw: st.DrawFn, table: CountTable) -> list[Matrix]:
    """Random differences of two entries of the extended grid (a count less a count)."""
    rows, columns = table.cells.shape
    entries = [(i, j) for i in range(rows + 1) for j in range(columns + 1)]
    found = []
    for _ in range(draw(st.integers(0, 6))):
        a, b = draw(st.lists(st.sampled_from(entries), min_size=2, max_size=2, unique=True))
        w = np.zeros((rows + 1, columns + 1))
        w[a], w[b] = 1, -1
        found.append(w)
    return found


def over_cells(weights: Matrix, rows: int, columns: int) -> Matrix:
    """The same figure over the cells: totals spread their weight over the cells they sum."""
    spread = weights[:rows, :columns].astype(np.float64)
    spread += weights[:rows, columns][:, None]
    spread += weights[rows, :columns][None, :]
    spread += weights[rows, columns]
    return spread


def check_derived(protected: ProtectedTable, derived: list[Matrix], threshold: int) -> None:
    """Every derived figure a reader can work out is zero or at least the threshold, and the
    table's own promises still hold."""
    table = protected.table
    rows, columns = table.cells.shape
    shown = published(protected)
    for w in derived:
        cells = over_cells(w, rows, columns)
        value = int((cells * table.cells).sum())
        if in_span(shown, cells):
            assert value == 0 or abs(value) >= threshold, f"a derived figure of {value} is given"
    for name, w, to_show in quantities(table):
        value = int((w * table.cells).sum())
        if to_show and 0 < value < threshold:
            assert is_suppressed(protected, name), name
        if to_show and is_suppressed(protected, name):
            assert not in_span(shown, w), f"{name} can be worked out from the shown values"
            assert value > 0, f"{name} is hidden but zero"


@given(tables(), st.integers(1, 15), st.data())
def test_no_derived_difference_can_be_worked_out_below_the_threshold(
    table: CountTable, threshold: int, data: st.DataObject
) -> None:
    derived = data.draw(differences(table))
    check_derived(protect(table, threshold, derived=derived), derived, threshold)


@st.composite
def series(draw: st.DrawFn) -> CountTable:
    """Month-end snapshots: [in the group, everyone else] per month, moving by small steps."""
    months = draw(st.integers(2, 8))
    start = draw(arrays(np.int64, (2,), elements=st.integers(0, 60)))
    steps = draw(arrays(np.int64, (months - 1, 2), elements=st.integers(-12, 12)))
    cells = np.maximum(np.vstack([start, start + np.cumsum(steps, axis=0)]), 0)
    return CountTable(cells, column_totals_shown=False, grand_total_shown=False)


@given(series(), st.integers(1, 15))
def test_no_change_between_published_months_can_be_worked_out_below_the_threshold(
    table: CountTable, threshold: int
) -> None:
    protected = protect_series(table, threshold)
    rows, columns = table.cells.shape
    derived = []
    for column, earlier, later in consecutive_changes(protected):
        w = np.zeros((rows + 1, columns + 1))
        w[later, column], w[earlier, column] = 1, -1
        derived.append(w)
    check_derived(protected, derived, threshold)


def test_a_small_change_between_two_months_hides_the_earlier_month() -> None:
    cells = np.array([[300, 500], [303, 500], [340, 520]])
    table = CountTable(cells, column_totals_shown=False, grand_total_shown=False)
    plain = protect(table, 10)
    assert plain.suppressed_count == 0  # each month alone is safe, 303 - 300 is not
    protected = protect_series(table, 10)
    assert protected.cell(0, 0) is None
    assert protected.row_total(0) is None  # else 800 - 500 gives the 300 back
    assert protected.cell(1, 0) == 303
    assert protected.row_total(2) == 860


def test_a_derived_figure_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(InvalidInput, match="derived"):
        protect(CountTable(np.array([[20, 30]])), 10, derived=[np.zeros((2, 2))])
