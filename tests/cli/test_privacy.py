"""`mobilise retention apply [--dry-run]` and `mobilise privacy export PERSON`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.store.database import reading
from mobilise.store.models import OutboxMessage
from tests.support.personal_records import add_message_sent_long_ago
from tests.support.workforce import add_workforce

runner = CliRunner()


def _sent_messages(engine: Engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


@pytest.mark.usefixtures("database_url_env")
def test_retention_dry_run_counts_then_apply_deletes(engine: Engine) -> None:
    workforce = add_workforce(engine)
    add_message_sent_long_ago(engine, workforce.people["lead"])

    dry = runner.invoke(app, ["retention", "apply", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would delete" in dry.output
    assert _sent_messages(engine) == 1

    applied = runner.invoke(app, ["retention", "apply"])
    assert applied.exit_code == 0, applied.output
    assert _sent_messages(engine) == 0


@pytest.mark.usefixtures("database_url_env")
def test_privacy_export_writes_the_persons_document(engine: Engine, tmp_path: Path) -> None:
    add_workforce(engine)
    path = tmp_path / "analyst.json"

    done = runner.invoke(app, ["privacy", "export", "analyst", "-o", str(path)])

    assert done.exit_code == 0, done.output
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["person"]["email"] == "analyst@example.gov.uk"
    missing = runner.invoke(app, ["privacy", "export", "nobody"])
    assert missing.exit_code == 1
    assert "nobody" in missing.output
