"""Clusters of similar projects in the AI register, and the terms each cluster shares.

Similarity is the register's own (core/register/similarity.py): the blended word and character
TF-IDF cosine of each pair of projects, so a cluster means "these would show up as each other's
similar projects". Clustering is agglomerative with average linkage on the distance 1 − similarity,
cut where the average similarity between two groups falls below `min_similarity`: average linkage
keeps one strongly related pair from chaining two unrelated groups together (single linkage does),
and a threshold rather than a number of clusters lets the register grow without retuning.

Everything is deterministic: projects are taken in the order given (the callers sort by key), the
merge order of agglomerative clustering depends only on the matrix, and clusters are numbered by
size, then cohesion, then their first project's position.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from mobilise.core.register.similarity import (
    ANY_WORD,
    STOP_WORDS,
    WORD_PATTERN,
    ProjectText,
    SimilarityIndex,
)

FloatArray = NDArray[np.float64]

# Chosen on the 136 published records (bench/register_clusters.py, results in bench/RESULTS.md):
# pair precision 0.66 against the judged pairs with 81 records clustered; 0.08 joins unrelated
# tools (precision 0.53), 0.2 is barely more precise (0.70) but clusters only 33 records.
DEFAULT_MIN_SIMILARITY = 0.12
SHARED_TERMS = 6


@dataclass(frozen=True, slots=True)
class ProjectCluster:
    members: tuple[int, ...]  # positions in the projects given, in that order
    cohesion: float  # the mean similarity of the cluster's pairs
    shared_terms: tuple[str, ...]  # what its members have in common, most telling first


def similarity_matrix(index: SimilarityIndex) -> FloatArray:
    """Every pair's similarity in the index's own blended spaces (symmetric, 1 on the diagonal)."""
    count = len(index.projects)
    if count == 0:
        return np.zeros((0, 0))
    rows = np.vstack([index.scores(project.text) for project in index.projects])
    # Symmetric in exact arithmetic; averaging removes the rounding noise.
    matrix = (rows + rows.T) / 2
    np.fill_diagonal(matrix, 1.0)
    return np.asarray(np.clip(matrix, 0.0, 1.0), dtype=np.float64)


def cluster_labels(similarity: FloatArray, min_similarity: float) -> NDArray[np.intp]:
    """A cluster label per project: average-linkage groups whose members are on average at
    least `min_similarity` alike."""
    if not 0.0 < min_similarity <= 1.0:
        raise ValueError("min_similarity must be above 0 and at most 1")
    count = similarity.shape[0]
    if count < 2:
        return np.zeros(count, dtype=np.intp)
    distance = 1.0 - similarity
    labels = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=1.0 - min_similarity,
    ).fit_predict(distance)
    return np.asarray(labels, dtype=np.intp)


@dataclass(frozen=True)
class TermPresence:
    """Which projects use which words and two-word phrases, and how rare each is (idf)."""

    present: Any  # a sparse projects x terms matrix, nonzero where the project uses the term
    idf: FloatArray
    terms: NDArray[np.str_]


def term_presence(texts: Sequence[str]) -> TermPresence:
    vectorizer = TfidfVectorizer(
        ngram_range=(1, 2), binary=True, stop_words=STOP_WORDS, token_pattern=WORD_PATTERN
    )
    try:
        present = vectorizer.fit_transform(texts)
    except ValueError:  # every word a stop word: keep them all rather than say nothing
        vectorizer = TfidfVectorizer(binary=True, token_pattern=ANY_WORD)
        present = vectorizer.fit_transform(texts)
    return TermPresence(
        present.tocsr(),
        np.asarray(vectorizer.idf_, dtype=np.float64),
        np.asarray(vectorizer.get_feature_names_out(), dtype=np.str_),
    )


def shared_terms(presence: TermPresence, members: Sequence[int], limit: int) -> tuple[str, ...]:
    """The words and two-word phrases most of the members use and the register at large does
    not: ranked by the share of members using the term times its rarity (idf) across the
    register; a term must occur in at least two members."""
    if len(members) < 2:
        return ()
    used = np.asarray((presence.present[list(members)] > 0).sum(axis=0), dtype=np.float64)
    used = used.ravel()
    weight = np.where(used >= 2, used / len(members) * presence.idf, 0.0)
    order = np.lexsort((presence.terms, -np.round(weight, 9)))  # ties alphabetically
    chosen: list[str] = []
    for column in order:
        if weight[column] <= 0 or len(chosen) == limit:
            break
        term = str(presence.terms[column])
        # A phrase and its words say the same thing twice; keep the first (the stronger).
        if any(term in kept.split() or kept in term.split() for kept in chosen):
            continue
        chosen.append(term)
    return tuple(chosen)


def cluster_projects(
    projects: Sequence[ProjectText],
    *,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    terms: int = SHARED_TERMS,
    index: SimilarityIndex | None = None,
) -> list[ProjectCluster]:
    """The clusters of two or more similar projects (a project like no other is in none), largest
    first. `index`, if given, must be over `projects` in the same order."""
    if len(projects) < 2:
        return []
    if index is None:
        index = SimilarityIndex(projects)
    elif tuple(index.projects) != tuple(projects):
        raise ValueError("the index must be over the same projects in the same order")
    similarity = similarity_matrix(index)
    labels = cluster_labels(similarity, min_similarity)
    presence = term_presence([project.text for project in projects])
    groups: dict[int, list[int]] = {}
    for position, label in enumerate(labels):
        groups.setdefault(int(label), []).append(position)
    clusters = []
    for members in groups.values():
        if len(members) < 2:
            continue
        block = similarity[np.ix_(members, members)]
        pairs = len(members) * (len(members) - 1)
        cohesion = float((block.sum() - len(members)) / pairs)
        clusters.append(
            ProjectCluster(
                tuple(members), round(cohesion, 4), shared_terms(presence, members, terms)
            )
        )
    clusters.sort(key=lambda c: (-len(c.members), -c.cohesion, c.members[0]))
    return clusters
