"""`mobilise skills crosswalk` and `mobilise skills tag` as an operator runs them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.services.skill_crosswalk import shipped_reviews_file

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.split())


def test_import_export_and_refusal(database_url_env: str, tmp_path: Path) -> None:
    imported = runner.invoke(app, ["skills", "crosswalk", "--import", str(shipped_reviews_file())])
    assert imported.exit_code == 0, imported.output
    assert "Stored 39 reviewed decision(s)." in said(imported.output)

    exported = runner.invoke(app, ["skills", "crosswalk", "--export", "-"])
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert len(rows) == 39
    assert {r["decision"] for r in rows} == {"accept", "reject"}

    bad = tmp_path / "bad.csv"
    bad.write_text("esco_uri,ddat_skill,decision\nnope,accessibility,accept\n", encoding="utf-8")
    refused = runner.invoke(app, ["skills", "crosswalk", "--import", str(bad)])
    assert refused.exit_code == 2
    assert "row 1, column 'esco_uri'" in said(refused.output)


def test_tagging_an_empty_catalogue_says_so(database_url_env: str) -> None:
    result = runner.invoke(app, ["skills", "tag"])
    assert result.exit_code == 0, result.output
    assert "Tagged 0 learning items with 0 skills" in said(result.output)
