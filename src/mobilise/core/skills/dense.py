"""Sentence-embedding scorers: cosine of a passage with a skill's preferred label, its closest
alternative label and its description. They find skills worded differently from the text
("keeps the team going when things go wrong" ~ "show determination")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float32]
IntArray = NDArray[np.int64]


class TextEncoder(Protocol):
    dimension: int

    def encode(self, texts: Sequence[str]) -> FloatArray:
        """A (texts × dimension) matrix of unit vectors."""
        ...


@dataclass(frozen=True)
class SkillVectors:
    """Unit vectors of each skill's texts, in taxonomy order.

    `alt_labels` has one row per alternative label; `alt_owner[i]` is the skill it belongs to,
    non-decreasing. A skill without alternative labels has none.
    """

    labels: FloatArray
    descriptions: FloatArray
    alt_labels: FloatArray
    alt_owner: IntArray


class DenseScorer:
    def __init__(self, encoder: TextEncoder, vectors: SkillVectors) -> None:
        self._encoder = encoder
        self._labels_t = np.ascontiguousarray(vectors.labels.T, dtype=np.float32)
        self._descriptions_t = np.ascontiguousarray(vectors.descriptions.T, dtype=np.float32)
        self._alt_t = np.ascontiguousarray(vectors.alt_labels.T, dtype=np.float32)
        owner = np.asarray(vectors.alt_owner)
        if owner.size and np.any(np.diff(owner) < 0):
            raise ValueError("alt_owner must be non-decreasing")
        self._alt_starts = np.r_[0, np.flatnonzero(np.diff(owner)) + 1] if owner.size else owner
        self._alt_skills = owner[self._alt_starts] if owner.size else owner
        self.names: tuple[str, ...] = ("dense_label", "dense_alt_labels", "dense_description")

    def scores(self, passages: Sequence[str]) -> dict[str, FloatArray]:
        query = self._encoder.encode(passages)
        label = query @ self._labels_t
        # A skill's best-matching name: its preferred label or its closest alternative label
        # (the label matrix itself when there are no alternative-label vectors: the shipped case).
        best_name = label
        if self._alt_skills.size:
            best_name = label.copy()
            by_alt = np.maximum.reduceat(query @ self._alt_t, self._alt_starts, axis=1)
            best_name[:, self._alt_skills] = np.maximum(best_name[:, self._alt_skills], by_alt)
        return {
            "dense_label": label,
            "dense_alt_labels": best_name,
            "dense_description": query @ self._descriptions_t,
        }
