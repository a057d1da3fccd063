"""The fast path: word TF-IDF scorers and a static sentence model blended linearly, sparse from
end to end.

A passage shares words with at most a few thousand of the 13,896 skills, so its scores are a
sparse row: one sparse product of the passage's terms (scaled per scorer) with the scorers'
matrices stacked (word TF-IDF over labels, preferred label and description; the static model's
similarity with each skill's preferred label, labels and description, core/skills/static.py,
pre-summed with the blend's weights), and the best few of the row's non-zeros. No dense
(passages × skills) matrix, no character n-grams, no transformer and no rank features (which
need every skill's score): thousands of passages per second on one core, at some cost in quality
(bench/eval_skills.py reports both paths; bench/RESULTS.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import numpy as np
import scipy.sparse as sp
from numba import njit
from numpy.typing import NDArray
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from mobilise.core.skills.blend import PRIOR, Blend, Candidates
from mobilise.core.skills.inferencer import FloatArray, SkillInferencer
from mobilise.core.skills.lexical import entry_words
from mobilise.core.skills.model import Suggestion, TaxonomyEntry
from mobilise.core.skills.passages import Passage
from mobilise.core.skills.static import PER_WORD, StaticModel, passage_norms, word_skill_matrix

WORD_SCORERS = ("word_labels", "word_label", "word_description")
# The static model's similarity of a passage with each skill's preferred label, labels, description.
STATIC_TEXTS = {
    "static_label": "word_label",
    "static_labels": "word_labels",
    "static_description": "word_description",
}
STATIC_SCORERS = tuple(STATIC_TEXTS)
FAST_SCORERS = (*WORD_SCORERS, *STATIC_SCORERS)
FAST_FEATURES = (*FAST_SCORERS, PRIOR)
# Measured on the validation split (5-fold): 0.02 ranks as well as no cut (macro RP@5 49.6 against
# 49.5) at 1.6x the speed; 0.005 reached 1.9x but lost 1.3 points.
COMMON_SHARE = 0.02
IntArray = NDArray[np.int64]
# CountVectorizer's default token pattern.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def documents_of(entries: Sequence[TaxonomyEntry]) -> dict[str, list[str]]:
    """The texts of each word index: every skill's labels, its preferred label, its description."""
    return {
        "word_labels": [entry_words(e) for e in entries],
        "word_label": [e.label for e in entries],
        "word_description": [e.description or e.label for e in entries],
    }


class FastScorer:
    """Word TF-IDF cosines of passages with three texts of every skill, and with a static model
    the similarity of its vectors of the passage and of the skill's preferred label, as sparse
    matrices.

    The indexes share one vocabulary (the taxonomy's words and the static model's), so a passage
    is tokenised once; each index keeps its own inverse document frequencies. With
    `common_share` None the cosines equal those of three separate TfidfVectorizers with
    sublinear term frequency and English stop words.
    """

    def __init__(
        self,
        entries: Sequence[TaxonomyEntry],
        common_share: float | None = COMMON_SHARE,
        static: StaticModel | None = None,
        per_word: int = PER_WORD,
    ) -> None:
        documents = documents_of(entries)
        self._counter = CountVectorizer(stop_words="english", dtype=np.float32)
        self._counter.fit([text for texts in documents.values() for text in texts])
        if static is not None:
            words = sorted(set(self._counter.vocabulary_) | set(static.vocabulary))
            self._counter = CountVectorizer(
                stop_words="english", dtype=np.float32, vocabulary=words
            ).fit([])
        self._idf: dict[str, FloatArray] = {}
        # (vocabulary × skills): inverse document frequency × the skills' unit TF-IDF vectors.
        self._weighted: dict[str, sp.csr_matrix] = {}
        for name, texts in documents.items():
            counts = self._counter.transform(texts)
            transformer = TfidfTransformer(sublinear_tf=True)
            skills = transformer.fit_transform(counts)
            idf = np.asarray(transformer.idf_, dtype=np.float32)
            frequency = np.asarray((counts > 0).sum(axis=0)).ravel()
            # A word no text of this index has is outside its own vocabulary: it must not
            # count in a passage's norm, exactly as a separate vectoriser would ignore it.
            idf[frequency == 0] = 0.0
            if common_share is not None:
                # A word in more than `common_share` of an index's texts ("use", "perform",
                # "ensure") links a passage to thousands of skills for a small part of their
                # scores; dropping it from the skills' side keeps each passage's row sparse.
                # It still counts in the passage's norm, so other words' weights are unchanged.
                rare = (frequency <= common_share * len(texts)).astype(np.float32)
                skills = sp.csr_matrix(skills @ sp.diags(rare))
                skills.eliminate_zeros()
            self._idf[name] = idf
            self._weighted[name] = sp.csr_matrix(
                sp.diags(idf) @ skills.T.astype(np.float32), dtype=np.float32
            )
        self.names: tuple[str, ...] = WORD_SCORERS
        self._static: FloatArray | None = None
        if static is not None:
            self._static = self._aligned(static)
            for name, index in STATIC_TEXTS.items():
                vectors = np.asarray(self._terms_of(documents[index]) @ self._static)
                norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 1e-12)
                self._weighted[name] = word_skill_matrix(self._static, vectors, per_word)
            self.names = FAST_SCORERS
        self._stacked_by_weights: dict[tuple[float, ...], sp.csr_matrix] = {}
        self.width = len(entries)

    def _aligned(self, static: StaticModel) -> FloatArray:
        """The static model's word vectors in this scorer's vocabulary order (zero rows for
        words it does not know)."""
        vocabulary = self._counter.vocabulary_
        aligned = np.zeros((len(vocabulary), static.vectors.shape[1]), dtype=np.float32)
        rows = [vocabulary[word] for word in static.vocabulary]
        aligned[rows] = static.vectors
        return aligned

    def _terms_of(self, passages: Sequence[str]) -> sp.csr_matrix:
        """Sublinear term frequencies (1 + log count) of the passages' words.

        The counts equal CountVectorizer.transform's (same lower-casing and token pattern; stop
        words are outside the vocabulary), read with one look-up per token: a third of
        scikit-learn's per-passage cost, which is much of the fast path's.
        """
        vocabulary = self._counter.vocabulary_
        columns: list[int] = []
        bounds = [0]
        for passage in passages:
            columns.extend(
                [vocabulary[w] for w in _TOKEN.findall(passage.lower()) if w in vocabulary]
            )
            bounds.append(len(columns))
        counts = sp.csr_matrix(
            (
                np.ones(len(columns), dtype=np.float32),
                np.asarray(columns, dtype=np.int32),
                np.asarray(bounds, dtype=np.int32),
            ),
            shape=(len(passages), len(vocabulary)),
        )
        counts.sum_duplicates()
        counts.data = 1.0 + np.log(counts.data)
        return counts

    def _terms(self, passages: Sequence[str]) -> tuple[sp.csr_matrix, dict[str, FloatArray]]:
        """Sublinear term frequencies of the passages, and for each scorer the inverse norm of
        each passage's TF-IDF vector (0 for a passage with none of that index's words)."""
        counts = self._terms_of(passages)
        squared = counts.multiply(counts).tocsr()
        inverse = {}
        if self._static is not None:
            norms = passage_norms(counts, self._static)
            inverse.update(dict.fromkeys(STATIC_SCORERS, norms))
        for name in WORD_SCORERS:
            norms = np.sqrt(squared @ (self._idf[name] ** 2))
            inverse[name] = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0).astype(
                np.float32
            )
        return counts, inverse

    def sparse_scores(self, passages: Sequence[str]) -> dict[str, sp.csr_matrix]:
        """For each scorer, a sparse (passages × skills) matrix of cosines."""
        counts, inverse = self._terms(passages)
        return {
            name: sp.csr_matrix(sp.diags(inverse[name]) @ (counts @ self._weighted[name]))
            for name in self.names
        }

    def blended_scores(
        self, passages: Sequence[str], weights: dict[str, np.float32]
    ) -> sp.csr_matrix:
        """Σ weight × cosine over the scorers in one sparse product: the passages' terms, once
        per word scorer scaled by weight / norm and once for the static scorers scaled by
        1 / norm, side by side, times the scorers' matrices stacked (the static ones summed
        with their weights, since they share the passage's norm)."""
        counts, inverse = self._terms(passages)
        scales = [inverse[n] * weights[n] for n in WORD_SCORERS]
        if self._static is not None:
            scales.append(inverse[STATIC_SCORERS[0]])
        # The blocks side by side, built directly (each block has the terms' own pattern).
        owner = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        width = counts.shape[1]
        queries = sp.csr_matrix(
            (
                np.concatenate([counts.data * scale[owner] for scale in scales]),
                (
                    np.tile(owner, len(scales)),
                    np.concatenate([counts.indices + k * width for k in range(len(scales))]),
                ),
            ),
            shape=(counts.shape[0], width * len(scales)),
            dtype=np.float32,
        )
        return sp.csr_matrix(queries @ self._stacked_for(weights))

    def _stacked_for(self, weights: dict[str, np.float32]) -> sp.csr_matrix:
        key = tuple(float(weights[n]) for n in self.names)
        found = self._stacked_by_weights.get(key)
        if found is None:
            blocks = [self._weighted[n] for n in WORD_SCORERS]
            if self._static is not None:
                blocks.append(sum(weights[n] * self._weighted[n] for n in STATIC_SCORERS))
            found = sp.csr_matrix(sp.vstack(blocks, format="csr"), dtype=np.float32)
            self._stacked_by_weights = {key: found}
        return found

    def scores(self, passages: Sequence[str]) -> dict[str, FloatArray]:
        return {n: np.asarray(m.toarray()) for n, m in self.sparse_scores(passages).items()}


class FastSkillInferencer(SkillInferencer):
    """Ranks skills by a linear blend of the fast scorers over each passage's non-zero skills."""

    def __init__(self, entries: Sequence[TaxonomyEntry], scorer: FastScorer, blend: Blend):
        unknown = set(blend.features) - set(FAST_FEATURES)
        if unknown or not blend.logistic:
            raise ValueError(f"the fast path blends only {FAST_FEATURES}, not {sorted(unknown)}")
        super().__init__(entries, [scorer], blend)
        self._fast = scorer
        weights = dict(zip(blend.features, blend.weights, strict=True))
        self._weights = {n: np.float32(weights.get(n, 0.0)) for n in scorer.names}
        self._prior_weighted = (np.float32(weights.get(PRIOR, 0.0)) * self._prior).astype(
            np.float32
        )

    def candidates(self, passages: Sequence[str]) -> list[Candidates]:
        """Each passage's top non-zero skills and their features (what the blend is fitted on)."""
        found = []
        matrices = self._fast.sparse_scores(passages)
        total = sum(matrices.values(), sp.csr_matrix((len(passages), self._fast.width)))
        total = sp.csr_matrix(total)
        for row in range(len(passages)):
            start, end = total.indptr[row], total.indptr[row + 1]
            skills = np.sort(
                total.indices[start:end][
                    np.argsort(-total.data[start:end], kind="stable")[: self.blend.candidates]
                ]
            ).astype(np.int64)
            columns = {n: np.asarray(m[row, skills].toarray()).ravel() for n, m in matrices.items()}
            columns[PRIOR] = self._prior[skills]
            features = np.stack([columns[f] for f in self.blend.features], axis=1)
            found.append(Candidates(skills, features.astype(np.float32)))
        return found

    def scored(self, passages: Sequence[str], top: int) -> Iterator[tuple[IntArray, FloatArray]]:
        linear = self._fast.blended_scores(passages, self._weights)
        linear.data += self._prior_weighted[linear.indices] + np.float32(self.blend.bias)
        rows = len(passages)
        columns = np.empty((rows, top), dtype=np.int64)
        values = np.zeros((rows, top), dtype=np.float32)  # unused slots stay finite
        sizes = np.empty(rows, dtype=np.int64)
        _row_tops(linear.indptr, linear.indices, linear.data, columns, values, sizes)
        # The logistic link on the kept few only: it keeps the order, so the top is the same.
        probabilities = (1.0 / (1.0 + np.exp(-values))).astype(np.float32)
        for row, size in enumerate(sizes.tolist()):
            yield columns[row, :size], probabilities[row, :size]

    def _ranked_passage(
        self, skills: IntArray, scores: FloatArray, span: Passage, top: int
    ) -> list[Suggestion]:
        # `scored` gives each passage's skills best first already, ties to the lower column,
        # with probabilities above 0: no mask and no sort needed.
        keys, labels = self._keys, self._labels
        start, end = span.start, span.end
        return [
            Suggestion(keys[k], labels[k], v, start, end)
            for k, v in zip(skills[:top].tolist(), scores[:top].tolist(), strict=True)
        ]


@njit(cache=True, nogil=True)
def _row_tops(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    data: FloatArray,
    columns: IntArray,
    values: FloatArray,
    sizes: IntArray,
) -> None:
    """Each CSR row's best `columns.shape[1]` entries, best first (equal values: lower column
    first), in one compiled pass over the batch: a Python loop with argpartition per row cost
    more than the sparse product."""
    top = columns.shape[1]
    for row in range(indptr.shape[0] - 1):
        size = 0
        for position in range(indptr[row], indptr[row + 1]):
            value, column = data[position], indices[position]
            if size == top and (
                value < values[row, size - 1]
                or (value == values[row, size - 1] and column > columns[row, size - 1])
            ):
                continue
            # Insert into the sorted few kept so far, dropping the worst when full.
            slot = size if size < top else top - 1
            while slot > 0 and (
                value > values[row, slot - 1]
                or (value == values[row, slot - 1] and column < columns[row, slot - 1])
            ):
                values[row, slot] = values[row, slot - 1]
                columns[row, slot] = columns[row, slot - 1]
                slot -= 1
            values[row, slot] = value
            columns[row, slot] = column
            if size < top:
                size += 1
        sizes[row] = size
