"""The programmes page's spread figures: no count of people below the threshold can be worked
out from them, by differencing or any other combination, and no suppressed figure either.

The oracle knows the true cross-classification (region group × ethnic group) behind each
programme's figures and checks, by linear algebra, every group of people that is a union of its
six cells: if the published figures give its count, that count is zero or at least the threshold.
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mobilise.core.analytics.spread import protect_spread

Vector = npt.NDArray[np.float64]
counts = st.one_of(st.just(0), st.integers(1, 12), st.integers(10, 200))


def share(numerator: int | None, denominator: int | None) -> float | None:
    """As the page publishes a share: only when both counts are shown."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def in_span(shown: list[Vector], weights: Vector) -> bool:
    if not shown:
        return not weights.any()
    a = np.array(shown)
    return bool(np.linalg.matrix_rank(np.vstack([a, weights])) == np.linalg.matrix_rank(a))


def atoms(k: int, programmes: int, cells: list[tuple[int, int]]) -> Vector:
    """Weights over every programme's six cells (region group, ethnic group) picking `cells`."""
    w = np.zeros((programmes, 2, 3))
    for region, ethnic in cells:
        w[k, region, ethnic] = 1
    return w.ravel()


@given(
    arrays(np.int64, st.tuples(st.integers(1, 3), st.just(2), st.just(3)), elements=counts),
    st.integers(2, 15),
    st.data(),
)
def test_no_group_of_fewer_than_threshold_people_can_be_worked_out(
    cross: npt.NDArray[np.int64], threshold: int, data: st.DataObject
) -> None:
    programmes = cross.shape[0]
    # Participants another table hides (the funnels) are hidden here too.
    elsewhere = data.draw(arrays(np.bool_, (programmes,)))
    figures = protect_spread(cross, threshold, elsewhere)
    for k, f in enumerate(figures):
        assert f.participants is None or not elsewhere[k] or cross[k].sum() == 0
    everyone = [(r, e) for r in range(2) for e in range(3)]
    outside = [(0, e) for e in range(3)]
    consenting = [(r, e) for r in range(2) for e in range(2)]
    minority = [(r, 0) for r in range(2)]
    shown: list[Vector] = []
    hidden: list[tuple[str, Vector, int]] = []
    for k, f in enumerate(figures):
        # What the page shows: counts, and shares; a share times its shown denominator is a
        # count, so a share is as good as its numerator when its denominator is shown.
        outside_shown = share(f.outside_london, f.participants) is not None
        minority_shown = share(f.minority, f.consenting) is not None
        for name, cells, published in (
            ("participants", everyone, f.participants is not None),
            ("outside London", outside, outside_shown),
            ("consenting", consenting, f.consenting is not None),
            ("minority", minority, minority_shown),
        ):
            w = atoms(k, programmes, cells)
            if published:
                shown.append(w)
            else:
                hidden.append((f"{name} of programme {k}", w, int(w @ cross.ravel())))
    for name, w, truth in hidden:
        if truth:
            assert not in_span(shown, w), f"{name} ({truth}) can be worked out"
    for k in range(programmes):
        for size in range(1, 7):
            for group in itertools.combinations(everyone, size):
                w = atoms(k, programmes, list(group))
                truth = int(w @ cross.ravel())
                if 0 < truth < threshold:
                    assert not in_span(shown, w), f"{group} of programme {k}: {truth} people"


def test_few_who_did_not_consent_hide_the_consenting_count_not_the_participants() -> None:
    # 60 participants, 57 of whom consented: 60 and 57 would give the 3 who did not.
    cross = np.array([[[20, 15, 2], [10, 12, 1]]])
    (figures,) = protect_spread(cross, 10)
    assert figures.participants == 60
    assert figures.outside_london == 37
    assert figures.consenting is None
