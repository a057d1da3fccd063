"""Measure similar-project detection on the register's evaluation set, against plain TF-IDF.

    python bench/register_similarity.py            # TF-IDF variants only
    python bench/register_similarity.py --dense    # also all-MiniLM-L6-v2 (the skills encoder)

Evaluation set: tests/data/register_similar_pairs.csv, pairs of published ATRS records of the same
kind of tool in different organisations, judged by hand with a reason each. Every record in a pair
is a query; the candidates are the other 135 shipped records minus those of the query's own
organisation (the detector's job is to find work elsewhere in government); the relevant ones are
the query's judged partners. precision@5 and recall@5 are averaged over queries (macro), so the
large chatbot group does not outweigh the rest. Baseline: plain TF-IDF (scikit-learn's defaults:
word unigrams, raw counts, no stop words) on the same title + summary + description, cosine.
The weights were chosen on this same set (few variants, all printed): an optimistic figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from mobilise.core.register.similarity import ProjectText, SimilarityIndex, Weights

ROOT = Path(__file__).resolve().parents[1]
RECORDS = ROOT / "src" / "mobilise" / "data" / "atrs" / "records"
PAIRS = ROOT / "tests" / "data" / "register_similar_pairs.csv"
K = 5

Ranker = Callable[[ProjectText], list[str]]


def load_projects() -> list[ProjectText]:
    projects = []
    for path in sorted(RECORDS.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        projects.append(
            ProjectText(
                path.stem,
                record["extra"].get("organisation_full_name"),
                record["title"],
                record["summary"] or "",
                record["description"] or "",
            )
        )
    return projects


def load_pairs() -> dict[str, set[str]]:
    partners: dict[str, set[str]] = defaultdict(set)
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            partners[row["record_a"]].add(row["record_b"])
            partners[row["record_b"]].add(row["record_a"])
    return partners


def evaluate(
    rank: Ranker, projects: list[ProjectText], partners: dict[str, set[str]]
) -> tuple[float, float]:
    by_key = {p.key: p for p in projects}
    precision, recall = [], []
    for key, relevant in sorted(partners.items()):
        top = rank(by_key[key])[:K]
        hits = len(relevant & set(top))
        precision.append(hits / K)
        recall.append(hits / len(relevant))
    return float(np.mean(precision)), float(np.mean(recall))


def plain_tfidf(projects: list[ProjectText]) -> Ranker:
    vectoriser = TfidfVectorizer()
    matrix = vectoriser.fit_transform([p.text for p in projects])
    keys = [p.key for p in projects]

    def rank(query: ProjectText) -> list[str]:
        scores = (matrix @ vectoriser.transform([query.text]).T).toarray().ravel()
        order = sorted(range(len(keys)), key=lambda i: (-scores[i], keys[i]))
        return [
            keys[i]
            for i in order
            if keys[i] != query.key
            and (query.organisation is None or projects[i].organisation != query.organisation)
        ]

    return rank


def blended(
    projects: list[ProjectText], weights: Weights, dense: np.ndarray | None = None
) -> Ranker:
    index = SimilarityIndex(projects, weights=weights, dense=dense)

    def rank(query: ProjectText) -> list[str]:
        found = index.similar_to_project(
            query.key, limit=len(projects), other_organisations=query.organisation is not None
        )
        return [f.key for f in found]

    return rank


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dense", action="store_true", help="also blend MiniLM sentence vectors")
    arguments = parser.parse_args()
    projects = load_projects()
    partners = load_pairs()
    pairs = sum(len(v) for v in partners.values()) // 2
    print(f"{len(projects)} records, {pairs} judged pairs, {len(partners)} queries, k={K}")
    variants: list[tuple[str, Callable[[], Ranker]]] = [
        ("baseline: plain TF-IDF", lambda: plain_tfidf(projects)),
        (
            "words only (1-2 grams, sublinear, stop words)",
            lambda: blended(projects, Weights(1.0, 0.0)),
        ),
        ("characters only (3-5 grams)", lambda: blended(projects, Weights(0.0, 1.0))),
        ("shipped: words + 0.5 characters", lambda: blended(projects, Weights())),
        ("words + characters equal", lambda: blended(projects, Weights(1.0, 1.0))),
    ]
    if arguments.dense:
        from mobilise.services.skill_model import load_encoder

        encoder = load_encoder()
        if encoder is None:
            raise SystemExit("no MiniLM model installed (make install)")
        started = time.perf_counter()
        vectors = np.asarray(encoder.encode([p.text for p in projects]), dtype=np.float64)
        print(
            f"encoded {len(projects)} records with MiniLM in {time.perf_counter() - started:.1f} s"
        )
        variants += [
            ("MiniLM only", lambda: blended(projects, Weights(0.0, 0.0, 1.0), vectors)),
            (
                "shipped + MiniLM (1, 0.5, 1)",
                lambda: blended(projects, Weights(1.0, 0.5, 1.0), vectors),
            ),
        ]
    baseline: tuple[float, float] | None = None
    for name, make in variants:
        started = time.perf_counter()
        rank = make()
        precision, recall = evaluate(rank, projects, partners)
        seconds = time.perf_counter() - started
        if baseline is None:
            baseline = (precision, recall)
        print(
            f"{name:48s} precision@5 {precision:.3f} ({precision / baseline[0]:.2f}x)  "
            f"recall@5 {recall:.3f} ({recall / baseline[1]:.2f}x)  {seconds * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
