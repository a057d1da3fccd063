"""`mobilise allocate --record` and `mobilise runs` as an admin uses them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from mobilise.cli import app
from tests.services.test_allocation_runs import PROBLEM

runner = CliRunner()


def test_record_list_show_and_replay(database_url_env: str, tmp_path: Path) -> None:
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps(PROBLEM))
    output = tmp_path / "result.json"
    recorded = runner.invoke(
        app, ["allocate", str(problem), "-m", "fair", "--record", "-o", str(output)]
    )
    assert recorded.exit_code == 0, recorded.output
    key = re.search(r"Stored as run (\w+)", recorded.output)
    assert key is not None
    listed = runner.invoke(app, ["runs", "list"])
    assert listed.exit_code == 0, listed.output
    assert key.group(1) in listed.output
    assert "1 of 1 run(s)" in listed.output
    copy = tmp_path / "copy.json"
    shown = runner.invoke(app, ["runs", "show", key.group(1), "-o", str(copy)])
    assert shown.exit_code == 0, shown.output
    assert json.loads(copy.read_text()) == json.loads(output.read_text())
    replayed = runner.invoke(app, ["runs", "replay", key.group(1)])
    assert replayed.exit_code == 0, replayed.output
    assert "reproduced exactly" in replayed.output


def test_unknown_run_exits_2(database_url_env: str) -> None:
    result = runner.invoke(app, ["runs", "show", "nope"])
    assert result.exit_code == 2
    assert "no allocation run has the key 'nope'" in result.output
