"""`mobilise db upgrade --defaults`: a new (production) database gets the framework, no demo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.services.framework import list_frameworks
from mobilise.services.organisations import list_organisations
from mobilise.settings import get_settings
from mobilise.store.database import engine_for, make_engine
from mobilise.store.models import Person

runner = CliRunner()


@pytest.fixture
def empty_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path}/new.db"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    engine_for.cache_clear()
    yield url
    get_settings.cache_clear()
    engine_for.cache_clear()


def test_upgrade_with_defaults_loads_the_framework_and_organisations_once(
    empty_database: str,
) -> None:
    for _ in range(2):
        result = runner.invoke(app, ["db", "upgrade", "--defaults"])
        assert result.exit_code == 0, result.output

    engine = make_engine(empty_database)
    assert [f.name for f in list_frameworks(engine)] == ["ddat"]
    assert list_organisations(engine)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Person)) == 0
    engine.dispose()


def test_defaults_need_the_newest_schema(empty_database: str) -> None:
    result = runner.invoke(app, ["db", "upgrade", "0001", "--defaults"])

    assert result.exit_code == 2
    assert "use it with head" in result.output
