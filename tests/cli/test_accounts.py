"""`mobilise accounts`, `mobilise tokens` and `mobilise audit export` as an operator uses them."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.services.api_tokens import actor_for_token
from tests.support.workforce import add_workforce

runner = CliRunner()


def test_a_service_account_gets_a_role_and_a_token_that_works(
    database_url_env: str, engine: Engine, tmp_path: Path
) -> None:
    add_workforce(engine)

    made = runner.invoke(app, ["accounts", "create-service", "HR feed", "--organisation", "dept-a"])
    assert made.exit_code == 0, made.output
    granted = runner.invoke(
        app, ["accounts", "grant", "HR feed", "organisation_admin", "--organisation", "dept-a"]
    )
    assert granted.exit_code == 0, granted.output
    issued = runner.invoke(
        app, ["tokens", "issue", "HR feed", "--name", "nightly", "--scope", "people:read"]
    )
    assert issued.exit_code == 0, issued.output
    token = issued.stdout.strip().splitlines()[0]
    actor = actor_for_token(engine, token)
    assert actor is not None
    assert actor.display_name == "HR feed"
    listed = runner.invoke(app, ["accounts", "list"])
    # Rich folds long cells onto following lines; read the table without its frame and spaces.
    assert "organisation_admin@dept-a" in re.sub(r"[\s│┃]", "", listed.output)
    assert token not in runner.invoke(app, ["tokens", "list"]).output

    revoked = runner.invoke(app, ["tokens", "revoke", "1"])
    assert revoked.exit_code == 0, revoked.output
    assert actor_for_token(engine, token) is None

    exported = tmp_path / "audit.csv"
    result = runner.invoke(app, ["audit", "export", str(exported)])
    assert result.exit_code == 0, result.output
    actions = [row["action"] for row in csv.DictReader(exported.open())]
    assert actions == [
        "framework.imported",  # by the test database's set-up
        "account.created",
        "role.granted",
        "token.issued",
        "token.revoked",
    ]
    assert not exported.with_name("audit.csv.partial").exists()


def test_bad_references_exit_2_and_change_nothing(database_url_env: str, engine: Engine) -> None:
    add_workforce(engine)
    runner.invoke(app, ["accounts", "create-service", "feed", "--organisation", "dept-a"])

    unknown_account = runner.invoke(app, ["accounts", "grant", "nobody", "analyst"])
    unknown_role = runner.invoke(app, ["accounts", "grant", "1", "line_manager"])
    no_org = runner.invoke(app, ["accounts", "create-service", "x", "--organisation", "nope"])
    bad_scope = runner.invoke(app, ["tokens", "issue", "1", "--name", "n", "--scope", "all"])

    assert [r.exit_code for r in (unknown_account, unknown_role, no_org, bad_scope)] == [2] * 4
    assert "not an organisation key" in no_org.output
    assert "is not one of" in bad_scope.output
    assert "no account is 'nobody'" in unknown_account.output
    assert "organisation_admin" not in runner.invoke(app, ["accounts", "list"]).output
