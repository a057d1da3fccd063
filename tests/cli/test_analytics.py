"""`mobilise analytics refresh|export` and `mobilise targets` as an operator uses them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.services.demo import generate_demo

runner = CliRunner()


@pytest.fixture
def workforce(
    database_url_env: str, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Engine:
    monkeypatch.chdir(tmp_path)  # a PostgreSQL store's warehouse goes under ./var/analytics
    # Enough people that month-to-month changes of the DDaT headcount leave four published
    # months to project from (docs/disclosure.md: small changes suppress the earlier month).
    generate_demo(engine, people=1500, seed=11, claims_per_person=2.0)
    return engine


def test_export_writes_parquet_without_names_or_sensitive_attributes(
    workforce: Engine, tmp_path: Path
) -> None:
    refreshed = runner.invoke(app, ["analytics", "refresh"])
    assert refreshed.exit_code == 0, refreshed.output
    assert "Rebuilt" in refreshed.output
    out = tmp_path / "parquet"
    exported = runner.invoke(app, ["analytics", "export", "--parquet", str(out)])
    assert exported.exit_code == 0, exported.output
    files = sorted(p.name for p in out.iterdir())
    assert "person_fact.parquet" in files
    assert "person_skill.parquet" in files
    columns: set[str] = set()
    for path in out.iterdir():
        described = duckdb.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)])
        columns |= {row[0] for row in described.fetchall()}
    forbidden = {
        "display_name",
        "email",
        "sex",
        "ethnic_group",
        "disability",
        "age_band",
        "consent",
    }
    assert not columns & forbidden
    counted = duckdb.execute(
        "SELECT count(*) FROM read_parquet(?)", [str(out / "person_fact.parquet")]
    ).fetchone()
    assert counted is not None
    (people,) = counted
    assert people == 1800  # 1,500 in post and a fifth as many leavers


def test_targets_set_list_show_and_remove(workforce: Engine) -> None:
    created = runner.invoke(
        app,
        [
            "targets", "set", "ddat-2028", "--title", "DDaT 8% by 2028", "--metric", "ddat_share",
            "--value", "0.08", "--deadline", "2028-03-31",
        ],
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    listed = runner.invoke(app, ["targets", "list"])
    assert listed.exit_code == 0, listed.output
    assert "ddat-2028" in listed.output
    shown = runner.invoke(app, ["targets", "show", "double-ddat-profession"])
    assert shown.exit_code == 0, shown.output
    assert "March 2022" in shown.output
    assert "Projected" in shown.output
    removed = runner.invoke(app, ["targets", "remove", "ddat-2028"])
    assert removed.exit_code == 0, removed.output


def test_a_bad_target_exits_2_naming_the_problem(workforce: Engine) -> None:
    refused = runner.invoke(
        app,
        [
            "targets", "set", "x", "--title", "X", "--metric", "ddat_share", "--value", "3",
            "--deadline", "2030-03-31",
        ],
    )  # fmt: skip
    assert refused.exit_code == 2
    assert "a share must be between 0 and 1" in refused.output
