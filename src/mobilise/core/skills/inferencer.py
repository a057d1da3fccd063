"""From texts to ranked skill suggestions: cut into passages, score every passage against every
skill with each scorer, blend the candidates' features into a probability, keep each skill's
best passage, rank."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from mobilise.core.skills.blend import Blend, Candidates, blended, candidates_of
from mobilise.core.skills.model import Suggestion, TaxonomyEntry
from mobilise.core.skills.passages import Passage, passages_of

FloatArray = NDArray[np.float32]
# Passages scored together; bounds the dense (passages × skills) score matrices to ~15 MB each.
BATCH_PASSAGES = 256


class SkillScorer(Protocol):
    @property
    def names(self) -> tuple[str, ...]:
        """The names of the score matrices `scores` returns."""
        ...

    def scores(self, passages: Sequence[str]) -> dict[str, FloatArray]:
        """For each of `names`, a (passages × skills) matrix; higher is a better match."""
        ...


class SkillInferencer:
    """Ranks a taxonomy's skills for each text; build once per taxonomy and reuse."""

    def __init__(
        self, entries: Sequence[TaxonomyEntry], scorers: Sequence[SkillScorer], blend: Blend
    ) -> None:
        self.entries = tuple(entries)
        self.blend = blend
        self._scorers = tuple(s for s in scorers if set(s.names) & blend.scorers())
        missing = blend.scorers() - {n for s in self._scorers for n in s.names}
        if missing:
            raise ValueError(f"the blend needs scorers that are not given: {sorted(missing)}")
        self._prior = np.log1p(np.array([len(e.alt_labels) for e in entries], dtype=np.float32))
        self._keys = [e.key for e in self.entries]
        self._labels = [e.label for e in self.entries]

    def candidates(self, passages: Sequence[str]) -> list[Candidates]:
        """Each passage's candidate skills and their features (what the blend is fitted on)."""
        found: list[Candidates] = []
        for first in range(0, len(passages), BATCH_PASSAGES):
            batch = passages[first : first + BATCH_PASSAGES]
            matrices = {}
            for scorer in self._scorers:
                for name, matrix in scorer.scores(batch).items():
                    if name in self.blend.scorers():
                        matrices[name] = matrix
            found.extend(
                candidates_of(matrices, self.blend.features, self._prior, self.blend.candidates)
            )
        return found

    def infer(self, texts: Sequence[str], top: int = 10) -> list[list[Suggestion]]:
        """The `top` best skills for each text, best first; an empty list for a blank text."""
        if top < 1:
            raise ValueError("top must be at least 1")
        cut = [passages_of(text) for text in texts]
        owners = [i for i, passages in enumerate(cut) for _ in passages]
        spans = [p for passages in cut for p in passages]
        words = [texts[i][p.start : p.end] for i, p in zip(owners, spans, strict=True)]
        results: list[list[Suggestion]] = [[] for _ in texts]
        best: dict[int, dict[int, tuple[float, Passage]]] = {}
        for index, (skills, scores) in enumerate(self.scored(words, top)):
            owner, span = owners[index], spans[index]
            if len(cut[owner]) == 1:
                # One passage (most sentences): rank its arrays directly, no merging needed.
                results[owner] = self._ranked_passage(skills, scores, span, top)
                continue
            found = best.setdefault(owner, {})
            for skill, score in zip(skills.tolist(), scores.tolist(), strict=True):
                if score > 0.0 and score > found.get(skill, (-1.0, span))[0]:
                    found[skill] = (score, span)
        for owner, found in best.items():
            results[owner] = self._ranked(found, top)
        return results

    def _ranked_passage(
        self, skills: NDArray[np.int64], scores: FloatArray, span: Passage, top: int
    ) -> list[Suggestion]:
        keep = scores > 0.0
        skills, scores = skills[keep], scores[keep]
        # Best score first; ties break on the taxonomy's order, as in _ranked.
        order = np.lexsort((skills, -scores))[:top]
        keys, labels = self._keys, self._labels
        start, end = span.start, span.end
        return [
            Suggestion(keys[k], labels[k], v, start, end)
            for k, v in zip(skills[order].tolist(), scores[order].tolist(), strict=True)
        ]

    def scored(
        self, passages: Sequence[str], top: int
    ) -> Iterator[tuple[NDArray[np.int64], FloatArray]]:
        """Each passage's candidate skills and their blended scores (at least its `top` best)."""
        for candidates in self.candidates(passages):
            yield candidates.skills, blended(self.blend, candidates.features)

    def _ranked(self, found: dict[int, tuple[float, Passage]], top: int) -> list[Suggestion]:
        # Ties break on the taxonomy's order so that the same input always gives the same list.
        order = sorted(found.items(), key=lambda item: (-item[1][0], item[0]))[:top]
        return [
            Suggestion(self._keys[column], self._labels[column], score, passage.start, passage.end)
            for column, (score, passage) in order
        ]
