"""`mobilise skills infer`: one text, a JSON Lines batch round trip, and bad input exiting 2."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from mobilise.cli import app
from tests.support.skills import LABELLED

runner = CliRunner()


def test_one_text_as_json() -> None:
    result = runner.invoke(
        app, ["skills", "infer", "--text", "Strong Python programming.", "--json", "--top", "3"]
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert len(found) == 3
    assert found[0].keys() == {"key", "label", "score", "start", "end"}
    assert "Python (computer programming)" in [s["label"] for s in found]


def test_batch_round_trip_keeps_order_and_gives_ten_labels(tmp_path: Path) -> None:
    sentences = ["Fluent in Spanish.", "", "Strong Python programming.", "Je parle français."]
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps({"sentence": s, "id": i}) + "\n" for i, s in enumerate(sentences))
    )
    target = tmp_path / "out.jsonl"
    args = ["skills", "infer", "--input", str(source), "--output", str(target), "--top", "3"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert [line["sentence"] for line in lines] == sentences
    assert [len(line["ranked"]) >= 10 for line in lines] == [True, False, True, True]
    assert "Spanish" in lines[0]["ranked"][:5]
    assert lines[1]["ranked"] == []
    again = tmp_path / "again.jsonl"
    runner.invoke(app, [*args[:-3], str(again), "--top", "3"])
    assert again.read_text() == target.read_text()


def test_a_bad_line_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"sentence": "ok"}\n{"text": "none"}\n[1]\n{"sentence": "\xff"}\n')
    target = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["skills", "infer", "--input", str(source), "--output", str(target)]
    )
    assert result.exit_code == 2
    said = " ".join(result.output.split())  # rich wraps long lines
    assert "row 2, column 'sentence': must be a string" in said
    assert "row 3: must be a JSON object" in said
    assert "row 4: is not UTF-8" in said
    assert not target.exists()


def test_non_utf8_text_argument_is_a_clear_message() -> None:
    result = runner.invoke(app, ["skills", "infer", "--text", "caf\udce9"])
    assert result.exit_code == 2
    assert "is not UTF-8" in result.output


def test_a_megabyte_text_is_rejected() -> None:
    result = runner.invoke(app, ["skills", "infer", "--text", "word " * 300_000])
    assert result.exit_code == 2
    assert "1 MB" in result.output


def test_exactly_one_of_text_and_input() -> None:
    assert runner.invoke(app, ["skills", "infer"]).exit_code == 2


def test_fit_then_infer_with_that_blend(tmp_path: Path) -> None:
    blend = tmp_path / "blend.json"
    fitted = runner.invoke(
        app, ["skills", "fit", "--gold", str(LABELLED), "--method", "fast", "--output", str(blend)]
    )
    assert fitted.exit_code == 0, fitted.output
    assert json.loads(blend.read_text())["features"]
    args = ["skills", "infer", "--text", "Fluent Spanish.", "--method", "fast", "--json"]
    result = runner.invoke(app, [*args, "--blend", str(blend)])
    assert result.exit_code == 0, result.output
    assert "Spanish" in [s["label"] for s in json.loads(result.stdout)]


def test_a_file_that_is_not_a_blend_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "blend.json"
    bad.write_text("{}")
    result = runner.invoke(app, ["skills", "infer", "--text", "x", "--blend", str(bad)])
    assert result.exit_code == 2
    assert "is not a skill blend" in " ".join(result.output.split())


def test_fit_names_bad_gold_lines(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"sentence": "Python", "labels": "Python"}\n')
    result = runner.invoke(
        app, ["skills", "fit", "--gold", str(gold), "--output", str(tmp_path / "b.json")]
    )
    assert result.exit_code == 2
    assert "column 'labels'" in " ".join(result.output.split())
