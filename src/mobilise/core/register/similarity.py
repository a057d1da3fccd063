"""Which registered projects are most like a given one, and why.

Published ATRS records carry a title, a summary and a description only (DESIGN.md, "ATRS data"),
so similarity works on those. The scorer blends two TF-IDF spaces: words (unigrams and bigrams,
sublinear counts, English and register stop words, so "chatbot" and "webchat" weigh more than
"tool") and character n-grams within words (so "chatbot" ~ "chatbots", "triage" ~ "triaging").
Optional dense vectors (a sentence encoder's, computed by the caller) are blended in the same way.
The "why" is the terms that contribute most to the word score and the candidate's sentence that
shares most of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

FloatArray = NDArray[np.float64]

# Words every record uses about itself: they say nothing about what kind of tool it is.
REGISTER_STOP_WORDS = frozenset(
    {
        "tool",
        "tools",
        "algorithmic",
        "algorithm",
        "record",
        "uses",
        "used",
        "use",
        "using",
        "help",
        "helps",
        "support",
        "supports",
        "department",
        "government",
        "service",
        "services",
        "council",
    }
)
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | REGISTER_STOP_WORDS)
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
WHY_TERMS = 5
# Words of two or more letters and digits that start with a letter (no bare numbers).
WORD_PATTERN = r"(?u)\b[a-zA-Z][a-zA-Z0-9]+\b"
ANY_WORD = r"(?u)\S+"


@dataclass(frozen=True, slots=True)
class ProjectText:
    key: str
    organisation: str | None
    title: str
    summary: str
    description: str

    @property
    def text(self) -> str:
        # The summary often repeats the description's opening; both count, the title twice
        # because it names the kind of tool most directly.
        return "\n".join((self.title, self.title, self.summary, self.description))


@dataclass(frozen=True, slots=True)
class Weights:
    word: float = 1.0
    characters: float = 0.5
    dense: float = 0.0


@dataclass(frozen=True, slots=True)
class SimilarProject:
    key: str
    score: float
    shared_terms: tuple[str, ...]  # the terms contributing most to the word score
    passage: str  # the candidate's sentence sharing most of those terms


class SimilarityIndex:
    """Cosine similarities of projects in blended TF-IDF (and optional dense) spaces."""

    def __init__(
        self,
        projects: Sequence[ProjectText],
        *,
        weights: Weights = Weights(),
        dense: FloatArray | None = None,
    ) -> None:
        if weights.dense and (dense is None or dense.shape[0] != len(projects)):
            raise ValueError("dense weight needs one dense vector per project")
        self.projects = tuple(projects)
        self._weights = weights
        texts = [p.text for p in self.projects] or ["empty register"]
        self._words = TfidfVectorizer(
            ngram_range=(1, 2),
            sublinear_tf=True,
            stop_words=STOP_WORDS,
            token_pattern=WORD_PATTERN,
        )
        self._characters = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=min(2, len(texts))
        )
        try:
            self._word_matrix = self._words.fit_transform(texts)
        except ValueError:  # every word a stop word (titles are never empty): keep them all
            self._words = TfidfVectorizer(sublinear_tf=True, token_pattern=ANY_WORD)
            self._word_matrix = self._words.fit_transform(texts)
        self._character_matrix = self._characters.fit_transform(texts)
        self._terms = self._words.get_feature_names_out()
        self._dense = dense
        self._position = {p.key: i for i, p in enumerate(self.projects)}

    def scores(self, text: str, dense: FloatArray | None = None) -> FloatArray:
        """The similarity of `text` to every project, in the index's order."""
        if not self.projects:
            return np.zeros(0)
        word = self._words.transform([text])
        characters = self._characters.transform([text])
        total = self._weights.word * (self._word_matrix @ word.T).toarray().ravel()
        total += (
            self._weights.characters * (self._character_matrix @ characters.T).toarray().ravel()
        )
        if self._weights.dense and dense is not None and self._dense is not None:
            total += self._weights.dense * (self._dense @ dense)
        weight = self._weights.word + self._weights.characters
        if self._weights.dense and dense is not None:
            weight += self._weights.dense
        return np.asarray(total / weight, dtype=np.float64)

    def similar_to(
        self,
        text: str,
        *,
        limit: int = 5,
        exclude: frozenset[str] = frozenset(),
        exclude_organisation: str | None = None,
        dense: FloatArray | None = None,
    ) -> list[SimilarProject]:
        """The `limit` projects most like `text` (best first, ties by key), leaving out the keys
        in `exclude` and, if given, projects of `exclude_organisation`; each with why."""
        scores = self.scores(text, dense)
        candidates = [
            i
            for i, p in enumerate(self.projects)
            if p.key not in exclude
            and (exclude_organisation is None or p.organisation != exclude_organisation)
            and scores[i] > 0
        ]
        candidates.sort(key=lambda i: (-scores[i], self.projects[i].key))
        query = self._words.transform([text])
        return [self._explain(i, float(scores[i]), query) for i in candidates[:limit]]

    def similar_to_project(
        self,
        key: str,
        *,
        limit: int = 5,
        other_organisations: bool = False,
        dense: FloatArray | None = None,
    ) -> list[SimilarProject]:
        """The projects most like the stored project `key` (never itself)."""
        project = self.projects[self._position[key]]
        if dense is None and self._dense is not None:
            dense = self._dense[self._position[key]]
        return self.similar_to(
            project.text,
            limit=limit,
            exclude=frozenset({key}),
            exclude_organisation=project.organisation if other_organisations else None,
            dense=dense,
        )

    def _explain(self, index: int, score: float, query: object) -> SimilarProject:
        row = self._word_matrix[index]
        contribution = row.multiply(query).tocoo()
        order = np.argsort(-contribution.data, kind="stable")[:WHY_TERMS]
        terms = tuple(str(self._terms[contribution.col[j]]) for j in order)
        project = self.projects[index]
        return SimilarProject(project.key, round(score, 4), terms, best_passage(project, terms))


def best_passage(project: ProjectText, terms: Sequence[str]) -> str:
    """The sentence of the project's summary or description that contains most of `terms`."""
    sentences = [
        s.strip() for s in SENTENCE.split(f"{project.summary}\n{project.description}") if s.strip()
    ]
    if not sentences:
        return project.title
    words = [t.lower() for t in terms]
    return max(sentences, key=lambda s: sum(w in s.lower() for w in words))
