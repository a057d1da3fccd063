"""Ranking guidance, register projects and learning items together for one query (TF-IDF).

Every document is a title and a body; the title is counted twice so that an item named after the
query ranks above one that mentions it in passing. Words are lower-cased, English stop words
dropped and a few English endings stripped ("chatbots" finds "chatbot", "testing" finds
"tested") so that a reader's word form does not decide what is found. Word pairs count too, so
"data ethics" ranks the Data Ethics Framework above items with only one of the words. One
vector space for all three kinds makes their scores comparable, so results are ranked together.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

WORD = re.compile(r"[a-z0-9]+")
# Longest first: the first ending that leaves a stem of three letters or more is stripped.
ENDINGS = ("ies", "ing", "ed", "es", "s")
KEEP = frozenset({"is", "was", "has", "this", "its", "gds", "ons", "uses", "bus", "news"})


def stem(word: str) -> str:
    """A crude English stem: enough to join plurals and -ing/-ed forms, not a Porter stemmer."""
    if word in KEEP or len(word) <= 4 or word.endswith("ss"):
        return word
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)] + ("y" if ending == "ies" else "")
    return word


def terms(text: str) -> list[str]:
    """The stemmed words of `text` and each adjacent pair of them (stop words dropped)."""
    words = [stem(w) for w in WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


@dataclass(frozen=True, slots=True)
class SearchDocument:
    kind: str  # guidance, project or learning
    key: str
    title: str
    body: str
    weight: float = 1.0  # below 1 for what is kept but no longer current (replaced guidance)


@dataclass(frozen=True, slots=True)
class Ranked:
    position: int  # the document's index in the corpus
    score: float


class SiteIndex:
    """A TF-IDF space over the documents; `rank` scores a query against every one."""

    def __init__(self, documents: Sequence[SearchDocument]) -> None:
        self.documents = tuple(documents)
        self._vectoriser = TfidfVectorizer(analyzer=terms, sublinear_tf=True)
        texts = [f"{d.title}\n{d.title}\n{d.body}" for d in self.documents]
        self._weights = np.array([d.weight for d in self.documents], dtype=np.float64)
        self._matrix = self._vectoriser.fit_transform(texts) if any(map(terms, texts)) else None

    def rank(self, query: str) -> list[Ranked]:
        """Documents sharing a term with `query`, best first (ties by title, then key)."""
        if self._matrix is None or not terms(query):
            return []
        scores = (self._matrix @ self._vectoriser.transform([query]).T).toarray().ravel()
        scores = scores * self._weights
        found = [Ranked(i, float(s)) for i, s in enumerate(scores) if s > 0]
        found.sort(
            key=lambda r: (
                -r.score,
                self.documents[r.position].title,
                self.documents[r.position].key,
            )
        )
        return found
