"""Small hand-written skill-inference fixtures (never the evaluation set)."""

from __future__ import annotations

import json
from pathlib import Path

LABELLED = Path(__file__).with_name("labelled.jsonl")


def labelled() -> tuple[list[str], list[list[str]]]:
    """Eight obvious job-ad sentences and the ESCO preferred label each shows."""
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    return [r["sentence"] for r in rows], [r["labels"] for r in rows]
