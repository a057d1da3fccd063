"""`mobilise learning` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from mobilise.cli import app
from tests.services.transfer.conftest import write
from tests.support.workforce import add_workforce

runner = CliRunner()


def said(output: str) -> str:
    """The output with the console's line wrapping undone."""
    return " ".join(output.split())


CATALOGUE = (
    "key,title,provider,format,hours,cost,teaches,prerequisites\n"
    "sql-intro,Introduction to SQL,Learning Co,article,0.25,,data-modelling:awareness,\n"
    "sql-expert,Advanced SQL,Learning Co,course,40,1200.50,data-modelling:practitioner,sql-intro\n"
)


def test_import_list_show_and_export(database_url_env: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["learning", "import", str(write(tmp_path, "l.csv", CATALOGUE))])
    assert result.exit_code == 0, result.output
    assert "Imported 2 learning items" in result.output
    assert "2 created, 0 updated, 0 unchanged" in result.output

    listed = runner.invoke(app, ["learning", "list", "--search", "sql", "--format", "course"])
    assert listed.exit_code == 0, listed.output
    assert "sql-expert" in listed.output
    assert "sql-intro" not in listed.output
    assert "£1,200.50" in listed.output
    assert "Page 1 of 1: 1 of 1 item(s)." in listed.output

    shown = runner.invoke(app, ["learning", "show", "sql-expert", "--json"])
    assert shown.exit_code == 0, shown.output
    document = json.loads(shown.stdout)
    assert document["hours"] == "40"
    assert document["cost_pence"] == 120050
    assert document["prerequisites"] == ["sql-intro"]
    assert document["teaches"] == [
        {"skill": "data-modelling", "framework": "ddat", "level": "practitioner"}
    ]
    text = runner.invoke(app, ["learning", "show", "sql-intro"])
    assert "required by Advanced SQL (sql-expert)" in text.output

    exported = runner.invoke(app, ["learning", "export", "-"])
    assert exported.exit_code == 0, exported.output
    lines = exported.stdout.splitlines()
    assert lines[0] == (
        "key,title,provider,format,hours,cost,framework,teaches,prerequisites,url,description"
    )
    assert lines[2] == (
        "sql-expert,Advanced SQL,Learning Co,course,40,1200.50,ddat,"
        "data-modelling:practitioner,sql-intro,,"
    )


def test_a_bad_catalogue_names_every_problem_and_changes_nothing(
    database_url_env: str, tmp_path: Path
) -> None:
    bad = write(
        tmp_path,
        "bad.csv",
        "key,title,provider,format,hours,teaches,prerequisites\n"
        "a,A,P,course,1,no-such-skill:working,b\n"
        "b,B,P,course,1,data-modelling:6,a\n",
    )
    result = runner.invoke(app, ["learning", "import", str(bad)])
    assert result.exit_code == 2
    assert "nothing was changed" in result.output
    assert "bad.csv, row 1, column 'teaches': value 'no-such-skill'" in result.output
    assert "bad.csv, row 2, column 'teaches': value 'data-modelling:6'" in result.output
    assert "prerequisites form a cycle: a → b → a" in said(result.output)
    assert runner.invoke(app, ["learning", "export", "-"]).stdout.count("\n") == 1


def test_unknown_items_and_bad_filters_exit_2(database_url_env: str) -> None:
    missing = runner.invoke(app, ["learning", "show", "ghost"])
    assert missing.exit_code == 2
    assert "no learning item has the key 'ghost'" in missing.output
    unknown = runner.invoke(app, ["learning", "list", "--skill", "x", "--framework", "nope"])
    assert unknown.exit_code == 2


def test_demo_then_complete_and_list_completions(database_url_env: str, engine: Engine) -> None:
    add_workforce(engine)
    made = runner.invoke(app, ["learning", "demo", "--items", "40", "--seed", "3"])
    assert made.exit_code == 0, made.output
    assert "Demo learning catalogue of 40 items (seed 3): 40 created" in made.output
    item = "demo-accessibility-awareness"
    done = runner.invoke(app, ["learning", "complete", "analyst", item, "--on", "2025-02-03"])
    assert done.exit_code == 0, done.output
    assert f"analyst completed {item} on 2025-02-03." in done.output
    assert "accessibility: awareness (created)" in done.output
    again = runner.invoke(app, ["learning", "complete", "analyst", item, "--on", "2025-02-03"])
    assert again.exit_code == 2
    assert "is already recorded as completed by analyst on 2025-02-03" in said(again.output)
    bad_day = runner.invoke(app, ["learning", "complete", "analyst", item, "--on", "3 Feb"])
    assert bad_day.exit_code == 2
    assert "YYYY-MM-DD" in bad_day.output
    listed = runner.invoke(app, ["learning", "completions", "analyst"])
    assert listed.exit_code == 0, listed.output
    assert "2025-02-03" in listed.output
    assert item in listed.output
