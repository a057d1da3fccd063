"""A BERT sentence encoder (all-MiniLM-L6-v2's shape) in numpy: token ids in, unit vectors out.

Running the six small layers with numpy matrix products avoids a multi-gigabyte deep-learning
runtime for one small model; mean pooling and L2 normalisation follow sentence-transformers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from scipy.special import erf

FloatArray = NDArray[np.float32]
# Sequences are sorted by length and run in batches of about this many tokens, so that padding
# (which costs as much as real tokens) stays small.
BATCH_TOKENS = 4096


class Tokeniser(Protocol):
    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        """WordPiece ids of each text, with [CLS] and [SEP], truncated to the model's length."""
        ...


@dataclass(frozen=True)
class _Layer:
    qkv: FloatArray  # (hidden, 3·hidden): query, key and value in one product
    qkv_bias: FloatArray
    attention_out: FloatArray
    attention_out_bias: FloatArray
    attention_norm: tuple[FloatArray, FloatArray]
    intermediate: FloatArray
    intermediate_bias: FloatArray
    output: FloatArray
    output_bias: FloatArray
    output_norm: tuple[FloatArray, FloatArray]


class SentenceEncoder:
    """Mean-pooled, L2-normalised BERT embeddings from a BertModel's named weights."""

    def __init__(
        self, weights: Mapping[str, NDArray[np.generic]], tokeniser: Tokeniser, heads: int = 12
    ) -> None:
        def w(name: str) -> FloatArray:
            return np.ascontiguousarray(weights[name], dtype=np.float32)

        self._tokeniser = tokeniser
        self._heads = heads
        self._words = w("embeddings.word_embeddings.weight")
        self._positions = w("embeddings.position_embeddings.weight")
        # Every text is one segment, so the token-type embedding is a constant row.
        self._segment = w("embeddings.token_type_embeddings.weight")[0]
        self._embedding_norm = (w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"))
        self._layers: list[_Layer] = []
        index = 0
        while f"encoder.layer.{index}.attention.self.query.weight" in weights:
            p = f"encoder.layer.{index}."
            self._layers.append(
                _Layer(
                    qkv=np.ascontiguousarray(
                        np.concatenate(
                            [w(p + f"attention.self.{n}.weight") for n in ("query", "key", "value")]
                        ).T
                    ),
                    qkv_bias=np.concatenate(
                        [w(p + f"attention.self.{n}.bias") for n in ("query", "key", "value")]
                    ),
                    attention_out=np.ascontiguousarray(w(p + "attention.output.dense.weight").T),
                    attention_out_bias=w(p + "attention.output.dense.bias"),
                    attention_norm=(
                        w(p + "attention.output.LayerNorm.weight"),
                        w(p + "attention.output.LayerNorm.bias"),
                    ),
                    intermediate=np.ascontiguousarray(w(p + "intermediate.dense.weight").T),
                    intermediate_bias=w(p + "intermediate.dense.bias"),
                    output=np.ascontiguousarray(w(p + "output.dense.weight").T),
                    output_bias=w(p + "output.dense.bias"),
                    output_norm=(w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias")),
                )
            )
            index += 1
        self.dimension = self._words.shape[1]

    def encode(self, texts: Sequence[str]) -> FloatArray:
        """A (texts × dimension) matrix of unit vectors (zeros for an empty text list)."""
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return result
        ids = self._tokeniser.ids(texts)
        for batch in length_batches([len(i) for i in ids], BATCH_TOKENS):
            result[batch] = self._encode_ids([ids[i] for i in batch])
        return result

    def _encode_ids(self, batch: list[list[int]]) -> FloatArray:
        tokens, real = padded(batch)
        length = tokens.shape[1]
        mask = real.astype(np.float32)
        hidden = self._words[tokens] + self._positions[:length] + self._segment
        hidden = _layer_norm(hidden, *self._embedding_norm)
        # Padding gets a large negative attention logit, so it receives no weight.
        attention_bias = ((1.0 - mask) * -1e4)[:, None, None, :]
        for layer in self._layers:
            hidden = self._layer(hidden, attention_bias, layer)
        pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: FloatArray = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit

    def _layer(self, hidden: FloatArray, attention_bias: FloatArray, layer: _Layer) -> FloatArray:
        batch, length, width = hidden.shape
        head = width // self._heads
        # Linear layers run on (tokens × width) matrices: numpy's 3-D @ 2-D product is ~15x slower.
        flat = hidden.reshape(batch * length, width)
        qkv = flat @ layer.qkv + layer.qkv_bias
        qkv = qkv.reshape(batch, length, 3, self._heads, head).transpose(2, 0, 3, 1, 4)
        # Contiguous operands keep the stacked products on BLAS rather than numpy's slow loop.
        query = np.ascontiguousarray(qkv[0]) * np.float32(1.0 / np.sqrt(head))
        key = np.ascontiguousarray(qkv[1].transpose(0, 1, 3, 2))
        value = np.ascontiguousarray(qkv[2])
        logits = query @ key + attention_bias
        logits -= logits.max(axis=-1, keepdims=True)
        weights = np.exp(logits)
        weights /= weights.sum(axis=-1, keepdims=True)
        context = (weights @ value).transpose(0, 2, 1, 3).reshape(batch * length, width)
        attended = context @ layer.attention_out + layer.attention_out_bias
        flat = _layer_norm(attended + flat, *layer.attention_norm)
        inner = flat @ layer.intermediate + layer.intermediate_bias
        inner = 0.5 * inner * (1.0 + erf(inner * np.float32(1.0 / np.sqrt(2.0))))
        out = inner @ layer.output + layer.output_bias
        return _layer_norm(out + flat, *layer.output_norm).reshape(batch, length, width)


def length_batches(lengths: Sequence[int], batch_tokens: int) -> list[list[int]]:
    """Positions of sequences grouped into batches of similar length, shortest first, each at
    most `batch_tokens` once padded to its longest (a longer sequence goes alone)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    first = 0
    while first < len(order):
        last = first + 1
        while last < len(order) and (last - first + 1) * lengths[order[last]] <= batch_tokens:
            last += 1
        batches.append(order[first:last])
        first = last
    return batches


def padded(batch: Sequence[Sequence[int]]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Token ids padded on the right with 0 to the longest, and the mask of real tokens."""
    length = max(len(ids) for ids in batch)
    tokens = np.zeros((len(batch), length), dtype=np.int64)
    mask = np.zeros((len(batch), length), dtype=np.int64)
    for row, ids in enumerate(batch):
        tokens[row, : len(ids)] = ids
        mask[row, : len(ids)] = 1
    return tokens, mask


def _layer_norm(x: FloatArray, gain: FloatArray, bias: FloatArray) -> FloatArray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    normed: FloatArray = ((x - mean) / np.sqrt(variance + np.float32(1e-12)) * gain + bias).astype(
        np.float32
    )
    return normed
