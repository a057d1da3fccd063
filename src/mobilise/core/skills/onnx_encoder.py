"""The sentence encoder run by onnxruntime: the graph `bert_graph` builds (float32, or with int8
weights), the same contract as the numpy encoder (texts in, unit vectors out), several times
faster on one core.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import onnx
import onnxruntime

from mobilise.core.skills.bert_graph import ATTENTION_MASK, INPUT_IDS, SENTENCE
from mobilise.core.skills.encoder import FloatArray, Tokeniser, length_batches, padded

# Batches of about this many tokens: measured fastest on one core (8–16 sentences). Larger
# batches gain nothing in the products and push the 1,536-wide intermediate out of L2 cache.
BATCH_TOKENS = 256
# onnxruntime fuses residual + bias + LayerNorm into SkipLayerNormalization, whose CPU kernel
# (onnxruntime 1.32) took 5x longer than the unfused Add and LayerNormalization kernels here.
UNFUSED = ["SkipLayerNormFusion"]


class OnnxSentenceEncoder:
    """Mean-pooled, L2-normalised sentence vectors from an ONNX model of `bert_graph`'s shape."""

    def __init__(self, model: bytes, tokeniser: Tokeniser, threads: int = 0) -> None:
        """`threads` is onnxruntime's intra-op thread count: 0 means one per physical core."""
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            model, options, providers=["CPUExecutionProvider"], disabled_optimizers=UNFUSED
        )
        self._tokeniser = tokeniser
        self.dimension = int(self._session.get_outputs()[0].shape[1])

    def encode(self, texts: Sequence[str]) -> FloatArray:
        """A (texts × dimension) matrix of unit vectors (zeros for an empty text list)."""
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return result
        ids = self._tokeniser.ids(texts)
        for batch in length_batches([len(i) for i in ids], BATCH_TOKENS):
            tokens, mask = padded([ids[i] for i in batch])
            (vectors,) = self._session.run(
                [SENTENCE],
                {INPUT_IDS: tokens.astype(np.int32), ATTENTION_MASK: mask.astype(np.int32)},
            )
            result[batch] = vectors
        return result


def activation_ranges(
    model: bytes, tensors: Sequence[str], tokeniser: Tokeniser, texts: Sequence[str]
) -> dict[str, FloatArray]:
    """Each named tensor's largest magnitude per channel over the real tokens of `texts` (the
    calibration that smooths a graph for int8 weights)."""
    graph = onnx.load_from_string(model)
    for name in tensors:
        graph.graph.output.append(
            onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None)
        )
    session = onnxruntime.InferenceSession(
        graph.SerializeToString(), providers=["CPUExecutionProvider"], disabled_optimizers=UNFUSED
    )
    found: dict[str, FloatArray] = {}
    ids = tokeniser.ids(texts)
    for batch in length_batches([len(i) for i in ids], BATCH_TOKENS):
        tokens, mask = padded([ids[i] for i in batch])
        values = session.run(
            list(tensors),
            {INPUT_IDS: tokens.astype(np.int32), ATTENTION_MASK: mask.astype(np.int32)},
        )
        real = mask.astype(bool)
        for name, value in zip(tensors, values, strict=True):
            reach = np.abs(value[real]).max(axis=0).astype(np.float32)
            found[name] = np.maximum(found[name], reach) if name in found else reach
    return found
