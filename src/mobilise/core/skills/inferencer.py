"""From texts to ranked skill suggestions: cut into passages, score every passage against every
skill, keep each skill's best passage, rank."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from mobilise.core.skills.model import Suggestion, TaxonomyEntry
from mobilise.core.skills.passages import Passage, passages_of

# Passages scored together; bounds the dense (passages × skills) score matrix to ~50 MB.
BATCH_PASSAGES = 1024


class PassageScorer(Protocol):
    def scores(self, passages: Sequence[str]) -> NDArray[np.float32]:
        """A (passages × skills) matrix of scores in 0..1, comparable across passages."""
        ...


class SkillInferencer:
    """Ranks a taxonomy's skills for each text; build once per taxonomy and reuse."""

    def __init__(self, entries: Sequence[TaxonomyEntry], scorer: PassageScorer) -> None:
        self.entries = tuple(entries)
        self._scorer = scorer

    def infer(self, texts: Sequence[str], top: int = 10) -> list[list[Suggestion]]:
        """The `top` best skills for each text, best first; an empty list for a blank text."""
        if top < 1:
            raise ValueError("top must be at least 1")
        cut = [passages_of(text) for text in texts]
        owners = [i for i, passages in enumerate(cut) for _ in passages]
        spans = [p for passages in cut for p in passages]
        words = [texts[i][p.start : p.end] for i, p in zip(owners, spans, strict=True)]
        best: list[dict[int, tuple[float, Passage]]] = [{} for _ in texts]
        for first in range(0, len(words), BATCH_PASSAGES):
            matrix = self._scorer.scores(words[first : first + BATCH_PASSAGES])
            keep = min(top, matrix.shape[1])
            candidates = np.argpartition(-matrix, keep - 1, axis=1)[:, :keep]
            for row, columns in enumerate(candidates):
                index = first + row
                found = best[owners[index]]
                for column in columns.tolist():
                    score = float(matrix[row, column])
                    if score > 0.0 and score > found.get(column, (-1.0, spans[index]))[0]:
                        found[column] = (score, spans[index])
        return [self._ranked(found, top) for found in best]

    def _ranked(self, found: dict[int, tuple[float, Passage]], top: int) -> list[Suggestion]:
        # Ties break on the taxonomy's order so that the same input always gives the same list.
        order = sorted(found.items(), key=lambda item: (-item[1][0], item[0]))[:top]
        return [
            Suggestion(
                key=self.entries[column].key,
                label=self.entries[column].label,
                score=round(score, 6),
                start=passage.start,
                end=passage.end,
            )
            for column, (score, passage) in order
        ]
