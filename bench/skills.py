"""Benchmark skill inference speed: the fast and best paths against MiniLM alone, in one run.

    python bench/skills.py                  # 5,000 sentences fast path, 500 best path and MiniLM
    python bench/skills.py --fast 20000 --best 1000

Sentences are the first sentences of ESCO skill descriptions (shipped data; job-ad length, 10–40
words), shuffled with a fixed seed. Everything runs on one core (BLAS limited to one thread), after
a warm-up, with the ESCO taxonomy already loaded (the per-process cost is reported apart).
Baseline: all-MiniLM-L6-v2 alone, the common first attempt: encode each sentence, cosine with
every skill's preferred-label vector, keep the ten best.
Goals (issue 6): fast path ≥ 10,000 sentences/s on one core; best path ≥ 200 sentences/s.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence

import numpy as np
from threadpoolctl import threadpool_limits

from mobilise.core.skills.passages import passages_of
from mobilise.services.skill_inference import inferencer_for, read_esco_entries
from mobilise.services.skill_model import load_encoder, vectors_for

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


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--fast", type=int, default=5000, help="sentences for the fast path")
    parser.add_argument("--best", type=int, default=500, help="sentences for best and MiniLM")
    arguments = parser.parse_args()
    texts = sentences(max(arguments.fast, arguments.best))
    with threadpool_limits(limits=1):
        start = time.perf_counter()
        fast = inferencer_for("esco", method="fast")
        fast_build = time.perf_counter() - start
        start = time.perf_counter()
        best = inferencer_for("esco", method="best")
        best_build = time.perf_counter() - start
        encoder = load_encoder()
        if encoder is None:
            raise SystemExit("the sentence-embedding model is not installed (make install)")
        labels_t = np.ascontiguousarray(vectors_for(encoder, read_esco_entries()).labels.T)

        def minilm_alone(batch: Sequence[str]) -> list[list[int]]:
            scores = encoder.encode(batch) @ labels_t
            top = np.argpartition(-scores, TOP - 1, axis=1)[:, :TOP]
            order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1)
            return np.take_along_axis(top, order, axis=1).tolist()  # type: ignore[no-any-return]

        baseline = rate(minilm_alone, texts[: arguments.best])
        fast_rate = rate(lambda batch: fast.infer(batch, TOP), texts[: arguments.fast])
        best_rate = rate(lambda batch: best.infer(batch, TOP), texts[: arguments.best])
    print(f"sentences: {arguments.fast:,} (fast path), {arguments.best:,} (best path, MiniLM)")
    print(f"taxonomy load per process: fast {fast_build:.1f} s, best {best_build:.1f} s (wall)")
    print("sentences/s on one core:     per CPU second   (wall clock)   vs baseline")
    for name, (per_cpu, per_wall), goal in (
        ("baseline MiniLM alone", baseline, ""),
        ("fast path", fast_rate, "goal ≥ 10,000"),
        ("best path", best_rate, "goal ≥ 200"),
    ):
        print(
            f"  {name:<24} {per_cpu:>12,.0f}   ({per_wall:>9,.0f})   "
            f"{per_cpu / baseline[0]:6.1f}x   {goal}"
        )


if __name__ == "__main__":
    main()
