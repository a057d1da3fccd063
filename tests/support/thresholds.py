"""Tests of what suggestions do, not of where the threshold lies: a low, fixed threshold so that
a change of the shipped blend or calibration does not move a short text's skills out of view."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mobilise.settings import get_settings

LOW_THRESHOLD = "0.1"


@pytest.fixture
def low_threshold(monkeypatch: pytest.MonkeyPatch) -> Iterator[float]:
    monkeypatch.setenv("MOBILISE_SKILL_SUGGESTION_THRESHOLD", LOW_THRESHOLD)
    get_settings.cache_clear()
    yield float(LOW_THRESHOLD)
    monkeypatch.delenv("MOBILISE_SKILL_SUGGESTION_THRESHOLD")
    get_settings.cache_clear()
