"""A programme's funnel as the programmes page and the target page publish it — each intake's
and the totals' applied, selected, accepted, completed and moved, and the participants so far at
each month an intake started — gives away no count of people below the threshold.

The oracle is linear algebra over the funnel's exclusive-stage cells: every count the page could
let a reader work out (a cell, a cumulative stage of an intake or of all of them, the
participants of the intakes started between two months) is, if the published figures give it,
zero or at least the threshold; and a figure left out cannot be worked out.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mobilise.core.analytics import determined
from mobilise.services.analytics.programmes import protect_funnel

Vector = npt.NDArray[np.float64]
counts = st.one_of(st.just(0), st.integers(1, 12), st.integers(10, 120))
STAGES = 5
PARTICIPANT = 2


def in_span(shown: list[Vector], weights: Vector) -> bool:
    if not shown:
        return not weights.any()
    a = np.array(shown)
    return bool(np.linalg.matrix_rank(np.vstack([a, weights])) == np.linalg.matrix_rank(a))


@st.composite
def funnels(draw: st.DrawFn) -> tuple[npt.NDArray[np.int64], list[list[int]]]:
    intakes = draw(st.integers(1, 3))
    cells = draw(arrays(np.int64, (intakes, STAGES), elements=counts))
    # Intakes in start order, some starting in the same month.
    same = draw(st.lists(st.booleans(), min_size=intakes - 1, max_size=intakes - 1))
    months: list[list[int]] = [[0]]
    for i, together in enumerate(same, start=1):
        if together:
            months[-1].append(i)
        else:
            months.append([i])
    return cells, months


@settings(max_examples=300)
@given(funnels(), st.integers(2, 15))
# Two small stages hidden in one intake: their sum (the selected, 7) is the row total less the
# shown 48 — a count the threshold forbids unless a third value is hidden too.
@example((np.array([[48, 0, 1, 0, 6]]), [[0]]), 13)
def test_no_count_below_the_threshold_can_be_worked_out(
    funnel: tuple[npt.NDArray[np.int64], list[list[int]]], threshold: int
) -> None:
    cells, months = funnel
    rows = cells.shape[0]
    protected = protect_funnel(cells, months, threshold)

    def over_cells(rows_chosen: list[int], least: int, most: int = STAGES) -> Vector:
        w = np.zeros((rows, STAGES))
        w[rows_chosen, least:most] = 1
        return w.ravel()

    def extended(rows_chosen: list[int], least: int) -> Vector:
        w = np.zeros((rows + 1, STAGES + 1))
        w[rows_chosen, least:STAGES] = 1
        return w

    # What the pages publish: each figure exactly where the shown funnel values give it.
    candidates: list[tuple[str, Vector, Vector]] = []
    everyone = list(range(rows))
    for least in range(STAGES):
        for i in everyone:
            candidates.append(
                (f"intake {i} from stage {least}", over_cells([i], least), extended([i], least))
            )
        candidates.append(
            (f"all from stage {least}", over_cells(everyone, least), extended(everyone, least))
        )
    for end in range(len(months)):
        so_far = [i for month in months[: end + 1] for i in month]
        candidates.append(
            (
                f"participants by month {end}",
                over_cells(so_far, PARTICIPANT),
                extended(so_far, PARTICIPANT),
            )
        )
    shown = [w for _, w, ext in candidates if determined(protected, ext)]
    truth = cells.ravel()
    # Everything a reader might want to work out: cells, and the same family of figures, and
    # the participants of intakes between any two months.
    family = [(name, w) for name, w, _ in candidates]
    family += [
        (f"cell {i},{j}", over_cells([i], j, j + 1)) for i in everyone for j in range(STAGES)
    ]
    for start in range(len(months)):
        for end in range(start, len(months)):
            between = [i for month in months[start : end + 1] for i in month]
            family.append(
                (f"participants of months {start}-{end}", over_cells(between, PARTICIPANT))
            )
    for name, w in family:
        value = int(w @ truth)
        if 0 < value < threshold:
            assert not in_span(shown, w), f"{name}: {value} people can be worked out"
