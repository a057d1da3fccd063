"""all-MiniLM-L6-v2's BERT encoder as an ONNX graph, built from the same named weights the numpy
encoder reads, for onnxruntime to run.

The graph uses onnxruntime's fused CPU operators (com.microsoft domain) where they pay:
EmbedLayerNormalization (word + position embeddings and their LayerNorm in one kernel), Attention
(query, key and value in one product, masked softmax, context) and BiasGelu. Each replaces several
small operators whose intermediate tensors cost more memory traffic than arithmetic at this
model's width; onnxruntime's dynamic quantisation turns Attention and MatMul into int8 kernels.
Residual connections stay Add + LayerNormalization (see onnx_encoder.UNFUSED). Mean pooling over
real tokens and L2 normalisation follow, as sentence-transformers does, so the graph's output is
the sentence vector.

Inputs: `input_ids` and `attention_mask`, both int32 (batch × length), padding on the right.
Output: `sentence` float32 (batch × hidden), unit rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray
from onnx import NodeProto, TensorProto, helper, numpy_helper

CONTRIB = "com.microsoft"
# LayerNorm epsilon of BERT models (config.json's layer_norm_eps).
EPSILON = 1e-12
OPSET = 17
INPUT_IDS = "input_ids"
ATTENTION_MASK = "attention_mask"
SENTENCE = "sentence"
# Raised when this file's graph changes, so that graphs built and cached before are rebuilt.
GRAPH_VERSION = "2"
# SmoothQuant's migration strength: how much of an input channel's range moves into the weights.
SMOOTHING_STRENGTH = 0.7


def product_inputs(weights: Mapping[str, NDArray[np.generic]]) -> list[str]:
    """The graph's tensors that are multiplied by weights (each layer's input, its attention
    block's output and its activation): the ones whose ranges `bert_graph` can smooth."""
    names = []
    hidden = "embedded"
    for index in range(_layer_count(weights)):
        q = f"layer{index}_"
        names += [hidden, q + "attention_normed", q + "activated"]
        hidden = q + "output_normed"
    return names


def _layer_count(weights: Mapping[str, NDArray[np.generic]]) -> int:
    count = 0
    while f"encoder.layer.{count}.attention.self.query.weight" in weights:
        count += 1
    return count


def bert_graph(
    weights: Mapping[str, NDArray[np.generic]],
    heads: int,
    activation_ranges: Mapping[str, NDArray[np.float32]] | None = None,
) -> bytes:
    """The serialised ONNX model of a BertModel's weights with mean pooling and normalisation.

    `activation_ranges` (some `product_inputs` tensors' largest magnitude per channel, measured on
    sample texts) turns on SmoothQuant: x·W = (x / s)·(s·W) with s = range^0.7 / max|W row|^0.3,
    so that a few outlier channels (LayerNorm outputs reach 30 in one channel where most stay
    under 2) no longer take the whole int8 range of a product's input when it is quantised. The
    float32 output is unchanged up to rounding.
    """
    initialisers: list[TensorProto] = []
    nodes: list[NodeProto] = []

    def constant(name: str, value: NDArray[np.generic]) -> str:
        initialisers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def w(name: str) -> NDArray[np.float32]:
        return np.asarray(weights[name], dtype=np.float32)

    def node(op: str, inputs: list[str], output: str, domain: str = "", **attributes: Any) -> str:
        nodes.append(
            helper.make_node(op, inputs, [output], name=output, domain=domain, **attributes)
        )
        return output

    # Every text is one segment, so token type 0's embedding is folded into the positions.
    positions = (
        w("embeddings.position_embeddings.weight") + w("embeddings.token_type_embeddings.weight")[0]
    )
    nodes.append(
        helper.make_node(
            "EmbedLayerNormalization",
            [
                INPUT_IDS,
                "",
                constant("word_embeddings", w("embeddings.word_embeddings.weight")),
                constant("position_embeddings", positions),
                "",
                constant("embedding_norm_gain", w("embeddings.LayerNorm.weight")),
                constant("embedding_norm_bias", w("embeddings.LayerNorm.bias")),
                ATTENTION_MASK,
            ],
            ["embedded", "mask_index"],
            name="embedded",
            domain=CONTRIB,
            epsilon=EPSILON,
        )
    )
    hidden = "embedded"
    index = 0

    def smoothed(tensor: str, weight: NDArray[np.float32]) -> tuple[str, NDArray[np.float32]]:
        if activation_ranges is None or tensor not in activation_ranges:
            return tensor, weight
        reach = np.maximum(activation_ranges[tensor], 1e-5)
        scale = reach**SMOOTHING_STRENGTH / np.maximum(np.abs(weight).max(axis=1), 1e-5) ** (
            1 - SMOOTHING_STRENGTH
        )
        scale = np.maximum(scale, 1e-5).astype(np.float32)
        divided = node("Mul", [tensor, constant(tensor + "_smoothing", 1 / scale)], tensor + "_s")
        return divided, (weight * scale[:, None]).astype(np.float32)

    def residual(x: str, skip: str, source: str, output: str) -> str:
        """LayerNorm(x + the dense layer's bias + skip): the residual connection after attention
        and feed-forward. Kept as Add + LayerNormalization: see onnx_encoder.UNFUSED."""
        biased = node(
            "Add", [x, constant(output + "_bias", w(source + "dense.bias"))], output + "_b"
        )
        gain = constant(output + "_gain", w(source + "LayerNorm.weight"))
        beta = constant(output + "_beta", w(source + "LayerNorm.bias"))
        summed = node("Add", [biased, skip], output + "_summed")
        return node("LayerNormalization", [summed, gain, beta], output, axis=-1, epsilon=EPSILON)

    while f"encoder.layer.{index}.attention.self.query.weight" in weights:
        p = f"encoder.layer.{index}."
        q = f"layer{index}_"
        qkv = np.concatenate(
            [w(p + f"attention.self.{n}.weight") for n in ("query", "key", "value")]
        )
        qkv_bias = np.concatenate(
            [w(p + f"attention.self.{n}.bias") for n in ("query", "key", "value")]
        )
        attention_in, qkv_t = smoothed(hidden, np.ascontiguousarray(qkv.T))
        context = node(
            "Attention",
            [
                attention_in,
                constant(q + "qkv", qkv_t),
                constant(q + "qkv_bias", qkv_bias),
                "mask_index",
            ],
            q + "context",
            CONTRIB,
            num_heads=heads,
        )
        attended = node(
            "MatMul",
            [context, constant(q + "attention_out", w(p + "attention.output.dense.weight").T)],
            q + "attended",
        )
        hidden = residual(attended, hidden, p + "attention.output.", q + "attention_normed")
        inner_in, intermediate = smoothed(hidden, w(p + "intermediate.dense.weight").T)
        inner = node("MatMul", [inner_in, constant(q + "intermediate", intermediate)], q + "inner")
        activated = node(
            "BiasGelu",
            [inner, constant(q + "intermediate_bias", w(p + "intermediate.dense.bias"))],
            q + "activated",
            CONTRIB,
        )
        out_in, output = smoothed(activated, w(p + "output.dense.weight").T)
        out = node("MatMul", [out_in, constant(q + "output", output)], q + "out")
        hidden = residual(out, hidden, p + "output.", q + "output_normed")
        index += 1
    # Mean over real tokens: padding's hidden states are multiplied by 0 and not counted.
    mask = node("Cast", [ATTENTION_MASK], "mask_float", to=TensorProto.FLOAT)
    weighted = node(
        "Mul",
        [hidden, node("Unsqueeze", [mask, constant("axis_2", np.array([2]))], "mask_3d")],
        "weighted",
    )
    axis_1 = constant("axis_1", np.array([1]))
    pooled = node(
        "Div",
        [
            node("ReduceSum", [weighted, axis_1], "summed", keepdims=0),
            node("ReduceSum", [mask, axis_1], "counted", keepdims=1),
        ],
        "pooled",
    )
    node("LpNormalization", [pooled], SENTENCE, axis=-1, p=2)
    width = weights["embeddings.word_embeddings.weight"].shape[1]
    graph = helper.make_graph(
        nodes,
        "sentence_encoder",
        [
            helper.make_tensor_value_info(INPUT_IDS, TensorProto.INT32, ["batch", "length"]),
            helper.make_tensor_value_info(ATTENTION_MASK, TensorProto.INT32, ["batch", "length"]),
        ],
        [helper.make_tensor_value_info(SENTENCE, TensorProto.FLOAT, ["batch", width])],
        initialisers,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid(CONTRIB, 1)],
        producer_name="mobilise",
    )
    return bytes(model.SerializeToString())
