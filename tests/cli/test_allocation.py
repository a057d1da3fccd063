"""`mobilise allocate` reads PROBLEM.json, writes RESULT.json, and rejects bad files by name."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from mobilise.cli import app

runner = CliRunner()

PROBLEM = {
    "applicants": [
        {"id": "ana", "preferences": ["dwp", "hmrc"]},
        {"id": "ben", "preferences": ["dwp"]},
        {"id": "cat", "preferences": ["dwp", "hmrc"]},
    ],
    "opportunities": [
        {"id": "dwp", "capacity": 1, "ranking": ["cat", "ben", "ana"]},
        {"id": "hmrc", "capacity": 1, "ranking": ["cat", "ana"]},
    ],
}


def test_allocate_writes_the_result(tmp_path: Path) -> None:
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps(PROBLEM))
    output = tmp_path / "result.json"
    result = runner.invoke(app, ["allocate", str(problem), "--method", "stable", "-o", str(output)])
    assert result.exit_code == 0, result.output
    document = json.loads(output.read_text())
    assert document["method"] == "stable"
    assert {(m["applicant"], m["opportunity"]) for m in document["matches"]} == {
        ("ana", "hmrc"),
        ("cat", "dwp"),
    }
    assert document["unmatched"][0]["applicant"] == "ben"
    assert document["metrics"]["blocking_pairs"] == 0
    assert "matched 2 of 3" in result.output


def test_malformed_json_is_rejected_and_nothing_is_written(tmp_path: Path) -> None:
    problem = tmp_path / "problem.json"
    problem.write_text('{"applicants": [')
    output = tmp_path / "result.json"
    result = runner.invoke(app, ["allocate", str(problem), "-o", str(output)])
    assert result.exit_code == 2
    assert "problem.json, row 1" in result.output
    assert "is not valid JSON" in result.output
    assert not output.exists()


def test_an_unknown_id_is_named_with_the_file(tmp_path: Path) -> None:
    broken = json.loads(json.dumps(PROBLEM))
    broken["applicants"][1]["preferences"] = ["dvla"]
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps(broken))
    result = runner.invoke(app, ["allocate", str(problem), "-o", str(tmp_path / "r.json")])
    assert result.exit_code == 2
    assert "problem.json, column 'applicants[1].preferences[0]': value 'dvla': refers to no" in (
        " ".join(result.output.split())
    )


def test_an_unknown_method_is_rejected(tmp_path: Path) -> None:
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps(PROBLEM))
    result = runner.invoke(
        app, ["allocate", str(problem), "-m", "lottery", "-o", str(tmp_path / "r")]
    )
    assert result.exit_code == 2
    assert "lottery" in result.output


def test_welfare_reports_its_gain_over_stable(tmp_path: Path) -> None:
    # Stable places ana at her 2nd choice and leaves ben out; welfare places both.
    problem = tmp_path / "problem.json"
    problem.write_text(
        json.dumps(
            {
                "applicants": [
                    {"id": "ana", "preferences": ["dwp", "hmrc"]},
                    {"id": "ben", "preferences": ["dwp"]},
                ],
                "opportunities": [
                    {"id": "dwp", "capacity": 1, "ranking": ["ana", "ben"]},
                    {"id": "hmrc", "capacity": 1, "ranking": ["ana"]},
                ],
            }
        )
    )
    output = tmp_path / "result.json"
    result = runner.invoke(app, ["allocate", str(problem), "-m", "welfare", "-o", str(output)])
    assert result.exit_code == 0, result.output
    document = json.loads(output.read_text())
    assert {(m["applicant"], m["opportunity"]) for m in document["matches"]} == {
        ("ana", "hmrc"),
        ("ben", "dwp"),
    }
    welfare = document["metrics"]["welfare"]
    assert (welfare["matched_stable"], welfare["matched_welfare_optimum"]) == (1, 2)
    assert welfare["welfare_percent_of_optimum"] == 100.0
    assert document["metrics"]["blocking_pairs"] == 1
    assert "place more people" in document["matches"][0]["explanation"]


def test_fair_meets_a_quota_and_reports_it(tmp_path: Path) -> None:
    applicants = [
        {"id": f"l{i}", "preferences": ["x"], "attributes": {"region": "London"}} for i in range(3)
    ] + [{"id": "n0", "preferences": ["x"], "attributes": {"region": "North East"}}]
    document = {
        "applicants": applicants,
        "opportunities": [{"id": "x", "capacity": 2, "ranking": [a["id"] for a in applicants]}],
        "constraints": {
            "quotas": [
                {
                    "id": "outside-london",
                    "attribute": "region",
                    "not_values": ["London"],
                    "min_count": 1,
                }
            ]
        },
    }
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps(document))
    output = tmp_path / "result.json"
    result = runner.invoke(app, ["allocate", str(problem), "-m", "fair", "-o", str(output)])
    assert result.exit_code == 0, result.output
    written = json.loads(output.read_text())
    placed = {m["applicant"] for m in written["matches"]}
    assert "n0" in placed
    assert len(placed) == 2
    (quota,) = written["fair"]["quotas"]
    assert quota["satisfied"] is True


def test_an_unknown_objective_is_rejected(tmp_path: Path) -> None:
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps(PROBLEM))
    result = runner.invoke(
        app, ["allocate", str(problem), "--objective", "happiness", "-o", str(tmp_path / "r")]
    )
    assert result.exit_code == 2
    assert "objective" in result.output
