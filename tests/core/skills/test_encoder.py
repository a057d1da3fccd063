"""The numpy BERT encoder on a tiny random model: unit vectors, padding has no effect, stable."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mobilise.core.skills.encoder import SentenceEncoder

WIDTH, HEADS, LAYERS, VOCABULARY = 16, 4, 2, 50


class CharacterTokeniser:
    """[CLS] one id per character [SEP]: enough to drive the encoder."""

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        return [[1, *(3 + ord(c) % (VOCABULARY - 3) for c in text[:30]), 2] for text in texts]


def tiny_weights(seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)

    def r(*shape: int) -> np.ndarray:
        return rng.normal(0, 0.2, shape).astype(np.float32)

    weights = {
        "embeddings.word_embeddings.weight": r(VOCABULARY, WIDTH),
        "embeddings.position_embeddings.weight": r(64, WIDTH),
        "embeddings.token_type_embeddings.weight": r(2, WIDTH),
        "embeddings.LayerNorm.weight": np.ones(WIDTH, np.float32),
        "embeddings.LayerNorm.bias": np.zeros(WIDTH, np.float32),
    }
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}."
        for name in ("query", "key", "value"):
            weights[p + f"attention.self.{name}.weight"] = r(WIDTH, WIDTH)
            weights[p + f"attention.self.{name}.bias"] = r(WIDTH)
        weights[p + "attention.output.dense.weight"] = r(WIDTH, WIDTH)
        weights[p + "attention.output.dense.bias"] = r(WIDTH)
        weights[p + "intermediate.dense.weight"] = r(4 * WIDTH, WIDTH)
        weights[p + "intermediate.dense.bias"] = r(4 * WIDTH)
        weights[p + "output.dense.weight"] = r(WIDTH, 4 * WIDTH)
        weights[p + "output.dense.bias"] = r(WIDTH)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            weights[p + norm + ".weight"] = np.ones(WIDTH, np.float32)
            weights[p + norm + ".bias"] = np.zeros(WIDTH, np.float32)
    return weights


ENCODER = SentenceEncoder(tiny_weights(), CharacterTokeniser(), heads=HEADS)


def test_vectors_are_unit_length_and_distinct() -> None:
    vectors = ENCODER.encode(["python", "baking bread", "python"])
    assert vectors.shape == (3, WIDTH)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[0], vectors[2])
    assert not np.allclose(vectors[0], vectors[1])


def test_no_texts_gives_an_empty_matrix() -> None:
    assert ENCODER.encode([]).shape == (0, WIDTH)


@settings(max_examples=30)
@given(st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=6))
def test_a_text_encodes_the_same_alone_or_padded_in_a_batch(texts: list[str]) -> None:
    together = ENCODER.encode(texts)
    for text, vector in zip(texts, together, strict=True):
        assert np.allclose(ENCODER.encode([text])[0], vector, atol=1e-5)
