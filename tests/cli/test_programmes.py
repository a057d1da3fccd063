"""`mobilise programmes`: an operator runs a cohort's journey from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.services.actors import command_line_actor
from mobilise.services.application_views import get_application
from mobilise.services.applications import apply
from mobilise.services.programme_views import get_cohort, get_programme
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


@pytest.mark.usefixtures("database_url_env")
def test_set_up_a_programme_and_open_a_cohort(engine: Engine, tmp_path: Path) -> None:
    add_programme(engine)
    quotas = tmp_path / "quotas.json"
    quotas.write_text(
        '[{"id": "regions", "attribute": "region", "values": ["Wales"], "min_share": 1.5}]'
    )
    refused = runner.invoke(
        app,
        [
            "programmes",
            "create",
            "tt",
            "--name",
            "TechTrack",
            "--kind",
            "apprenticeship",
            "--organisation",
            "dept-a",
            "--quotas",
            str(quotas),
        ],
    )
    assert refused.exit_code == 2
    assert "nothing was changed" in refused.output
    quotas.write_text(
        '[{"id": "outside-london", "attribute": "region", "not_values": ["London"], '
        '"min_share": 0.6}]'
    )
    created = runner.invoke(
        app,
        [
            "programmes",
            "create",
            "tt",
            "--name",
            "TechTrack",
            "--kind",
            "apprenticeship",
            "--organisation",
            "dept-a",
            "--quotas",
            str(quotas),
            "--target",
            "2000",
            "--target-year",
            "2030",
        ],
    )
    assert created.exit_code == 0, created.output
    programme = get_programme(engine, command_line_actor(), "tt")
    assert (programme.target_people, programme.target_year) == (2000, 2030)

    opened = runner.invoke(
        app,
        [
            "programmes",
            "open-cohort",
            "tt",
            "tt-2027",
            "--name",
            "TechTrack 2027",
            "--starts",
            "2027-09-01",
            "--ends",
            "2029-08-31",
            "--places",
            "100",
            "--mandatory",
            "ai-ethics",
            "--module",
            "ml-foundations",
        ],
    )
    assert opened.exit_code == 0, opened.output
    cohort = get_cohort(engine, command_line_actor(), "tt-2027")
    assert [(i.key, i.mandatory) for i in cohort.curriculum] == [
        ("ai-ethics", True),
        ("ml-foundations", False),
    ]
    bad = runner.invoke(
        app,
        [
            "programmes",
            "open-cohort",
            "tt",
            "tt-bad",
            "--name",
            "Bad",
            "--starts",
            "2027-09-01",
            "--ends",
            "2027-01-01",
            "--places",
            "1",
            "--module",
            "nope",
        ],
    )
    assert bad.exit_code == 2
    assert "ends_on" in bad.output
    assert "names no learning item" in bad.output
