"""DDaT calibration on a small shipped slice of the framework: calibrated scores are monotone and
in [0, 1]; the shipped calibration and the threshold setting are what suggestions use."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mobilise.services.skill_calibration import (
    calibrated,
    distant_supervision,
    fit_ddat_calibration,
    infer_calibrated,
    shipped_calibration,
    suggestion_threshold,
)
from mobilise.services.skill_inference import infer_skills
from mobilise.settings import get_settings

SMALL = Path(__file__).parents[1] / "support" / "skills" / "ddat_small"
PROBES = np.linspace(-0.5, 1.5, 401)


def test_distant_supervision_reads_level_and_role_descriptions() -> None:
    texts = distant_supervision(SMALL)
    by_source = {t.source for t in texts}
    assert by_source == {"skill", "role"}
    accessibility = [t for t in texts if t.group == "accessibility"]
    assert len(accessibility) == 4  # awareness, working, practitioner, expert
    assert all(t.skills == frozenset({"accessibility"}) for t in accessibility)


def test_a_calibration_fitted_on_the_small_slice_is_monotone_and_in_0_1() -> None:
    report = fit_ddat_calibration(distant_supervision(SMALL), folds=2, target_precision=0.5)
    mapped = report.calibration.apply(PROBES)
    assert np.all(np.diff(mapped) >= 0)
    assert np.all((mapped >= 0) & (mapped <= 1))
    assert 0 <= report.threshold <= 1
    assert report.pairs == 10 * report.texts
    assert 0 < report.right < report.pairs


def test_the_shipped_calibration_is_monotone_and_lowers_overconfident_scores() -> None:
    shipped = shipped_calibration()
    assert shipped is not None
    mapped = shipped.calibration.apply(PROBES)
    assert np.all(np.diff(mapped) >= 0)
    assert np.all((mapped >= 0) & (mapped <= 1))
    raw = infer_skills(["Build user interfaces that meet accessibility standards."], "ddat", 5)[0]
    fixed = calibrated(raw)
    assert [s.key for s in fixed] == [s.key for s in raw]  # the order is kept
    assert all(0 <= s.score <= 1 for s in fixed)
    text = "Build user interfaces that meet accessibility standards."
    assert infer_calibrated([text], "ddat", 5) == [fixed]
    assert infer_calibrated([text], "esco", 5) == infer_skills([text], "esco", 5)


def test_the_threshold_is_the_setting_else_the_calibrated_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shipped = shipped_calibration()
    assert shipped is not None
    assert suggestion_threshold() == shipped.threshold
    monkeypatch.setenv("MOBILISE_SKILL_SUGGESTION_THRESHOLD", "0.42")
    get_settings.cache_clear()
    try:
        assert suggestion_threshold() == 0.42
    finally:
        monkeypatch.delenv("MOBILISE_SKILL_SUGGESTION_THRESHOLD")
        get_settings.cache_clear()
