"""`mobilise pathway` on a demo catalogue: a table, JSON, and bad input exiting 2."""

from __future__ import annotations

import json

from sqlalchemy import Engine
from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.services.accounts import development_sign_in
from mobilise.services.gaps import nearest_to
from mobilise.services.learning import ensure_demo_catalogue
from tests.support.workforce import add_workforce

runner = CliRunner()


def test_pathway_as_table_and_json(database_url_env: str, engine: Engine) -> None:
    add_workforce(engine)
    ensure_demo_catalogue(engine, seed=3, items=300)
    analyst = development_sign_in(engine, "analyst", [])
    target = nearest_to(engine, analyst, "analyst", k=30)[-1].role_level.key

    table = runner.invoke(app, ["pathway", "analyst", "--target", target])
    as_json = runner.invoke(app, ["pathway", "analyst", "--target", target, "--json"])
    bad = runner.invoke(app, ["pathway", "analyst", "--target", target, "--objective", "fast"])
    nobody = runner.invoke(app, ["pathway", "nobody", "--target", target])

    assert table.exit_code == 0, table.output
    assert "optimal" in table.output
    plan = json.loads(as_json.stdout)
    assert plan["optimal"] is True
    assert plan["items"]
    assert (bad.exit_code, nobody.exit_code) == (2, 2)
    assert "must be hours, cost or mix" in bad.output
