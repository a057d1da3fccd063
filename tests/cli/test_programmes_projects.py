"""`mobilise programmes offer-project|withdraw-project|projects`: register projects on offer to a
cohort, from the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.services.cohort_projects import projects_offered_to
from tests.support.programmes import add_programme
from tests.support.register_projects import add_project

runner = CliRunner()


@pytest.mark.usefixtures("database_url_env")
def test_offer_list_and_withdraw_a_project(engine: Engine) -> None:
    setup = add_programme(engine)
    add_project(engine, "b-chatbot", setup.workforce.org_b, "Benefits chatbot", "Answers.")
    add_project(engine, "a-draft", setup.workforce.org_a, "Draft", "A draft.", status="draft")

    assert "No projects on offer" in runner.invoke(app, ["programmes", "projects", "aia-1"]).output
    offered = runner.invoke(app, ["programmes", "offer-project", "aia-1", "b-chatbot"])
    assert offered.exit_code == 0, offered.output
    assert [p.key for p in projects_offered_to(engine, "aia-1")] == ["b-chatbot"]
    listed = runner.invoke(app, ["programmes", "projects", "aia-1"])
    assert "b-chatbot  Benefits chatbot (Agency B)" in listed.output

    draft = runner.invoke(app, ["programmes", "offer-project", "aia-1", "a-draft"])
    assert draft.exit_code == 2
    assert "must be published" in draft.output
    unknown = runner.invoke(app, ["programmes", "offer-project", "nope", "b-chatbot"])
    assert unknown.exit_code == 2
    assert "Not found" in unknown.output

    withdrawn = runner.invoke(app, ["programmes", "withdraw-project", "aia-1", "b-chatbot"])
    assert withdrawn.exit_code == 0, withdrawn.output
    assert projects_offered_to(engine, "aia-1") == []
