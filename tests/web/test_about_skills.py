"""/about/skills shows the suggestion threshold in force and where it comes from: the shipped
calibration, or the setting when one is made."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from mobilise.services.skill_calibration import shipped_calibration
from tests.support.thresholds import low_threshold
from tests.web.page_checks import assert_accessible_page

__all__ = ["low_threshold"]  # a fixture


def _shown(html: str) -> str:
    found = re.search(r'id="threshold-value">([0-9.]+)<', html)
    assert found is not None
    return found.group(1)


def test_the_calibrated_threshold_and_its_figures_are_shown(reader: TestClient) -> None:
    page = reader.get("/about/skills")
    assert page.status_code == 200
    assert_accessible_page(page.text)
    shipped = shipped_calibration()
    assert shipped is not None
    assert _shown(page.text) == f"{shipped.threshold:.2f}"
    assert "held out" in page.text
    assert 'href="/about/skills"' in reader.get("/about").text


def test_a_threshold_setting_is_shown_as_the_services_choice(
    reader: TestClient, low_threshold: float
) -> None:
    page = reader.get("/about/skills")
    assert _shown(page.text) == f"{low_threshold:.2f}"
    assert "MOBILISE_SKILL_SUGGESTION_THRESHOLD" in page.text
