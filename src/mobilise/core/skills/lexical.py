"""TF-IDF scorers over the words a skill is known by: the lexical half of skill inference.

Word TF-IDF matches the exact terms of labels ("SQL", "manage a team"); character n-grams within
word boundaries match inflections ("developing" ~ "develop") and spelling variants without a
stemmer. Each is a sparse matrix product, thousands of passages per second on one core.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from mobilise.core.skills.model import TaxonomyEntry

FloatArray = NDArray[np.float32]


def entry_words(entry: TaxonomyEntry) -> str:
    """The words a skill is known by: its label and alternative labels, one per line."""
    return "\n".join((entry.label, *entry.alt_labels))


class TfidfIndex:
    """Cosine similarity of TF-IDF vectors of passages and one text per skill."""

    def __init__(
        self,
        documents: Sequence[str],
        *,
        analyzer: str = "word",
        ngram_range: tuple[int, int] = (1, 1),
        stop_words: str | None = None,
    ) -> None:
        self._vectoriser = TfidfVectorizer(
            analyzer=analyzer,
            ngram_range=ngram_range,
            stop_words=stop_words,
            sublinear_tf=True,
            dtype=np.float32,
        )
        self._documents = self._vectoriser.fit_transform(documents).T.tocsr()

    def scores(self, passages: Sequence[str]) -> FloatArray:
        """A (passages × skills) matrix of cosine similarities in 0..1."""
        product = self._vectoriser.transform(passages) @ self._documents
        return np.asarray(product.toarray(), dtype=np.float32)


class LexicalScorer:
    """The lexical features: word TF-IDF over all labels, over the preferred label alone and
    over the description, and character 3–5-grams over all labels."""

    def __init__(self, entries: Sequence[TaxonomyEntry]) -> None:
        words = [entry_words(e) for e in entries]
        self._indexes = {
            "word_labels": TfidfIndex(words, stop_words="english"),
            "word_label": TfidfIndex([e.label for e in entries], stop_words="english"),
            "word_description": TfidfIndex(
                [e.description or e.label for e in entries], stop_words="english"
            ),
            "char_labels": TfidfIndex(words, analyzer="char_wb", ngram_range=(3, 5)),
        }
        self.names: tuple[str, ...] = tuple(self._indexes)

    def scores(self, passages: Sequence[str]) -> dict[str, FloatArray]:
        return {name: index.scores(passages) for name, index in self._indexes.items()}


class CharTfidfScorer:
    """The classic baseline alone: character 2–4-gram TF-IDF over label and alternative labels."""

    def __init__(self, entries: Sequence[TaxonomyEntry]) -> None:
        self._index = TfidfIndex(
            [entry_words(e) for e in entries], analyzer="char_wb", ngram_range=(2, 4)
        )
        self.names: tuple[str, ...] = ("char_baseline",)

    def scores(self, passages: Sequence[str]) -> dict[str, FloatArray]:
        return {"char_baseline": self._index.scores(passages)}
