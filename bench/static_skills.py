"""Build the fast path's static sentence model: a bag of words → MiniLM-vector map fitted here.

    python bench/static_skills.py corpus [--workers 2]   # encode the corpus once (cached in var/)
    python bench/static_skills.py fit                    # fit and write the shipped weights

The corpus is shipped data only, never the evaluation sentences: ESCO's preferred and alternative
labels, its descriptions and their sentences, the DDaT framework's skill, role and level texts
(their lines and sentences) and the ATRS records' summaries. all-MiniLM-L6-v2 (the best path's
model, numpy encoder) encodes each text; its vectors are the targets the static model learns to
reproduce from the words alone (core/skills/static.py). Encoding takes ~15 CPU minutes, so each
chunk is cached under var/static-skills/ and a rerun resumes.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from mobilise.core.skills.fast import documents_of
from mobilise.core.skills.passages import passages_of
from mobilise.core.skills.static import fit_static_model
from mobilise.services.framework import shipped_ddat_directory
from mobilise.services.skill_inference import read_esco_entries
from mobilise.services.skill_model import load_encoder, read_vectors, shipped_vectors_file
from mobilise.services.static_skill_model import shipped_static_file, write_static_model

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "var" / "static-skills"
CHUNK = 4000
ATRS_FIELDS = ("summary", "description", "detailed_description", "benefit", "scope")
# Ridge penalty, chosen on the validation split among 0.1 and 1 (bench/RESULTS.md).
REGULARISATION = 0.1


def _pieces(text: str) -> Iterator[str]:
    """The text's passages (sentences, lines, list items) without list markers."""
    for passage in passages_of(text):
        piece = text[passage.start : passage.end].lstrip("-*• ").strip()
        if len(piece) > 2:
            yield piece


def shipped_texts() -> list[str]:
    """Texts to encode beyond ESCO's labels and descriptions (whose vectors are shipped):
    distinct, in a fixed order."""
    entries = read_esco_entries()
    found: dict[str, None] = {}
    for entry in entries:
        for alt in entry.alt_labels:
            found[alt] = None
    for entry in entries:
        pieces = list(_pieces(entry.description))
        if len(pieces) > 1:
            found.update(dict.fromkeys(pieces))
    ddat = shipped_ddat_directory()
    for name, columns in (
        ("skills.csv", ("name", "description", "awareness", "working", "practitioner", "expert")),
        ("roles.csv", ("name", "description")),
        ("role_levels.csv", ("name", "description")),
        ("job_families.csv", ("name", "description")),
    ):
        with (ddat / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for column in columns:
                    found.update(dict.fromkeys(_pieces(row.get(column) or "")))
    for path in sorted((ddat.parent / "atrs" / "records").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        for field in ATRS_FIELDS:
            value = record.get(field)
            if isinstance(value, str) and value != "None":
                found.update(dict.fromkeys(_pieces(value)))
    known = {e.label for e in entries} | {e.description for e in entries}
    return [text for text in found if text not in known]


def _encode_chunk(job: tuple[int, list[str]]) -> int:
    number, texts = job
    path = CACHE / f"chunk-{number:04d}.npy"
    if not path.exists():
        encoder = load_encoder()
        if encoder is None:
            raise SystemExit("the sentence-embedding model is not installed (make install)")
        vectors = encoder.encode(texts).astype(np.float16)
        np.save(path.with_suffix(".tmp.npy"), vectors)
        path.with_suffix(".tmp.npy").rename(path)
    return number


def build_corpus(workers: int) -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    texts = shipped_texts()
    (CACHE / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
    jobs = [(n, texts[f : f + CHUNK]) for n, f in enumerate(range(0, len(texts), CHUNK))]
    print(f"{len(texts):,} texts to encode in {len(jobs)} chunks", flush=True)
    start = time.perf_counter()
    with multiprocessing.Pool(workers) as pool:
        for done, number in enumerate(pool.imap_unordered(_encode_chunk, jobs), start=1):
            print(f"chunk {number} done ({done}/{len(jobs)}, {time.perf_counter() - start:.0f} s)",
                  flush=True)  # fmt: skip


def read_corpus() -> tuple[list[str], np.ndarray]:
    """Every corpus text and its MiniLM vector: ESCO labels and descriptions (shipped vectors),
    then the encoded texts."""
    entries = read_esco_entries()
    vectors = read_vectors(shipped_vectors_file(), entries)
    if vectors is None:
        raise SystemExit("the shipped ESCO vectors do not match the shipped ESCO list")
    texts: list[str] = json.loads((CACHE / "texts.json").read_text(encoding="utf-8"))
    chunks = [np.load(CACHE / f"chunk-{n:04d}.npy") for n in range(-(-len(texts) // CHUNK))]
    return (
        [*(e.label for e in entries), *(e.description or e.label for e in entries), *texts],
        np.vstack([vectors.labels, vectors.descriptions, *chunks]).astype(np.float32),
    )


def fit(output: Path) -> None:
    """Fit the word vectors on the cached corpus over the ESCO fast path's vocabulary."""
    texts, targets = read_corpus()
    documents = [text for texts in documents_of(read_esco_entries()).values() for text in texts]
    counter = CountVectorizer(stop_words="english", dtype=np.float32).fit(documents)
    vocabulary = tuple(sorted(counter.vocabulary_, key=counter.vocabulary_.__getitem__))
    counts = sp.csr_matrix(counter.transform(texts), dtype=np.float32)
    known = np.asarray(counts.sum(axis=1)).ravel() > 0
    start = time.perf_counter()
    model = fit_static_model(
        vocabulary, counts[known], targets[known], regularisation=REGULARISATION
    )
    print(f"fitted {len(vocabulary):,} words on {known.sum():,} of {len(texts):,} texts "
          f"in {time.perf_counter() - start:.0f} s")  # fmt: skip
    write_static_model(output, model)
    print(f"wrote {output} ({output.stat().st_size / 1e6:.1f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("step", choices=("corpus", "fit"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--output", type=Path, default=shipped_static_file())
    arguments = parser.parse_args()
    if arguments.step == "corpus":
        build_corpus(arguments.workers)
    else:
        fit(arguments.output)


if __name__ == "__main__":
    main()
