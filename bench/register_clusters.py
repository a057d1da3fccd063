"""Measure the analysts' clusters of similar projects on the register's evaluation set.

    python bench/register_clusters.py

Evaluation set: tests/data/register_similar_pairs.csv (hand-judged pairs of published ATRS records
of the same kind of tool in different organisations; see bench/register_similarity.py). For each
closeness threshold: pair recall, the share of judged pairs whose two records land in one
cluster; pair precision, among pairs of judged records put in one cluster, the share that are
judged pairs or share a judged kind (an unjudged record is left out, so precision is not charged
for pairs no one looked at); the clusters, the records clustered, and the time to cluster all 136.
Baseline: plain TF-IDF (scikit-learn's defaults) cosine, clustered the same way (average linkage,
same threshold), measured in the same run. The shipped threshold (0.12) was chosen on this set.
"""

from __future__ import annotations

import csv
import itertools
import time
from collections.abc import Callable

import numpy as np
from register_similarity import PAIRS, load_projects  # bench/register_similarity.py
from sklearn.feature_extraction.text import TfidfVectorizer

from mobilise.core.project_clusters import (
    DEFAULT_MIN_SIMILARITY,
    cluster_labels,
    similarity_matrix,
)
from mobilise.core.register.similarity import ProjectText, SimilarityIndex

THRESHOLDS = (0.08, 0.1, DEFAULT_MIN_SIMILARITY, 0.15, 0.2, 0.3)
Similarity = Callable[[list[ProjectText]], np.ndarray]


def judged() -> tuple[set[frozenset[str]], dict[str, set[str]]]:
    """The judged pairs, and each judged record's kinds."""
    pairs: set[frozenset[str]] = set()
    kinds: dict[str, set[str]] = {}
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            pairs.add(frozenset((row["record_a"], row["record_b"])))
            for key in (row["record_a"], row["record_b"]):
                kinds.setdefault(key, set()).add(row["kind"])
    return pairs, kinds


def shipped(projects: list[ProjectText]) -> np.ndarray:
    return similarity_matrix(SimilarityIndex(projects))


def plain_tfidf(projects: list[ProjectText]) -> np.ndarray:
    matrix = TfidfVectorizer().fit_transform([p.text for p in projects])
    similarity = np.asarray((matrix @ matrix.T).toarray(), dtype=np.float64)
    np.fill_diagonal(similarity, 1.0)
    return similarity


def measure(
    labels: np.ndarray,
    keys: list[str],
    pairs: set[frozenset[str]],
    kinds: dict[str, set[str]],
) -> tuple[float, float, int, int]:
    cluster_of = dict(zip(keys, labels.tolist(), strict=True))
    recall = sum(1 for a, b in map(tuple, pairs) if cluster_of[a] == cluster_of[b]) / len(pairs)
    together = [
        (a, b)
        for a, b in itertools.combinations(sorted(kinds), 2)
        if cluster_of[a] == cluster_of[b]
    ]
    right = sum(1 for a, b in together if frozenset((a, b)) in pairs or kinds[a] & kinds[b])
    precision = right / len(together) if together else 0.0
    sizes = np.bincount(labels)
    return precision, recall, int((sizes >= 2).sum()), int(sizes[sizes >= 2].sum())


def main() -> None:
    projects = load_projects()
    keys = [p.key for p in projects]
    pairs, kinds = judged()
    print(f"{len(projects)} records, {len(pairs)} judged pairs over {len(kinds)} records")
    baseline: dict[float, tuple[float, float, float]] = {}
    for name, similarity in (("baseline: plain TF-IDF", plain_tfidf), ("shipped", shipped)):
        started = time.perf_counter()
        matrix = similarity(projects)
        built = time.perf_counter() - started
        for threshold in THRESHOLDS:
            started = time.perf_counter()
            labels = cluster_labels(matrix, threshold)
            seconds = built + time.perf_counter() - started
            precision, recall, clusters, clustered = measure(labels, keys, pairs, kinds)
            f1 = 2 * precision * recall / max(precision + recall, 1e-9)
            base = baseline.setdefault(threshold, (precision, recall, seconds))
            ratio = (
                f"  ({precision / max(base[0], 1e-9):.2f}x precision, "
                f"{recall / max(base[1], 1e-9):.2f}x recall, {seconds / base[2]:.1f}x time "
                "of the baseline)"
            )
            print(
                f"{name:24s} closeness {threshold:.2f}: pair precision {precision:.3f}  "
                f"pair recall {recall:.3f}  F1 {f1:.3f}  "
                f"{clusters} clusters of {clustered} records  {seconds * 1000:.0f} ms"
                + ("" if name.startswith("baseline") else ratio)
            )


if __name__ == "__main__":
    main()
