"""The installed model as an ONNX graph: built from the shipped weights, checked against the numpy
encoder (the oracle), kept by fingerprint, and what load_encoder runs."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from mobilise.core.skills.onnx_encoder import OnnxSentenceEncoder
from mobilise.services.skill_model import (
    WordPieceTokeniser,
    encoder_graph,
    load_encoder,
    model_directory,
    numpy_encoder,
)

# `make install` installs the model; CI must have it, a bare checkout may not.
MODEL_REQUIRED = os.environ.get("CI", "").lower() == "true"
# int8 weights move a sentence's vector: measured mean cosine 0.993 with the float32 vector on
# ESCO sentences. These bounds are the tolerance the best path is held to.
INT8_WORST, INT8_MEAN = 0.97, 0.985
SENTENCES = [
    "You will write Python code.",
    "Experience of managing a team of data analysts and engineers.",
    "Passionate about solving business problems with stakeholders.",
    "Fluent in Spanish.",
    "Maîtrise de l'anglais et de l'allemand.",
    "•",
    "",
    "Design, build and maintain ETL pipelines on AWS (Glue, Lambda, S3) and Azure Data Factory. "
    * 8,
]


@pytest.fixture(scope="module")
def directory() -> Path:
    found = model_directory()
    if found is None:
        if MODEL_REQUIRED:
            pytest.fail("the sentence-embedding model package is not installed")
        pytest.skip("the sentence-embedding model package is not installed")
    return found


@pytest.fixture(scope="module")
def oracle(directory: Path) -> np.ndarray:
    return numpy_encoder(directory).encode(SENTENCES)


def _encoder(directory: Path, model: bytes) -> OnnxSentenceEncoder:
    return OnnxSentenceEncoder(model, WordPieceTokeniser(directory / "tokenizer.json"), threads=1)


def test_the_float32_graph_gives_the_numpy_encoders_vectors(
    directory: Path, oracle: np.ndarray
) -> None:
    found = _encoder(directory, encoder_graph(directory, "float32", None)).encode(SENTENCES)
    assert np.all((found * oracle).sum(axis=1) > 1 - 1e-4)


def test_int8_weights_stay_within_the_stated_tolerance(directory: Path, oracle: np.ndarray) -> None:
    found = _encoder(directory, encoder_graph(directory, "int8", None)).encode(SENTENCES)
    cosines = (found * oracle).sum(axis=1)
    assert np.allclose(np.linalg.norm(found, axis=1), 1.0, atol=1e-5)
    assert cosines.min() > INT8_WORST
    assert cosines.mean() > INT8_MEAN
    # Still the same model: each sentence is nearest its own float32 vector.
    assert (found @ oracle.T).argmax(axis=1).tolist() == list(range(len(SENTENCES)))


def test_a_built_graph_is_kept_by_its_fingerprint_and_read_back(
    directory: Path, tmp_path: Path
) -> None:
    model = encoder_graph(directory, "float32", tmp_path)
    (kept,) = tmp_path.glob("minilm-float32-*.onnx")
    assert kept.read_bytes() == model
    # The kept file is what a later process reads: the same name, no rebuild.
    kept.write_bytes(b"kept")
    assert encoder_graph(directory, "float32", tmp_path) == b"kept"
    assert not list(tmp_path.glob(".*"))


def test_the_process_encoder_is_onnxruntimes() -> None:
    encoder = load_encoder()
    if encoder is None and not MODEL_REQUIRED:
        pytest.skip("the sentence-embedding model package is not installed")
    assert isinstance(encoder, OnnxSentenceEncoder)
    vectors = encoder.encode(["You will write Python code.", ""])
    assert vectors.shape == (2, 384)
