"""`mobilise badge`: issue a credential, verify its file offline (exit 0), tamper with it or
revoke it (exit 1 with the reason), rotate the key and list what was issued."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from mobilise.cli import app
from tests.support.workforce import add_workforce

runner = CliRunner()

ISSUE = [
    "badge",
    "issue",
    "analyst",
    "--organisation",
    "dept-a",
    "--key",
    "test:ethics",
    "--name",
    "Data ethics",
    "--description",
    "Completed the data ethics module.",
    "--criteria",
    "Attend every session.",
]


@pytest.mark.usefixtures("database_url_env")
def test_issue_verify_tamper_revoke_and_rotate(engine: Engine, tmp_path: Path) -> None:
    add_workforce(engine)
    badge = tmp_path / "badge.jwt"
    issued = runner.invoke(app, [*ISSUE, "-o", str(badge)])
    assert issued.exit_code == 0, issued.output

    checked = runner.invoke(app, ["badge", "verify", str(badge)])
    assert checked.exit_code == 0, checked.output
    assert "Valid:" in checked.output
    assert "Data ethics" in checked.output

    header, payload, signature = badge.read_text().strip().split(".")
    tampered = tmp_path / "tampered.jwt"
    tampered.write_text(f"{header}.{payload[:-2]}AA.{signature}")
    refused = runner.invoke(app, ["badge", "verify", str(tampered), "--json"])
    assert refused.exit_code == 1
    report = json.loads(refused.stdout)
    assert report["valid"] is False
    failed = [c for c in report["checks"] if c["passed"] is False]
    assert [c["name"] for c in failed] == ["signature"]

    listed = runner.invoke(app, ["badge", "list", "dept-a"])
    assert "analyst" in listed.output
    credential_id = listed.output.split()[0]
    assert runner.invoke(app, ["badge", "rotate-key", "dept-a"]).exit_code == 0
    keys = json.loads(runner.invoke(app, ["badge", "keys", "dept-a"]).stdout)
    assert len(keys["keys"]) == 2
    assert runner.invoke(app, ["badge", "verify", str(badge)]).exit_code == 0

    revoked = runner.invoke(app, ["badge", "revoke", credential_id, "--reason", "In error."])
    assert revoked.exit_code == 0, revoked.output
    again = runner.invoke(app, ["badge", "verify", str(badge)])
    assert again.exit_code == 1
    assert "revoked" in again.output
    assert "In error." in again.output


@pytest.mark.usefixtures("database_url_env")
def test_bad_issues_are_refused_with_exit_code_2(engine: Engine) -> None:
    add_workforce(engine)
    unknown = runner.invoke(app, [*ISSUE[:3], "--organisation", "nowhere", *ISSUE[5:]])
    assert unknown.exit_code == 2
    assert "nowhere" in unknown.output
