"""`mobilise import` and `mobilise export` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from mobilise.cli import app
from tests.services.transfer.conftest import CLAIMS_CSV, ORGANISATIONS_CSV, PEOPLE_CSV, write

runner = CliRunner()


def test_import_then_export_a_workforce(database_url_env: str, tmp_path: Path) -> None:
    for kind, content in (
        ("organisations", ORGANISATIONS_CSV),
        ("people", PEOPLE_CSV),
        ("claims", CLAIMS_CSV),
    ):
        result = runner.invoke(app, ["import", kind, str(write(tmp_path, f"{kind}.csv", content))])
        assert result.exit_code == 0, result.output
        assert "created" in result.output
    result = runner.invoke(app, ["import", "people", str(tmp_path / "people.csv")])
    assert "Imported 3 people" in result.output
    assert "0 created, 0 updated, 3 unchanged" in result.output
    target = tmp_path / "out.json"
    result = runner.invoke(app, ["export", "claims", str(target)])
    assert result.exit_code == 0, result.output
    claims = json.loads(target.read_text(encoding="utf-8"))
    assert [c["level"] for c in claims] == ["expert", "practitioner", "awareness"]


def test_export_to_standard_output_is_csv(database_url_env: str, tmp_path: Path) -> None:
    runner.invoke(
        app, ["import", "organisations", str(write(tmp_path, "o.csv", ORGANISATIONS_CSV))]
    )
    result = runner.invoke(app, ["export", "organisations", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "key,name,kind,region,parent,headcount"
    assert "gds,Government Digital Service,agency,North West,dsit,900" in result.stdout


def test_a_bad_file_lists_every_problem_and_changes_nothing(
    database_url_env: str, tmp_path: Path
) -> None:
    bad = write(tmp_path, "people.csv", "key,display_name,email\np1,,x\np1,Ada,\n")
    result = runner.invoke(app, ["import", "people", str(bad)])
    assert result.exit_code == 2
    assert "nothing was changed" in result.output
    assert "people.csv, row 1, column 'display_name'" in result.output
    assert "people.csv, row 1, column 'email'" in result.output
    assert "people.csv, row 2, column 'key'" in result.output
    export = runner.invoke(app, ["export", "people", "-"])
    assert export.stdout.strip().count("\n") == 0


def test_an_unknown_framework_is_a_clear_error(database_url_env: str, tmp_path: Path) -> None:
    path = write(tmp_path, "claims.csv", CLAIMS_CSV)
    result = runner.invoke(app, ["import", "claims", str(path), "--framework", "nope"])
    assert result.exit_code == 2
    assert "no framework version is named 'nope'" in result.output


def test_help_describes_the_order_of_imports() -> None:
    result = runner.invoke(app, ["import", "--help"])
    assert result.exit_code == 0
    assert "Import organisations first" in result.output
