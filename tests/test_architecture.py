"""The layering in DESIGN.md, enforced: import-linter's contracts from pyproject.toml must hold."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


def test_no_module_has_a_name_that_hides_what_it_is() -> None:
    banned = {"utils", "helpers", "misc", "manager", "common"}
    offenders = [
        p
        for p in (ROOT / "src" / "mobilise").rglob("*.py")
        if p.stem in banned or p.parent.name in banned
    ]
    assert offenders == []
