"""Measure the search across guidance, the register and learning on its relevance set.

    python bench/site_search.py

Corpus: the shipped guidance, the 136 shipped published ATRS records and the demo learning
catalogue (seed 7, 650 items), as `make run` loads them, in a temporary SQLite database.
Relevance set: tests/data/site_search_relevance.csv (18 queries, each with one expected item and
the rank it must reach). Metrics over the set: mean reciprocal rank of the expected item (0 when
it is not in the top 50) and the share found within their stated rank. Baselines on the same
documents: plain TF-IDF (scikit-learn defaults: word unigrams, no stop words, no stemming, title
once), and the pages' older lexical search (every word a substring of the title or body, any
case; ordered by title). Timings: the first search (which builds the index) and the median of
the set's queries once built. The set was written here alongside the ranking: optimistic.
"""

from __future__ import annotations

import csv
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer

from mobilise.core.site_search import SearchDocument, SiteIndex
from mobilise.services import site_search
from mobilise.services.framework import ensure_default_framework
from mobilise.services.guidance import seed_guidance
from mobilise.services.learning import ensure_demo_catalogue
from mobilise.services.register_transfer import import_register
from mobilise.store.database import make_engine
from mobilise.store.schema import upgrade

ROOT = Path(__file__).resolve().parents[1]
RELEVANCE = ROOT / "tests" / "data" / "site_search_relevance.csv"
DEPTH = 50

Ranker = Callable[[str], list[tuple[str, str]]]


def plain_tfidf(documents: list[SearchDocument]) -> Ranker:
    vectoriser = TfidfVectorizer()
    matrix = vectoriser.fit_transform([f"{d.title}\n{d.body}" for d in documents])

    def rank(query: str) -> list[tuple[str, str]]:
        scores = (matrix @ vectoriser.transform([query]).T).toarray().ravel()
        order = sorted(
            (i for i in range(len(documents)) if scores[i] > 0), key=lambda i: -scores[i]
        )
        return [(documents[i].kind, documents[i].key) for i in order[:DEPTH]]

    return rank


def substring(documents: list[SearchDocument]) -> Ranker:
    def rank(query: str) -> list[tuple[str, str]]:
        words = query.lower().split()
        found = [d for d in documents if all(w in f"{d.title}\n{d.body}".lower() for w in words)]
        found.sort(key=lambda d: d.title.lower())
        return [(d.kind, d.key) for d in found[:DEPTH]]

    return rank


def score(ranker: Ranker, rows: list[dict[str, str]]) -> tuple[float, float]:
    reciprocal, within = [], []
    for row in rows:
        ranked = ranker(row["query"])
        target = (row["kind"], row["key"])
        position = ranked.index(target) + 1 if target in ranked else None
        reciprocal.append(0.0 if position is None else 1 / position)
        within.append(position is not None and position <= int(row["within"]))
    return statistics.fmean(reciprocal), sum(within) / len(within)


def main() -> None:
    with RELEVANCE.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    directory = Path(tempfile.mkdtemp())
    engine = make_engine(f"sqlite:///{directory / 'bench.db'}")
    upgrade(engine)
    ensure_default_framework(engine)
    import_register(engine)
    ensure_demo_catalogue(engine, seed=7)
    seed_guidance(engine)

    started = time.perf_counter()
    site_search.search_site(engine, "data")
    first = time.perf_counter() - started
    times = []
    for row in rows:
        started = time.perf_counter()
        site_search.search_site(engine, row["query"])
        times.append(time.perf_counter() - started)

    documents, _ = site_search.search_documents(engine)
    index = SiteIndex(documents)

    def ours(query: str) -> list[tuple[str, str]]:
        ranked = index.rank(query)[:DEPTH]
        return [(documents[r.position].kind, documents[r.position].key) for r in ranked]

    print(f"corpus: {len(documents)} documents; relevance set: {len(rows)} queries")
    results = {}
    for name, ranker in (
        ("site search (stems, pairs, title x2)", ours),
        ("plain TF-IDF (baseline)", plain_tfidf(documents)),
        ("substring, by title (baseline)", substring(documents)),
    ):
        results[name] = score(ranker, rows)
        mrr, hit = results[name]
        print(f"{name:40s} MRR {mrr:.3f}  within stated rank {hit:.0%}")
    ours_mrr = results["site search (stems, pairs, title x2)"][0]
    print(f"MRR ratio vs plain TF-IDF: {ours_mrr / results['plain TF-IDF (baseline)'][0]:.2f}x")
    substring_mrr = max(results["substring, by title (baseline)"][0], 1e-9)
    print(f"MRR ratio vs substring: {ours_mrr / substring_mrr:.2f}x")
    print(f"first search (builds the index): {first * 1000:.0f} ms")
    print(f"median search once built: {statistics.median(times) * 1000:.1f} ms")
    engine.dispose()


if __name__ == "__main__":
    main()
