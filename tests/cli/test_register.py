"""`mobilise register import|export|status|publish`: the shipped records in, JSON and CSV out,
bad input named; a draft's task list, and publishing it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.core.register.registration import ProjectDetails
from mobilise.services.accounts import development_sign_in
from mobilise.services.register import shipped_atrs_directory
from mobilise.services.register_editing import register_project, save_section
from mobilise.services.register_transfer import count_projects
from tests.support.atrs_answers import complete_answers
from tests.support.workforce import add_workforce

runner = CliRunner()


@pytest.mark.usefixtures("database_url_env")
def test_import_then_export_json_csv_and_one_record(engine: Engine, tmp_path: Path) -> None:
    imported = runner.invoke(app, ["register", "import"])
    assert imported.exit_code == 0, imported.output
    assert "136 new" in imported.output
    whole = runner.invoke(app, ["register", "export"])
    assert [r["key"] for r in json.loads(whole.stdout)][:1] == ["ai-writing-assistant-social-care"]
    table = runner.invoke(app, ["register", "export", "--format", "csv"])
    assert len(list(csv.DictReader(io.StringIO(table.stdout)))) == 136
    target = tmp_path / "ico.json"
    one = runner.invoke(app, ["register", "export", "--key", "ico-chatbot", "-o", str(target)])
    assert one.exit_code == 0, one.output
    shipped = shipped_atrs_directory() / "records" / "ico-chatbot.json"
    assert json.loads(target.read_text("utf-8")) == json.loads(shipped.read_text("utf-8"))
    missing = runner.invoke(app, ["register", "export", "--key", "no-such-thing"])
    assert missing.exit_code == 2


@pytest.mark.usefixtures("database_url_env")
def test_a_bad_directory_is_rejected_by_name(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{not json", "utf-8")
    result = runner.invoke(app, ["register", "import", str(tmp_path)])
    assert result.exit_code == 2
    assert "broken.json" in result.output
    assert "nothing was changed" in result.output
    assert count_projects(engine) == 0


@pytest.mark.usefixtures("database_url_env")
def test_status_names_what_publishing_needs_and_publish_refuses_until_answered(
    engine: Engine,
) -> None:
    add_workforce(engine)
    lead = development_sign_in(engine, "lead", [])
    key = register_project(engine, lead, ProjectDetails("Chatbot", "project", "idea", "Chats."))

    status = runner.invoke(app, ["register", "status", key])
    assert status.exit_code == 0, status.output
    assert "Summary (tier 1): in progress; needs Contact email" in status.output
    assert "Model Specification (tier 2): cannot start yet" in status.output
    assert "Self-assessment: not started, 0 of 15 answered" in status.output
    refused = runner.invoke(app, ["register", "publish", key])
    assert refused.exit_code != 0
    assert "contact_email" in refused.output
    record = {"title": "Chatbot", "name": "Chatbot", "description": "Chats."}
    for slug, answers in complete_answers(record).items():
        save_section(engine, lead, key, slug, answers, complete=True)
    assert (
        "Publishing needs: nothing more" in runner.invoke(app, ["register", "status", key]).output
    )
    published = runner.invoke(app, ["register", "publish", key])
    assert published.exit_code == 0, published.output
    assert runner.invoke(app, ["register", "status", "nope"]).exit_code != 0
