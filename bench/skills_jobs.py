"""Benchmark the "infer skills for many texts" job on CV-length texts, against a named baseline
measured in the same run.

    python bench/skills_jobs.py [--texts 50000] [--baseline-texts 300] [--batch 256]
                                [--method fast|best]

What is timed is the job's own work (services/skill_batches.infer_file: read a JSON Lines file,
infer the top 10 ESCO skills of every text with the inferencer of services/skill_inference.py,
write a JSON Lines file), on one core, with the inferencer already built.

Baseline: the same service one text at a time (batch 1), the way a loop over the API or a naive
job would call it, on the first `--baseline-texts` texts; its rate is compared with the batched
run's. The texts are made-up CVs of about 2.5 KB (30 lines) built from ESCO skill labels and
framework skill names with a fixed seed (no personal data, nothing from the evaluation set).
Goal (issue 6): 50,000 CV-length texts as a background job with progress.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from threadpoolctl import threadpool_limits

from mobilise.services.framework import read_framework_directory, shipped_ddat_directory
from mobilise.services.skill_batches import infer_file
from mobilise.services.skill_inference import inferencer_for, read_esco_entries

VERBS = ("led", "delivered", "used", "applied", "improved", "designed", "supported", "ran")
PLACES = ("a central department", "a local council", "an agency", "a private firm", "the NHS")
TITLES = ("Data analyst", "Software developer", "User researcher", "Delivery manager")


def make_cvs(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    esco = [entry.label for entry in read_esco_entries()]
    framework = [s.name for s in read_framework_directory(shipped_ddat_directory()).skills]
    cvs = []
    for n in range(count):
        lines = [f"Candidate {n} — {rng.choice(TITLES)}", ""]
        for year in range(2024, 2024 - 7, -1):
            lines.append(f"{year}: {rng.choice(TITLES)} at {rng.choice(PLACES)}.")
            for _ in range(3):
                lines.append(
                    f"- {rng.choice(VERBS).capitalize()} {rng.choice(esco)} and "
                    f"{rng.choice(framework).lower()} for {rng.choice(PLACES)}, working with "
                    f"{rng.randint(2, 40)} colleagues on {rng.choice(esco)}."
                )
        cvs.append("\n".join(lines))
    return cvs


def write_jsonl(path: Path, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for n, text in enumerate(texts):
            handle.write(json.dumps({"id": n, "text": text}) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=50_000)
    parser.add_argument("--baseline-texts", type=int, default=300)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--method", choices=("best", "fast"), default="fast")
    options = parser.parse_args()

    started = time.perf_counter()
    inferencer_for("esco", method=options.method)
    print(f"inferencer built in {time.perf_counter() - started:.1f} s (excluded below)")
    texts = make_cvs(options.texts, options.seed)
    size = sum(len(t.encode()) for t in texts)
    print(
        f"{len(texts):,} texts, {size / len(texts):,.0f} bytes each on average; "
        f"method {options.method}"
    )

    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        sample, everything = directory / "sample.jsonl", directory / "all.jsonl"
        write_jsonl(sample, texts[: options.baseline_texts])
        write_jsonl(everything, texts)

        started = time.perf_counter()
        one = infer_file(sample, directory / "one.jsonl", method=options.method, batch=1)
        one_rate = one.texts / (time.perf_counter() - started)

        started = time.perf_counter()
        batched_sample = infer_file(
            sample, directory / "batched.jsonl", method=options.method, batch=options.batch
        )
        sample_rate = batched_sample.texts / (time.perf_counter() - started)
        same = (directory / "one.jsonl").read_bytes() == (directory / "batched.jsonl").read_bytes()

        reported: list[int] = []
        started = time.perf_counter()
        cpu_started = time.process_time()
        full = infer_file(
            everything,
            directory / "out.jsonl",
            method=options.method,
            batch=options.batch,
            progress=lambda done, total: reported.append(done),
        )
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
    rate = full.texts / seconds
    print(
        f"baseline (one text at a time), {one.texts} texts: {one_rate:,.1f} texts/s; "
        f"batched ({options.batch}) on the same texts: {sample_rate:,.1f} texts/s, "
        f"ratio {sample_rate / one_rate:,.2f}x, identical output={same}"
    )
    print(
        f"batched job, {full.texts:,} texts: {seconds:,.1f} s, {rate:,.1f} texts/s, "
        f"{full.suggestions:,} suggestions, {len(reported)} progress reports; "
        f"ratio to the baseline's rate {rate / one_rate:,.2f}x; cores used: 1 of {os.cpu_count()}"
    )
    # CPU time is what the job costs whatever else shares the machine; 50,000 at that rate:
    per_text = cpu_seconds / full.texts
    print(
        f"CPU time {cpu_seconds:,.1f} s ({full.texts / cpu_seconds:,.1f} texts per CPU second); "
        f"50,000 texts at that rate: {50_000 * per_text / 60:,.1f} CPU minutes"
    )


if __name__ == "__main__":
    # One core, as the goal says: numpy's BLAS would otherwise use both.
    with threadpool_limits(1):
        main()
