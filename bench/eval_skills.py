"""Evaluate skill inference on the Decorte ESCO benchmark's validation split, per domain.

    make eval-skills
    python bench/eval_skills.py [--gold /work/shared/eval/skills/validation.jsonl]

The recipe under test runs through the batch command line path exactly as a user runs it
(`mobilise skills infer --input ... --output ...`), and ../shared/eval/skills/score.py scores it.
Baselines run in the same process on the same sentences: a character TF-IDF ranking over each
skill's label and alternative labels.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from mobilise.core.skills import SkillInferencer
from mobilise.core.skills.lexical import CharTfidfScorer
from mobilise.services.skill_inference import read_esco_entries

EVAL_DIRECTORY = Path(__file__).resolve().parents[2] / "shared" / "eval" / "skills"
DEFAULT_GOLD = EVAL_DIRECTORY / "validation.jsonl"
DEFAULT_SCORER = EVAL_DIRECTORY / "score.py"
RANKED = 20
METRICS = ("RP@5", "RP@10", "MRR")

Ranker = Callable[[Sequence[str]], list[list[str]]]


def read_gold(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def write_predictions(path: Path, sentences: Sequence[str], ranked: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for sentence, labels in zip(sentences, ranked, strict=True):
            handle.write(json.dumps({"sentence": sentence, "ranked": labels}) + "\n")


def score(scorer: Path, predictions: Path, gold: Path) -> dict[str, dict[str, float]]:
    """score.py's table, keyed by domain ("tech", "house", "overall", "macro")."""
    result = subprocess.run(
        [sys.executable, str(scorer), str(predictions), str(gold), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    rows: list[dict[str, float | str]] = json.loads(result.stdout)
    return {str(row["domain"]): {m: float(row[m]) for m in METRICS} for row in rows}


def command_line_predictions(gold: Path, predictions: Path) -> None:
    """The recipe as shipped: the batch path of `mobilise skills infer`."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from mobilise.cli import main; main()",
            "skills",
            "infer",
            "--input",
            str(gold),
            "--taxonomy",
            "esco",
            "--top",
            str(RANKED),
            "--output",
            str(predictions),
        ],
        check=True,
    )


def char_tfidf_ranker() -> Ranker:
    entries = read_esco_entries()
    inferencer = SkillInferencer(entries, CharTfidfScorer(entries))

    def rank(sentences: Sequence[str]) -> list[list[str]]:
        return [[s.label for s in found] for found in inferencer.infer(sentences, RANKED)]

    return rank


def print_table(name: str, table: dict[str, dict[str, float]]) -> None:
    print(f"\n{name}")
    print(f"  {'domain':<10}" + "".join(f"{m:>8}" for m in METRICS))
    for domain, row in table.items():
        print(f"  {domain:<10}" + "".join(f"{row[m]:>8.2f}" for m in METRICS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    arguments = parser.parse_args()
    gold_rows = read_gold(arguments.gold)
    sentences = [str(row["sentence"]) for row in gold_rows]
    with tempfile.TemporaryDirectory() as scratch:
        predictions = Path(scratch) / "predictions.jsonl"
        command_line_predictions(arguments.gold, predictions)
        print_table(
            "Mobilise recipe (mobilise skills infer --input, as shipped)",
            score(arguments.scorer, predictions, arguments.gold),
        )
        baselines: dict[str, Callable[[], Ranker]] = {
            "Baseline: character TF-IDF over label + alternative labels": char_tfidf_ranker,
        }
        for name, make in baselines.items():
            write_predictions(predictions, sentences, make()(sentences))
            print_table(name, score(arguments.scorer, predictions, arguments.gold))


if __name__ == "__main__":
    main()
