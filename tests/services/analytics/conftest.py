"""A small demo workforce with history, and a warehouse path of the test's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from mobilise.services.demo import generate_demo


@pytest.fixture
def demo_engine(engine: Engine) -> Engine:
    generate_demo(engine, people=1500, seed=11, claims_per_person=6.0)
    return engine


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "analytics.duckdb"
