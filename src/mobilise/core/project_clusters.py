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
# A phrase replaces a chosen word in it when at least this strong relative to the word.
PHRASE_SHARE = 0.8


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
class TermWeights:
    """How much each project uses each word and two-word phrase, against the register at large
    (TF-IDF with sublinear counts, each project's row of unit length)."""

    weights: Any  # a sparse projects x terms matrix
    terms: NDArray[np.str_]


def term_weights(texts: Sequence[str]) -> TermWeights:
    vectorizer = TfidfVectorizer(
        ngram_range=(1, 2), sublinear_tf=True, stop_words=STOP_WORDS, token_pattern=WORD_PATTERN
    )
    try:
        weights = vectorizer.fit_transform(texts)
    except ValueError:  # every word a stop word: keep them all rather than say nothing
        vectorizer = TfidfVectorizer(sublinear_tf=True, token_pattern=ANY_WORD)
        weights = vectorizer.fit_transform(texts)
    return TermWeights(
        weights.tocsr(), np.asarray(vectorizer.get_feature_names_out(), dtype=np.str_)
    )


def shared_terms(register: TermWeights, members: Sequence[int], limit: int) -> tuple[str, ...]:
    """The words and two-word phrases that say most about what the members have in common:
    ranked by their mean weight in the members times the share of members using them; a term
    must occur in at least two members. A phrase nearly as strong as a word in it takes the
    word's place ("large language" rather than "large"); one much weaker is left out ("calculator"
    rather than "calculator money"); a word already in a chosen phrase is not repeated."""
    if len(members) < 2:
        return ()
    rows = register.weights[list(members)]
    used = np.asarray((rows > 0).sum(axis=0), dtype=np.float64).ravel()
    mean = np.asarray(rows.mean(axis=0), dtype=np.float64).ravel()
    weight = np.where(used >= 2, mean * used / len(members), 0.0)
    order = np.lexsort((register.terms, -np.round(weight, 9)))  # ties alphabetically
    chosen: dict[str, float] = {}  # term -> weight, strongest first
    for column in order:
        if weight[column] <= 0 or len(chosen) == limit:
            break
        term, strength = str(register.terms[column]), float(weight[column])
        words = term.split()
        if len(set(words)) < len(words) or any(term in kept.split() for kept in chosen):
            continue  # "chatbot chatbot", or a word of a phrase already chosen
        held = [word for word in words if word in chosen]
        if any(strength < PHRASE_SHARE * chosen[word] for word in held):
            continue  # the word is used in other phrases too: it says more on its own
        for word in held:  # the word is (nearly) always in this phrase: the phrase says it better
            del chosen[word]
        chosen[term] = strength
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
    register = term_weights([project.text for project in projects])
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
                tuple(members), round(cohesion, 4), shared_terms(register, members, terms)
            )
        )
    clusters.sort(key=lambda c: (-len(c.members), -c.cohesion, c.members[0]))
    return clusters
