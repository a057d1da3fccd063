"""Evaluate skill inference on the Decorte ESCO benchmark's validation split, per domain.

    make eval-skills
    python bench/eval_skills.py [--gold ../shared/eval/skills/validation.jsonl] [--folds 5]

The blend is fitted on validation sentences, so every figure for a fitted recipe is
cross-validated: the sentences are split into folds (stratified by domain, fixed seed), and
each fold is ranked by a blend fitted on the other folds. For the shipped recipe both steps run
through the command line exactly as a user runs them (`mobilise skills fit --gold TRAIN`, then
`mobilise skills infer --input HELD_OUT --blend FOLD_BLEND --output ...`). A second estimate
fits on one domain and ranks the other (the transfer a new domain such as techwolf needs).
../shared/eval/skills/score.py scores every prediction file.

Baselines run in the same process on the same sentences: a character TF-IDF ranking over each
skill's label and alternative labels, and all-MiniLM-L6-v2 alone (cosine of the sentence with
each skill's preferred label).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mobilise.core.skills import SkillInferencer
from mobilise.core.skills.blend import Blend
from mobilise.core.skills.dense import DenseScorer
from mobilise.core.skills.lexical import CharTfidfScorer
from mobilise.services.skill_inference import fit_skill_blend, infer_skills, read_esco_entries
from mobilise.services.skill_model import load_encoder, vectors_for

EVAL_DIRECTORY = Path(__file__).resolve().parents[2] / "shared" / "eval" / "skills"
DEFAULT_GOLD = EVAL_DIRECTORY / "validation.jsonl"
DEFAULT_SCORER = EVAL_DIRECTORY / "score.py"
RANKED = 20
SEED = 20261123
METRICS = ("RP@5", "RP@10", "MRR")

Row = dict[str, Any]
Ranker = Callable[[Sequence[str]], list[list[str]]]


def read_gold(path: Path) -> list[Row]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def write_rows(path: Path, rows: Sequence[Row]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def score(scorer: Path, predictions: Sequence[Row], gold: Path) -> dict[str, dict[str, float]]:
    """score.py's table for predictions in gold order, keyed by domain (and overall, macro)."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "predictions.jsonl"
        write_rows(path, predictions)
        result = subprocess.run(
            [sys.executable, str(scorer), str(path), str(gold), "--json"],
            check=True,
            capture_output=True,
            text=True,
        )
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return {str(row["domain"]): {m: float(row[m]) for m in METRICS} for row in rows}


def folds_of(gold: Sequence[Row], count: int) -> list[int]:
    """A fold number per sentence: each domain dealt round-robin after a seeded shuffle."""
    fold = [0] * len(gold)
    shuffler = random.Random(SEED)
    for domain in sorted({str(row["domain"]) for row in gold}):
        members = [i for i, row in enumerate(gold) if row["domain"] == domain]
        shuffler.shuffle(members)
        for position, index in enumerate(members):
            fold[index] = position % count
    return fold


def mobilise(*arguments: str) -> None:
    subprocess.run(
        [sys.executable, "-c", "from mobilise.cli import main; main()", *arguments], check=True
    )


def command_line_fold(train: Sequence[Row], held_out: Sequence[Row], method: str) -> list[Row]:
    """Fit on `train` and rank `held_out`, both through `mobilise skills`."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        write_rows(folder / "train.jsonl", train)
        write_rows(folder / "held_out.jsonl", held_out)
        mobilise("skills", "fit", "--gold", str(folder / "train.jsonl"), "--method", method,
                 "--output", str(folder / "blend.json"))  # fmt: skip
        mobilise("skills", "infer", "--input", str(folder / "held_out.jsonl"), "--taxonomy",
                 "esco", "--method", method, "--blend", str(folder / "blend.json"), "--top",
                 str(RANKED), "--output", str(folder / "predictions.jsonl"))  # fmt: skip
        return read_gold(folder / "predictions.jsonl")


def in_process_fold(train: Sequence[Row], held_out: Sequence[Row], method: str) -> list[Row]:
    """The same as command_line_fold through the service functions the command line calls."""
    blend = fit_skill_blend(
        [r["sentence"] for r in train],
        [r["labels"] for r in train],
        method,  # type: ignore[arg-type]
    )
    sentences = [str(r["sentence"]) for r in held_out]
    found = infer_skills(sentences, "esco", RANKED, method=method, blend=blend)  # type: ignore[arg-type]
    return [
        {"sentence": s, "ranked": [x.label for x in f]}
        for s, f in zip(sentences, found, strict=True)
    ]


Fold = Callable[[Sequence[Row], Sequence[Row], str], list[Row]]


def cross_validated(
    gold: Sequence[Row], groups: Sequence[object], method: str, run: Fold
) -> list[Row]:
    """Predictions for every sentence from a blend fitted without its group."""
    predictions: list[Row | None] = [None] * len(gold)
    for group in sorted(set(groups), key=str):
        held = [i for i, g in enumerate(groups) if g == group]
        train = [row for row, g in zip(gold, groups, strict=True) if g != group]
        for index, row in zip(held, run(train, [gold[i] for i in held], method), strict=True):
            predictions[index] = row
    return [row for row in predictions if row is not None]


def single_scorer(scorer: Any, feature: str) -> Ranker:
    inferencer = SkillInferencer(read_esco_entries(), [scorer], Blend.single(feature))

    def rank(sentences: Sequence[str]) -> list[list[str]]:
        return [[s.label for s in found] for found in inferencer.infer(sentences, RANKED)]

    return rank


def print_table(name: str, table: dict[str, dict[str, float]]) -> None:
    print(f"\n{name}")
    print(f"  {'domain':<10}" + "".join(f"{m:>8}" for m in METRICS))
    for domain, row in table.items():
        print(f"  {domain:<10}" + "".join(f"{row[m]:>8.2f}" for m in METRICS))
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    parser.add_argument("--folds", type=int, default=5)
    arguments = parser.parse_args()
    gold = read_gold(arguments.gold)
    sentences = [str(row["sentence"]) for row in gold]
    domains = [str(row["domain"]) for row in gold]
    folds = folds_of(gold, arguments.folds)
    method = "best" if load_encoder() is not None else "fast"

    def show(name: str, predictions: Sequence[Row]) -> None:
        print_table(name, score(arguments.scorer, predictions, arguments.gold))

    show(
        f"Mobilise {method} path, {arguments.folds}-fold cross-validated "
        "(mobilise skills fit + infer --blend, per fold)",
        cross_validated(gold, folds, method, command_line_fold),
    )
    show(
        f"Mobilise {method} path, fitted on the other domain (tech -> house, house -> tech)",
        cross_validated(gold, domains, method, in_process_fold),
    )
    if method == "best":
        show(
            f"Mobilise fast path (word TF-IDF + static model), {arguments.folds}-fold CV",
            cross_validated(gold, folds, "fast", in_process_fold),
        )
    entries = read_esco_entries()
    baselines: dict[str, Callable[[], Ranker]] = {
        "Baseline: character TF-IDF over label + alternative labels": lambda: single_scorer(
            CharTfidfScorer(entries), "char_baseline"
        ),
    }
    encoder = load_encoder()
    if encoder is not None:
        baselines["Baseline: all-MiniLM-L6-v2 alone (sentence vs preferred label)"] = lambda: (
            single_scorer(DenseScorer(encoder, vectors_for(encoder, entries)), "dense_label")
        )
    for name, make in baselines.items():
        ranked = make()(sentences)
        show(name, [{"sentence": s, "ranked": r} for s, r in zip(sentences, ranked, strict=True)])


if __name__ == "__main__":
    main()
