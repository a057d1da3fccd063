"""Candidates and their features, fitting the logistic blend, and its JSON form."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.skills.blend import (
    PRIOR,
    Blend,
    Candidates,
    all_features,
    blended,
    candidates_of,
    fit_blend,
)


def test_candidates_are_the_union_of_each_scorers_best_with_ranks() -> None:
    matrices = {
        "a": np.array([[0.9, 0.1, 0.0, 0.5, 0.0]], dtype=np.float32),
        "b": np.array([[0.0, 0.2, 0.8, 0.1, 0.0]], dtype=np.float32),
    }
    prior = np.array([0.0, 1.0, 2.0, 3.0, 4.0], dtype=np.float32)
    names = list(all_features(["a", "b"]))
    (found,) = candidates_of(matrices, names, prior, count=2)
    assert found.skills.tolist() == [0, 1, 2, 3]  # a's best two: 0, 3; b's: 2, 1
    rows = dict(zip(found.skills.tolist(), found.features.tolist(), strict=True))
    assert rows[0][names.index("a")] == pytest.approx(0.9)
    assert rows[0][names.index("a:rank")] == 1.0
    assert rows[3][names.index("a:rank")] == 0.5
    assert rows[3][names.index("b:rank")] == 0.0
    assert rows[1][names.index("b:rank")] == 0.5
    assert rows[2][names.index(PRIOR)] == 2.0


def test_fitting_weights_the_informative_feature() -> None:
    rng = np.random.default_rng(3)
    examples, relevant = [], []
    for _ in range(60):
        useful = rng.random(20).astype(np.float32)
        noise = rng.random(20).astype(np.float32)
        examples.append(Candidates(np.arange(20), np.stack([useful, noise], axis=1)))
        relevant.append({int(i) for i in np.argsort(-useful)[:2]})
    blend = fit_blend(examples, relevant, ("useful", "noise"))
    assert blend.weights[0] > 5 * abs(blend.weights[1])
    scores = blended(blend, examples[0].features)
    assert ((scores > 0) & (scores < 1)).all()
    assert int(np.argmax(scores)) in relevant[0]


def test_fitting_needs_both_kinds_of_candidate() -> None:
    example = Candidates(np.arange(3), np.ones((3, 1), dtype=np.float32))
    with pytest.raises(ValueError, match="both relevant and irrelevant"):
        fit_blend([example], [set()], ("x",))


@given(
    st.lists(st.floats(-5, 5), min_size=1, max_size=4),
    st.floats(-5, 5),
    st.integers(1, 200),
)
def test_json_round_trip(weights: list[float], bias: float, candidates: int) -> None:
    blend = Blend(tuple(f"f{i}" for i in range(len(weights))), tuple(weights), bias, candidates)
    assert Blend.from_json(blend.to_json()) == blend


def test_a_single_feature_blend_passes_the_score_through() -> None:
    blend = Blend.single("a")
    assert blend.scorers() == {"a"}
    features = np.array([[0.25], [1.5], [-1.0]], dtype=np.float32)
    assert blended(blend, features).tolist() == [0.25, 1.0, 0.0]
    with pytest.raises(ValueError, match="one weight per feature"):
        Blend(("a", "b"), (1.0,), 0.0)
