from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mobilise.core.analytics import CountTable, ProtectedTable, determined
from mobilise.core.impact.outcomes import protect_outcomes

THRESHOLD = 5


@st.composite
def cohorts(draw: st.DrawFn) -> tuple[list[int], dict[str, list[int]]]:
    people = draw(st.lists(st.integers(0, 30), min_size=1, max_size=5))
    names = draw(st.lists(st.sampled_from(["moved", "stayed", "public"]), unique=True))
    return people, {n: [draw(st.integers(0, p)) for p in people] for n in names}


@settings(max_examples=60, deadline=None)
@given(cohorts())
def test_no_shown_count_is_small_and_no_hidden_count_follows_from_the_shown_ones(
    case: tuple[list[int], dict[str, list[int]]],
) -> None:
    people, reached = case
    shown = protect_outcomes(people, reached, THRESHOLD)
    published = [*shown.participants, shown.total]
    for name in reached:
        published += [*shown.reached[name], shown.reached_total[name]]
        # Every hidden figure of this outcome's table stays unknown given all the shown ones.
        cells = np.stack([reached[name], np.subtract(people, reached[name])], axis=1)
        rows = len(people)
        cell_hidden = np.zeros((rows, 2), dtype=bool)
        cell_hidden[:, 0] = [r is None for r in shown.reached[name]]
        shown_not = [
            None if r is None or p is None else p - r
            for r, p in zip(shown.reached[name], shown.participants, strict=True)
        ]
        # "Did not reach" is published whenever both of its parts are.
        cell_hidden[:, 1] = [v is None for v in shown_not]
        column_total_hidden = np.array(
            [
                shown.reached_total[name] is None,
                shown.reached_total[name] is None or shown.total is None,
            ]
        )
        table = ProtectedTable(
            CountTable(cells),
            THRESHOLD,
            cell_hidden,
            np.array([p is None for p in shown.participants]),
            column_total_hidden,
            shown.total is None,
            cell_hidden & (cells > 0) & (cells < THRESHOLD),
        )
        for r in range(rows):
            for c in range(2):
                if cell_hidden[r, c] and cells[r, c]:
                    weights = np.zeros((rows + 1, 3))
                    weights[r, c] = 1
                    assert not determined(table, weights)
    assert all(v is None or v == 0 or v >= THRESHOLD for v in published)


def test_a_total_hidden_for_one_outcome_is_hidden_for_all() -> None:
    shown = protect_outcomes([20, 20], {"moved": [3, 10], "stayed": [10, 10]}, THRESHOLD)
    assert shown.reached["moved"][0] is None
    assert shown.reached["stayed"] == [10, 10]
    assert shown.participants == [20, 20]


def test_with_no_outcome_the_small_cohorts_are_hidden() -> None:
    shown = protect_outcomes([2, 20, 9], {}, THRESHOLD)
    assert shown.participants[0] is None
    assert shown.total is None or shown.participants.count(None) >= 2
