"""The static sentence model: ridge regression from words to vectors, and its sparse form."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from mobilise.core.skills.static import (
    StaticModel,
    fit_static_model,
    passage_norms,
    sublinear,
    word_skill_matrix,
)

VOCABULARY = ("data", "python", "team", "lead", "bread", "oven")


def unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_targets_that_are_sums_of_word_vectors_are_reproduced(seed: int) -> None:
    rng = np.random.default_rng(seed)
    words = rng.standard_normal((len(VOCABULARY), 8)).astype(np.float32)
    counts = sp.csr_matrix(rng.integers(0, 3, (60, len(VOCABULARY))), dtype=np.float32)
    counts = counts[np.asarray(counts.sum(axis=1)).ravel() > 0]
    # Targets made the way the model reads a text: the sum of its word vectors weighted by its
    # unit TF-IDF vector. The model then points every text the targets' way.
    frequency = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf = np.log((1.0 + counts.shape[0]) / (1.0 + frequency)) + 1.0
    targets = np.asarray(unit((sublinear(counts) @ sp.diags(idf)).toarray()) @ words)
    model = fit_static_model(VOCABULARY, counts, targets.astype(np.float32), regularisation=1e-6)
    found = unit(np.asarray(sublinear(counts) @ model.vectors))
    assert np.allclose((found * unit(targets)).sum(axis=1), 1.0, atol=1e-3)


def test_counts_and_targets_must_agree() -> None:
    with pytest.raises(ValueError, match="one target per text"):
        fit_static_model(VOCABULARY, sp.csr_matrix((3, 5)), np.ones((3, 4), dtype=np.float32))
    with pytest.raises(ValueError, match="one vector per word"):
        StaticModel(VOCABULARY, np.ones((2, 4), dtype=np.float32))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(1, 12))
def test_each_word_keeps_its_most_similar_skills(seed: int, per_word: int) -> None:
    rng = np.random.default_rng(seed)
    words = rng.standard_normal((30, 5)).astype(np.float32)
    skills = unit(rng.standard_normal((9, 5))).astype(np.float32)
    kept = word_skill_matrix(words, skills, per_word).toarray()
    dense = words @ skills.T
    for row, full in zip(kept, dense, strict=True):
        assert np.count_nonzero(row) <= per_word
        assert (row >= 0).all()
        chosen = row > 0
        assert np.allclose(row[chosen], full[chosen])
        # Nothing left out is more similar than what was kept (unless the row is full).
        if chosen.any() and chosen.sum() < min(per_word, len(full)):
            assert full[~chosen].max() <= 0
        elif chosen.any():
            assert full[~chosen].max(initial=-np.inf) <= row[chosen].min() + 1e-6


def test_a_passage_without_the_models_words_has_no_norm() -> None:
    vectors = np.array([[3.0, 4.0], [1.0, 0.0]], dtype=np.float32)
    counts = sp.csr_matrix(np.array([[1.0, 0.0], [0.0, 0.0]], dtype=np.float32))
    assert passage_norms(counts, vectors).tolist() == pytest.approx([0.2, 0.0])
