"""Calibrated DDaT scores and the suggestion threshold that follows from them.

DDaT skills are read with the blend fitted on ESCO (the Decorte validation split), so a DDaT score
of 0.3 need not mean what an ESCO 0.3 means. Mobilise has no labelled DDaT sentences, so the
calibration is fitted by distant supervision on the framework's own shipped words: each skill's
four level descriptions ("You can: ...", at awareness, working, practitioner and expert) are
texts that show that skill, and each role level's description is a text about that role level's
skills. Every text is read against the framework's skills (top 10); a candidate is right when it
is one of the text's skills. Isotonic regression maps raw scores to the share that is right.

Held-out figures come from five folds grouped by skill (or role), so no skill's descriptions are
both fitted and scored. The suggestion threshold is the lowest calibrated score at which the
held-out suggestions are right at least half the time; `MOBILISE_SKILL_SUGGESTION_THRESHOLD`
overrides it. `mobilise skills calibrate` refits both and writes data/ddat/calibration.json.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from sqlalchemy import Engine

from mobilise.core.calibration import (
    Calibration,
    fit_isotonic,
    held_out,
    threshold_for_precision,
)
from mobilise.core.skills.model import Suggestion
from mobilise.services.framework import shipped_ddat_directory
from mobilise.services.skill_inference import Taxonomy, infer_skills
from mobilise.settings import get_settings

LEVELS = ("awareness", "working", "practitioner", "expert")
CANDIDATES = 10
FOLDS = 5
# Suggestions are confirmed by a person, so half right is useful; 0.7 leaves almost nothing on
# the direct DDaT path (docs/skills.md has the curve).
TARGET_PRECISION = 0.5
# Used only if no calibration ships (a development checkout before `mobilise skills calibrate`).
FALLBACK_THRESHOLD = 0.1


@dataclass(frozen=True)
class LabelledText:
    text: str
    skills: frozenset[str]
    group: str  # texts of one group share a fold
    source: str  # "skill level" or "role level"


@dataclass(frozen=True)
class CalibrationReport:
    calibration: Calibration
    threshold: float
    target_precision: float
    texts: int
    pairs: int
    right: int
    # Held out: Brier score of the raw and the calibrated scores, and at the threshold, the
    # share of suggestions right and the share of the texts' skills found.
    brier_raw: float
    brier_calibrated: float
    precision: float
    recall: float

    def to_json(self) -> str:
        data = {
            **self.calibration.to_json(),
            "threshold": round(self.threshold, 4),
            "target_precision": self.target_precision,
            "texts": self.texts,
            "pairs": self.pairs,
            "right": self.right,
            "brier_raw": round(self.brier_raw, 4),
            "brier_calibrated": round(self.brier_calibrated, 4),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
        }
        return json.dumps(data, indent=1) + "\n"


def shipped_calibration_file() -> Path:
    return Path(str(resources.files("mobilise") / "data" / "ddat" / "calibration.json"))


def distant_supervision(directory: Path | None = None) -> list[LabelledText]:
    """The framework's own words as labelled texts (see the module's docstring)."""
    folder = directory or shipped_ddat_directory()
    texts: list[LabelledText] = []
    with (folder / "skills.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for level in LEVELS:
                words = (row.get(level) or "").strip()
                if words:
                    texts.append(LabelledText(words, frozenset({row["id"]}), row["id"], "skill"))
    skills_of: dict[str, set[str]] = {}
    with (folder / "role_level_skills.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            skills_of.setdefault(row["role_level_id"], set()).add(row["skill_id"])
    with (folder / "role_levels.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            words = (row.get("description") or "").strip()
            if words and skills_of.get(row["id"]):
                texts.append(
                    LabelledText(words, frozenset(skills_of[row["id"]]), row["role_id"], "role")
                )
    return texts


def fit_ddat_calibration(
    texts: Sequence[LabelledText] | None = None,
    *,
    folds: int = FOLDS,
    target_precision: float = TARGET_PRECISION,
) -> CalibrationReport:
    """Fit the calibration and threshold on labelled texts (the framework's own by default)."""
    labelled = list(texts if texts is not None else distant_supervision())
    found = infer_skills([t.text for t in labelled], "ddat", CANDIDATES)
    scores: list[float] = []
    right: list[float] = []
    groups: list[str] = []
    for text, suggestions in zip(labelled, found, strict=True):
        for s in suggestions:
            scores.append(s.score)
            right.append(1.0 if s.key in text.skills else 0.0)
            groups.append(text.group)
    x, y = np.asarray(scores), np.asarray(right)
    predicted = held_out(x, y, groups, folds)
    threshold = threshold_for_precision(predicted, y, target_precision)
    if threshold is None:
        threshold = 1.0  # nothing reaches the precision: suggest only certainties
    chosen = predicted >= threshold
    gold = sum(len(t.skills) for t in labelled)
    return CalibrationReport(
        calibration=fit_isotonic(x, y),
        threshold=threshold,
        target_precision=target_precision,
        texts=len(labelled),
        pairs=int(x.size),
        right=int(y.sum()),
        brier_raw=float(np.mean((x - y) ** 2)) if x.size else 0.0,
        brier_calibrated=float(np.mean((predicted - y) ** 2)) if x.size else 0.0,
        precision=float(y[chosen].mean()) if chosen.any() else 0.0,
        recall=float(y[chosen].sum() / gold) if gold else 0.0,
    )


@dataclass(frozen=True)
class ShippedCalibration:
    calibration: Calibration
    threshold: float
    target_precision: float
    texts: int = 0
    pairs: int = 0
    brier_raw: float = 0.0
    brier_calibrated: float = 0.0
    precision: float = 0.0
    recall: float = 0.0


@dataclass(frozen=True)
class ThresholdInForce:
    threshold: float
    source: str  # "setting", "calibrated" or "fallback"
    calibration: ShippedCalibration | None


@lru_cache(maxsize=4)
def _read(path: Path) -> ShippedCalibration | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    data = json.loads(text)
    return ShippedCalibration(
        Calibration.from_json(text),
        float(data["threshold"]),
        float(data["target_precision"]),
        int(data.get("texts", 0)),
        int(data.get("pairs", 0)),
        float(data.get("brier_raw", 0.0)),
        float(data.get("brier_calibrated", 0.0)),
        float(data.get("precision", 0.0)),
        float(data.get("recall", 0.0)),
    )


def shipped_calibration() -> ShippedCalibration | None:
    return _read(shipped_calibration_file())


def threshold_in_force() -> ThresholdInForce:
    """The suggestion threshold, where it comes from, and the calibration behind it."""
    shipped = shipped_calibration()
    chosen = get_settings().skill_suggestion_threshold
    if chosen is not None:
        return ThresholdInForce(chosen, "setting", shipped)
    if shipped is not None:
        return ThresholdInForce(shipped.threshold, "calibrated", shipped)
    return ThresholdInForce(FALLBACK_THRESHOLD, "fallback", None)


def suggestion_threshold() -> float:
    """The score a suggestion needs to be shown: the setting, else the calibrated threshold."""
    return threshold_in_force().threshold


def calibrated(suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    """DDaT suggestions with calibrated scores (the same order: the map never decreases)."""
    shipped = shipped_calibration()
    if shipped is None or not suggestions:
        return list(suggestions)
    mapped = shipped.calibration.apply([s.score for s in suggestions])
    return [replace(s, score=round(float(m), 4)) for s, m in zip(suggestions, mapped, strict=True)]


def infer_calibrated(
    texts: Sequence[str], taxonomy: Taxonomy, top: int, *, engine: Engine | None = None
) -> list[list[Suggestion]]:
    """`infer_skills`, with DDaT scores calibrated so that one threshold serves both taxonomies
    (ESCO's blend is already fitted as a probability on labelled ESCO sentences)."""
    found = infer_skills(texts, taxonomy, top, engine=engine)
    return found if taxonomy == "esco" else [calibrated(f) for f in found]
