"""`mobilise hackathons`: an operator forms teams, moves a hackathon on, and reads its results."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.services.hackathon_judging import score_team, submit
from mobilise.services.hackathon_signups import sign_up
from mobilise.services.hackathon_teams import teams_overview
from tests.support.hackathons import HACKATHON, add_hackathon

runner = CliRunner()


@pytest.mark.usefixtures("database_url_env")
def test_an_operator_runs_a_hackathon_to_its_results(engine: Engine) -> None:
    setup = add_hackathon(engine)
    for person in ("analyst", "stranger", "candidate"):
        sign_up(engine, setup.actor(engine, person), HACKATHON, [], [], consent=False)
    listed = runner.invoke(app, ["hackathons", "list"])
    assert listed.exit_code == 0, listed.output
    assert "3/10" in listed.output
    refused = runner.invoke(app, ["hackathons", "advance", HACKATHON, "publish_teams"])
    assert refused.exit_code == 2
    assert "form them first" in refused.output
    formed = runner.invoke(app, ["hackathons", "teams", HACKATHON, "--seed", "2"])
    assert formed.exit_code == 0, formed.output
    assert "Formed 1 teams" in formed.output
    for action in ("publish_teams", "open_submissions"):
        moved = runner.invoke(app, ["hackathons", "advance", HACKATHON, action])
        assert moved.exit_code == 0, moved.output
    analyst = setup.actor(engine, "analyst")
    team = teams_overview(engine, analyst, HACKATHON).teams[0].key
    submit(engine, analyst, team, title="Dedupe tool", summary="Matches.", links=[])
    assert runner.invoke(app, ["hackathons", "advance", HACKATHON, "start_judging"]).exit_code == 0
    points = {"impact": 5, "feasibility": 5, "responsible": 5, "presentation": 3}
    score_team(engine, setup.actor(engine, "judge"), team, points)
    assert runner.invoke(app, ["hackathons", "results", HACKATHON]).exit_code == 2
    published = runner.invoke(app, ["hackathons", "advance", HACKATHON, "publish_results"])
    assert "results_published" in published.output
    shown = runner.invoke(app, ["hackathons", "results", HACKATHON])
    assert shown.exit_code == 0, shown.output
    assert "Dedupe tool" in shown.output
    assert runner.invoke(app, ["hackathons", "advance", HACKATHON, "bogus"]).exit_code == 2
