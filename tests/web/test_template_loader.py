"""Edited templates still show, checked at most once per RECHECK_SECONDS."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from mobilise.web import template_loader
from mobilise.web.template_loader import RecheckingLoader


def _edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a new mtime


def test_an_edit_shows_once_the_template_is_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.html"
    page.write_text("first", encoding="utf-8")
    environment = Environment(loader=RecheckingLoader(FileSystemLoader(tmp_path)), autoescape=True)
    assert environment.get_template("page.html").render() == "first"

    monkeypatch.setattr(template_loader, "RECHECK_SECONDS", 3600.0)
    _edit(page, "second")
    assert environment.get_template("page.html").render() == "first"  # not checked yet

    monkeypatch.setattr(template_loader, "RECHECK_SECONDS", 0.0)
    assert environment.get_template("page.html").render() == "second"


def test_the_wrapped_loader_lists_the_same_templates(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("a", encoding="utf-8")
    (tmp_path / "b.html").write_text("b", encoding="utf-8")
    loader = FileSystemLoader(tmp_path)

    assert RecheckingLoader(loader).list_templates() == loader.list_templates()
