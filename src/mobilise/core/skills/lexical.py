"""Character n-gram TF-IDF over each skill's label and alternative labels: the lexical scorer.

Character n-grams within word boundaries match inflections ("developing" ~ "develop") and
tolerate spelling variants without a stemmer, and the matrix product scores thousands of passages
per second on one core.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from mobilise.core.skills.model import TaxonomyEntry


def entry_words(entry: TaxonomyEntry) -> str:
    """The words a skill is known by: its label and alternative labels, one per line."""
    return "\n".join((entry.label, *entry.alt_labels))


class CharTfidfScorer:
    """Cosine similarity of character n-gram TF-IDF vectors of passages and skills."""

    def __init__(self, entries: Sequence[TaxonomyEntry], ngram_range: tuple[int, int] = (2, 4)):
        self._vectoriser = TfidfVectorizer(
            analyzer="char_wb", ngram_range=ngram_range, sublinear_tf=True, dtype=np.float32
        )
        self._skills = self._vectoriser.fit_transform([entry_words(e) for e in entries]).T.tocsr()

    def scores(self, passages: Sequence[str]) -> NDArray[np.float32]:
        """A (passages × skills) matrix of cosine similarities in 0..1."""
        vectors = self._vectoriser.transform(passages)
        product = vectors @ self._skills
        return np.asarray(product.toarray(), dtype=np.float32)
