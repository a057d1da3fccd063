"""`mobilise framework …` and `mobilise db …` as a user runs them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.services.framework import shipped_ddat_directory

runner = CliRunner()


def test_list_shows_the_default_framework(database_url_env: str) -> None:
    result = runner.invoke(app, ["framework", "list", "--json"])
    assert result.exit_code == 0, result.output
    (summary,) = json.loads(result.output)
    assert (summary["name"], summary["role_levels"], summary["is_default"]) == ("ddat", 201, True)


def test_show_lists_families_and_marks_roles_without_levels(database_url_env: str) -> None:
    result = runner.invoke(app, ["framework", "show"])
    assert result.exit_code == 0, result.output
    assert "Chief data officer — no levels (skills only)" in result.output
    assert "Open Government Licence" in result.output


def test_import_then_diff(database_url_env: str, tmp_path: Path) -> None:
    directory = tmp_path / "mine"
    shutil.copytree(shipped_ddat_directory(), directory)
    families = directory / "job_families.csv"
    families.write_text(families.read_text() + "cyber,Cyber security\n")
    result = runner.invoke(app, ["framework", "import", str(directory), "--name", "mine"])
    assert result.exit_code == 0, result.output
    assert "9 job families" in result.output
    result = runner.invoke(app, ["framework", "diff", "ddat", "mine"])
    assert result.exit_code == 0, result.output
    assert "+ cyber" in result.output


def test_bad_import_exits_2_and_names_the_problem(database_url_env: str, tmp_path: Path) -> None:
    directory = tmp_path / "bad"
    shutil.copytree(shipped_ddat_directory(), directory)
    (directory / "roles.csv").write_text("id,family_id,name\nx,nowhere,X\n")
    result = runner.invoke(app, ["framework", "import", str(directory), "--name", "bad"])
    assert result.exit_code == 2
    assert "nothing was changed" in result.output
    assert "roles.csv, row 1, column 'family_id': value 'nowhere': refers to no job family" in (
        " ".join(result.output.split())
    )


def test_unknown_version_exits_2(database_url_env: str) -> None:
    result = runner.invoke(app, ["framework", "show", "nope"])
    assert result.exit_code == 2
    assert "no framework version is named 'nope'" in result.output


def test_db_current_reports_the_revision(database_url_env: str) -> None:
    result = runner.invoke(app, ["db", "current"])
    assert result.exit_code == 0, result.output
    applied, newest = re.findall(r"(?:applied|newest): (\w+)", result.output)
    assert applied == newest
    assert re.fullmatch(r"\d{4}", applied)


def test_every_command_has_help() -> None:
    for command in (
        [],
        ["db"],
        ["framework"],
        ["framework", "import"],
        ["framework", "diff"],
        ["demo"],
        ["import"],
        ["export"],
        ["serve"],
    ):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0, (command, result.output)
        assert "Usage" in result.output
