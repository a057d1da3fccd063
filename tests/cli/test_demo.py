"""`mobilise demo` generates, summarises, refuses to mix workforces, and rejects bad options."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.settings import get_settings
from mobilise.store.database import reading
from mobilise.store.models import Person

runner = CliRunner()


def _people(engine: Engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count(Person.id))) or 0


def test_generates_and_summarises(engine: Engine, database_url_env: str) -> None:
    result = runner.invoke(app, ["demo", "--people", "150", "--seed", "4", "--no-history"])
    assert result.exit_code == 0, result.output
    assert "Generated 150 people in post" in result.output
    assert _people(engine) == 150


def test_refuses_without_replace_then_replaces(engine: Engine, database_url_env: str) -> None:
    assert runner.invoke(app, ["demo", "--people", "40"]).exit_code == 0
    refused = runner.invoke(app, ["demo", "--people", "60"])
    assert refused.exit_code == 2
    assert "--replace" in refused.output
    replaced = runner.invoke(app, ["demo", "--people", "60", "--replace", "--no-history"])
    assert replaced.exit_code == 0, replaced.output
    assert _people(engine) == 60


def test_bad_options_exit_non_zero_with_a_message(engine: Engine, database_url_env: str) -> None:
    negative = runner.invoke(app, ["demo", "--people", "-5"])
    assert negative.exit_code == 2
    assert "people" in negative.output
    assert "zero or more" in negative.output
    claims = runner.invoke(app, ["demo", "--people", "5", "--claims-per-person", "-1"])
    assert claims.exit_code == 2
    assert "claims_per_person" in claims.output
    assert runner.invoke(app, ["demo", "--people", "many"]).exit_code == 2
    assert _people(engine) == 0


def test_defaults_come_from_settings(
    engine: Engine, database_url_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOBILISE_DEMO_PEOPLE", "70")
    get_settings.cache_clear()
    result = runner.invoke(app, ["demo", "--no-history"])
    assert result.exit_code == 0, result.output
    assert _people(engine) == 70
