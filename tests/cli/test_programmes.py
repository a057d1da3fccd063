"""`mobilise programmes`: an operator runs a cohort's journey from the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.services.actors import command_line_actor
from mobilise.services.applications import apply, get_application
from mobilise.services.selection_panel import score_application
from tests.support.programmes import add_programme

runner = CliRunner()


@pytest.mark.usefixtures("database_url_env")
def test_close_select_and_start_a_cohort(engine: Engine) -> None:
    setup = add_programme(engine)
    key = apply(engine, setup.actor(engine, "stranger"), "aia-1", "Me.", [], consent=False)

    listed = runner.invoke(app, ["programmes", "list"])
    assert listed.exit_code == 0, listed.output
    assert "aia-1" in listed.output
    refused = runner.invoke(app, ["programmes", "select", "aia-1"])
    assert refused.exit_code == 2
    assert "allowed: close" in refused.output
    assert runner.invoke(app, ["programmes", "close", "aia-1"]).exit_code == 0
    score_application(engine, setup.actor(engine, "judge"), key, {"motivation": 3, "experience": 3})
    selected = runner.invoke(app, ["programmes", "select", "aia-1"])
    assert selected.exit_code == 0, selected.output
    assert "1 offered" in selected.output
    assert get_application(engine, command_line_actor(), key).summary.state.value == "offered"
    shown = runner.invoke(app, ["programmes", "show", "aia-1"])
    assert "selection run: sel-" in shown.output
    assert "Not found" in runner.invoke(app, ["programmes", "show", "nope"]).output
    pending = runner.invoke(app, ["programmes", "outbox"])
    assert "You are offered a place" in pending.output
    assert "sender: none" in runner.invoke(app, ["programmes", "deliver"]).output
