"""The README stays complete: every command and every setting is documented (after datasette)."""

from __future__ import annotations

from pathlib import Path

import typer.main

from mobilise.cli import app
from mobilise.settings import Settings

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    group = typer.main.get_command(app)
    names = list(group.commands)  # type: ignore[attr-defined]
    assert names
    missing = [name for name in names if f"mobilise {name}" not in README]
    assert missing == []


def test_every_setting_is_in_the_readme() -> None:
    missing = []
    for name, field in Settings.model_fields.items():
        variable = field.validation_alias if isinstance(field.validation_alias, str) else None
        variable = variable or f"MOBILISE_{name.upper()}"
        if f"`{variable}`" not in README:
            missing.append(variable)
    assert missing == []
