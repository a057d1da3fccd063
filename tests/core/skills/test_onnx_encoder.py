"""The ONNX graph of the encoder against the numpy encoder (the oracle) on a tiny random model:
the same unit vectors for any texts, alone or padded in a batch."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mobilise.core.skills.bert_graph import bert_graph, product_inputs
from mobilise.core.skills.encoder import SentenceEncoder
from mobilise.core.skills.onnx_encoder import BATCH_TOKENS, OnnxSentenceEncoder, activation_ranges
from tests.core.skills.test_encoder import HEADS, WIDTH, CharacterTokeniser, tiny_weights

WEIGHTS = tiny_weights()
ORACLE = SentenceEncoder(WEIGHTS, CharacterTokeniser(), heads=HEADS)
ENCODER = OnnxSentenceEncoder(bert_graph(WEIGHTS, HEADS), CharacterTokeniser(), threads=1)


def test_the_graph_reads_its_width_and_encodes_nothing_to_an_empty_matrix() -> None:
    assert ENCODER.dimension == WIDTH
    assert ENCODER.encode([]).shape == (0, WIDTH)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=12))
def test_the_graph_gives_the_numpy_encoders_vectors(texts: list[str]) -> None:
    found, expected = ENCODER.encode(texts), ORACLE.encode(texts)
    assert found.shape == expected.shape
    assert np.allclose(np.linalg.norm(found, axis=1), 1.0, atol=1e-5)
    assert np.all((found * expected).sum(axis=1) > 1 - 1e-5)


def test_texts_beyond_one_batch_keep_their_order() -> None:
    # Each text is ~32 ids, so this is several batches, sorted by length inside the encoder.
    texts = [("ab" * (i % 15 + 1)) + str(i) for i in range(3 * BATCH_TOKENS // 16)]
    found = ENCODER.encode(texts)
    for index in (0, 7, len(texts) - 1):
        assert np.allclose(found[index], ORACLE.encode([texts[index]])[0], atol=1e-5)


def test_smoothing_for_int8_leaves_the_float32_vectors_unchanged() -> None:
    texts = ["python", "baking bread", "a longer sentence about managing teams", ""]
    ranges = activation_ranges(
        bert_graph(WEIGHTS, HEADS), product_inputs(WEIGHTS), CharacterTokeniser(), texts
    )
    assert set(ranges) == set(product_inputs(WEIGHTS))
    assert all(r.shape[0] in (WIDTH, 4 * WIDTH) and (r > 0).all() for r in ranges.values())
    smoothed = OnnxSentenceEncoder(bert_graph(WEIGHTS, HEADS, ranges), CharacterTokeniser(), 1)
    other = ["sql", "driving lorries", "python"]
    assert np.all((smoothed.encode(other) * ORACLE.encode(other)).sum(axis=1) > 1 - 1e-5)
