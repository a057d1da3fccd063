"""`mobilise marketplace`: an operator runs a round from the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.services.marketplace_applications import apply
from tests.support.marketplace import ROUND, add_marketplace

runner = CliRunner()


@pytest.mark.usefixtures("database_url_env")
def test_open_post_close_allocate_start_and_finish_a_round(engine: Engine) -> None:
    setup = add_marketplace(engine)
    rival = apply(engine, setup.actor(engine, "outsider"), "data-loan", "Me.", [], consent=False)

    posted = runner.invoke(
        app,
        [
            "marketplace",
            "post",
            "ml-role",
            "--round",
            ROUND,
            "--organisation",
            "agency-b",
            "--kind",
            "project_role",
            "--title",
            "ML engineer",
            "--starts",
            "2027-01-04",
            "--ends",
            "2027-06-30",
            "--skill",
            "accessibility=expert",
        ],
    )
    assert posted.exit_code == 0, posted.output
    refused = runner.invoke(
        app,
        [
            "marketplace",
            "post",
            "bad",
            "--round",
            ROUND,
            "--organisation",
            "agency-b",
            "--kind",
            "loan",
            "--title",
            "Bad",
            "--starts",
            "2027-01-04",
            "--ends",
            "2027-06-30",
            "--skill",
            "accessibility",
        ],
    )
    assert refused.exit_code == 2
    assert "skills[0].level" in refused.output
    listed = runner.invoke(app, ["marketplace", "rounds"])
    assert ROUND in listed.output
    ranked = runner.invoke(app, ["marketplace", "applicants", "data-loan"])
    assert rival in ranked.output
    assert "40%" in ranked.output
    assert runner.invoke(app, ["marketplace", "allocate", ROUND]).exit_code == 2
    assert runner.invoke(app, ["marketplace", "close", ROUND]).exit_code == 0
    allocated = runner.invoke(app, ["marketplace", "allocate", ROUND])
    assert allocated.exit_code == 0, allocated.output
    assert "1 offered" in allocated.output
    assert runner.invoke(app, ["marketplace", "start", ROUND]).exit_code == 0
    assert runner.invoke(app, ["marketplace", "finish", ROUND]).exit_code == 0
    shown = runner.invoke(app, ["marketplace", "show", ROUND])
    assert "ml-role" in shown.output
    opened = runner.invoke(
        app, ["marketplace", "open", "r2", "--name", "Round 2", "--organisation", "dept-a"]
    )
    assert opened.exit_code == 0, opened.output
    assert "refused" in runner.invoke(app, ["marketplace", "demo"]).output.lower()
