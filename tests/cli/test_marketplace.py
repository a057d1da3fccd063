"""`mobilise marketplace`: an operator runs a round from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.services.accounts import development_sign_in
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


@pytest.mark.usefixtures("database_url_env")
def test_open_an_intake_with_quotas_post_a_bid_and_score(engine: Engine, tmp_path: Path) -> None:
    add_marketplace(engine)
    quotas = tmp_path / "quotas.json"
    quotas.write_text('{"not": "a list"}')
    intake = ["marketplace", "open", "tt", "--name", "TT", "--organisation", "dept-a"]
    refused = runner.invoke(app, [*intake, "--quotas", str(quotas)])
    assert refused.exit_code == 2
    quotas.write_text('[{"id": "g", "attribute": "group", "values": ["g1"], "min_count": 1}]')
    assert runner.invoke(app, [*intake, "--quotas", str(quotas)]).exit_code == 0
    bid = [
        "marketplace",
        "post",
        "sd",
        "--round",
        "tt",
        "--organisation",
        "dept-a",
        "--kind",
        "apprenticeship",
        "--title",
        "SD",
        "--starts",
        "2027-09-01",
        "--ends",
        "2029-08-31",
    ]
    assert "role" in runner.invoke(app, bid).output
    assert runner.invoke(app, [*bid, "--role", "software developer"]).exit_code == 0
    key = apply(
        engine, development_sign_in(engine, "candidate", []), "sd", "Me.", [], consent=False
    )
    assert runner.invoke(app, ["marketplace", "score", key, "200"]).exit_code == 2
    scored = runner.invoke(app, ["marketplace", "score", key, "80"])
    assert scored.exit_code == 0, scored.output
    assert f"{key} scored 80" in scored.output
