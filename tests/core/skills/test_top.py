"""top_columns against a full sort: the same columns in the same order, ties to the lower column."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mobilise.core.skills.top import top_columns

# Few distinct values, so that ties are common and their order is tested.
SCORES = st.sampled_from([-1.0, 0.0, 0.0, 0.25, 0.5, 0.5, 1.0])


def sorted_columns(matrix: np.ndarray, count: int) -> np.ndarray:
    columns = np.arange(matrix.shape[1])
    return np.array([np.lexsort((columns, -row))[:count] for row in matrix], dtype=np.int64)


@settings(max_examples=200, deadline=None)
@given(
    arrays(np.float32, st.tuples(st.integers(1, 6), st.integers(1, 40)), elements=SCORES),
    st.integers(1, 45),
)
def test_the_best_columns_in_order_as_a_full_sort_gives_them(
    matrix: np.ndarray, count: int
) -> None:
    found = top_columns(matrix, count)
    assert found.shape == (matrix.shape[0], min(count, matrix.shape[1]))
    assert (found == sorted_columns(matrix, count)).all()


def test_a_wide_random_matrix() -> None:
    rng = np.random.default_rng(11)
    matrix = rng.random((8, 13_896)).astype(np.float32)
    matrix[:, 200:9000] = 0.0
    assert (top_columns(matrix, 50) == sorted_columns(matrix, 50)).all()


def test_no_rows_and_non_contiguous_input() -> None:
    assert top_columns(np.zeros((0, 10), dtype=np.float32), 3).shape == (0, 3)
    matrix = np.arange(24, dtype=np.float32).reshape(4, 6)
    assert top_columns(matrix[:, ::2], 2).tolist() == [[2, 1]] * 4
