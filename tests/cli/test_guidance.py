"""`mobilise guidance seed|list|search`: the shipped guidance in once, listed with what replaced
what, and one search across guidance and the register."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from mobilise.cli import app

runner = CliRunner()


@pytest.mark.usefixtures("database_url_env")
def test_seed_list_and_search() -> None:
    first = runner.invoke(app, ["guidance", "seed"])
    assert first.exit_code == 0, first.output
    assert "Added 8" in first.output
    assert "Added 0" in runner.invoke(app, ["guidance", "seed"]).output

    listed = runner.invoke(app, ["guidance", "list", "--phase", "retired"]).output
    assert "algorithmic-transparency-recording-standard" in listed
    assert "guidelines-for-ai-procurement" not in listed
    everything = runner.invoke(app, ["guidance", "list"]).output
    assert "(replaced by ai-playbook-for-the-uk-government)" in everything

    assert runner.invoke(app, ["register", "import"]).exit_code == 0
    found = runner.invoke(app, ["guidance", "search", "chatbot", "--limit", "3"])
    assert found.exit_code == 0, found.output
    rows = found.output.splitlines()
    assert [row.split()[1] for row in rows[:-1]] == ["project"] * 3
    assert int(rows[-1].split()[0]) >= 3
    refused = runner.invoke(app, ["guidance", "search", "x" * 101])
    assert refused.exit_code != 0
    assert "at most 100" in refused.output
