"""Benchmark skill inference speed: the fast and best paths against MiniLM alone, in one run.

    python bench/skills.py                  # 5,000 sentences fast path, 500 best path and MiniLM
    python bench/skills.py --fast 20000 --best 1000

Sentences are the first sentences of ESCO skill descriptions (shipped data; job-ad length, 10–40
words), shuffled with a fixed seed. Everything runs on one core (BLAS limited to one thread, and
onnxruntime to one intra-op thread), after a warm-up, with the ESCO taxonomy already loaded (the
per-process cost is reported apart).
Baseline: all-MiniLM-L6-v2 alone on the numpy encoder, the common first attempt: encode each
sentence, cosine with every skill's preferred-label vector, keep the ten best. The same on
onnxruntime (int8 weights, the best path's encoder) shows the encoder's share of the best path,
and the best path on the numpy encoder shows what onnxruntime changed.
Goals (issue 6): fast path ≥ 10,000 sentences/s on one core; best path ≥ 200 sentences/s.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable, Sequence

# One core: read by the settings when the encoder is first loaded.
os.environ["MOBILISE_SKILL_MODEL_THREADS"] = "1"

import numpy as np
from threadpoolctl import threadpool_limits

from mobilise.core.skills import SkillInferencer
from mobilise.core.skills.dense import DenseScorer, TextEncoder
from mobilise.core.skills.lexical import LexicalScorer
from mobilise.core.skills.passages import passages_of
from mobilise.services.skill_inference import inferencer_for, read_esco_entries
from mobilise.services.skill_model import (
    load_encoder,
    model_directory,
    numpy_encoder,
    vectors_for,
)

SEED = 20261123
TOP = 10


def sentences(count: int) -> list[str]:
    """`count` sentence-like texts from ESCO descriptions (repeated if more are asked for)."""
    found = []
    for entry in read_esco_entries():
        text = entry.description
        for passage in passages_of(text)[:1]:
            words = text[passage.start : passage.end]
            if 10 <= len(words.split()) <= 40:
                found.append(words)
    random.Random(SEED).shuffle(found)
    return [found[i % len(found)] for i in range(count)]


def rate(run: Callable[[Sequence[str]], object], texts: Sequence[str]) -> tuple[float, float]:
    """Sentences per CPU second and per wall-clock second for `run` over `texts` in batches of
    256, after a warm-up. With one thread, CPU time is what one idle core would take; wall time
    also counts waiting for a core on a busy machine."""
    run(texts[:64])
    cpu, wall = time.process_time(), time.perf_counter()
    for first in range(0, len(texts), 256):
        run(texts[first : first + 256])
    return len(texts) / (time.process_time() - cpu), len(texts) / (time.perf_counter() - wall)


def minilm_alone(encoder: TextEncoder, labels_t: np.ndarray) -> Callable[[Sequence[str]], object]:
    """The baseline's ranking: each sentence's ten nearest preferred labels."""

    def rank(batch: Sequence[str]) -> list[list[int]]:
        scores = encoder.encode(batch) @ labels_t
        top = np.argpartition(-scores, TOP - 1, axis=1)[:, :TOP]
        order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1)
        return np.take_along_axis(top, order, axis=1).tolist()  # type: ignore[no-any-return]

    return rank


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--fast", type=int, default=5000, help="sentences for the fast path")
    parser.add_argument("--best", type=int, default=500, help="sentences for best and MiniLM")
    arguments = parser.parse_args()
    texts = sentences(max(arguments.fast, arguments.best))
    directory = model_directory()
    if directory is None:
        raise SystemExit("the sentence-embedding model is not installed (make install)")
    with threadpool_limits(limits=1):
        start = time.perf_counter()
        fast = inferencer_for("esco", method="fast")
        fast_build = time.perf_counter() - start
        start = time.perf_counter()
        best = inferencer_for("esco", method="best")
        best_build = time.perf_counter() - start
        encoder = load_encoder()
        assert encoder is not None
        numpy_model = numpy_encoder(directory)
        vectors = vectors_for(encoder, best.entries)
        labels_t = np.ascontiguousarray(vectors.labels.T)
        best_on_numpy = SkillInferencer(
            best.entries,
            [LexicalScorer(best.entries), DenseScorer(numpy_model, vectors)],
            best.blend,
        )
        few, many = texts[: arguments.best], texts[: arguments.fast]
        runtime = "onnxruntime" if type(encoder).__name__.startswith("Onnx") else "numpy"
        rows = [
            ("MiniLM alone, numpy", rate(minilm_alone(numpy_model, labels_t), few), ""),
            (f"MiniLM alone, {runtime}", rate(minilm_alone(encoder, labels_t), few), ""),
            ("fast path", rate(lambda b: fast.infer(b, TOP), many), "goal ≥ 10,000"),
            ("best path", rate(lambda b: best.infer(b, TOP), few), "goal ≥ 200"),
            ("best path, numpy encoder", rate(lambda b: best_on_numpy.infer(b, TOP), few), ""),
        ]
    baseline = rows[0][1][0]
    print(f"sentences: {arguments.fast:,} (fast path), {arguments.best:,} (best path, MiniLM)")
    print(f"taxonomy load per process: fast {fast_build:.1f} s, best {best_build:.1f} s (wall)")
    print("sentences/s on one core:         per CPU second   (wall clock)   vs baseline")
    for name, (per_cpu, per_wall), goal in rows:
        print(
            f"  {name:<28} {per_cpu:>12,.0f}   ({per_wall:>9,.0f})   "
            f"{per_cpu / baseline:6.1f}x   {goal}"
        )


if __name__ == "__main__":
    main()
