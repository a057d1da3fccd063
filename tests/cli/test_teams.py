"""`mobilise teams` as a programme team runs it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from mobilise.cli import app
from tests.core.teams.test_teams import people

runner = CliRunner()


def run(tmp_path: Path, *options: str) -> tuple[int, str, Path]:
    source = tmp_path / "people.json"
    if not source.exists():
        source.write_text(json.dumps({"people": people(23, 5, minority_share=0.2)}))
    output = tmp_path / "teams.json"
    result = runner.invoke(app, ["teams", str(source), "-o", str(output), *options])
    return result.exit_code, result.output, output


def test_teams_are_written_with_their_scores(tmp_path: Path) -> None:
    code, printed, output = run(
        tmp_path, "--size", "5", "--similar", "availability", "--diverse", "organisation",
        "--diverse", "skills", "--never-isolate", "group=a", "--seconds", "0", "--rounds", "20",
    )  # fmt: skip
    assert code == 0, printed
    document = json.loads(output.read_text())
    assert sorted(len(t["members"]) for t in document["teams"]) == [4, 4, 5, 5, 5]
    assert document["metrics"]["isolated"] == 0
    assert document["rounds"] == 20
    scores = [t["score"] for t in document["teams"]]
    assert scores == sorted(scores, reverse=True)
    assert document["metrics"]["worst_team_score"] == min(scores)
    assert "isolated 0" in printed


def test_exact_mode_proves_the_optimum(tmp_path: Path) -> None:
    (tmp_path / "people.json").write_text(json.dumps(people(12, 5, minority_share=0.3)))
    code, printed, output = run(
        tmp_path, "--size", "4", "--diverse", "organisation", "--diverse", "skills",
        "--never-isolate", "group=a", "--exact",
    )  # fmt: skip
    assert code == 0, printed
    assert json.loads(output.read_text())["metrics"]["proven_optimal"] is True
    assert "proven optimal" in printed


def test_bad_options_are_named_and_nothing_is_written(tmp_path: Path) -> None:
    code, printed, output = run(tmp_path, "--size", "5", "--similar", "shoe-size")
    assert code == 2
    assert "people.json, column 'people[0].attributes.shoe-size'" in " ".join(printed.split())
    assert not output.exists()
