"""The crosswalk in the store: computed, reviewed decisions kept across rebuilds, imported and
exported, refused whole when a row is bad, reviewed only by framework owners."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.core.skills.crosswalk import CrosswalkRule
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import command_line_actor
from mobilise.services.audit import NotPermitted, list_events
from mobilise.services.skill_crosswalk import (
    CrosswalkEntryNotFound,
    compute_crosswalk,
    export_crosswalk_csv,
    import_reviews,
    list_crosswalk,
    review_entry,
    shipped_reviews_file,
)
from mobilise.store.database import reading
from mobilise.store.models import SkillCrosswalkEntry
from tests.support.workforce import add_workforce

PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
HEADER = "esco_uri,ddat_skill,decision,note\n"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "reviews.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _count(engine: Engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count()).select_from(SkillCrosswalkEntry)) or 0


def test_computing_keeps_reviewed_decisions_and_a_rebuild_does_not_undo_a_review(
    sqlite_engine: Engine,
) -> None:
    engine = sqlite_engine
    summary = compute_crosswalk(engine, rule=CrosswalkRule(threshold=0.5, per_esco=1))
    assert summary.computed > 0
    assert summary.accepted_reviews == 37
    assert summary.rejected_reviews == 2
    assert summary.unmatched_reviews == 0
    computed, _ = list_crosswalk(engine, source="computed", limit=1)
    review_entry(engine, command_line_actor(), computed[0].id, accepted=False, note="not the same")

    again = compute_crosswalk(engine, rule=CrosswalkRule(threshold=0.5, per_esco=1))

    assert again.rejected_reviews == 3
    kept = [e for e in list_crosswalk(engine, source="reviewed", limit=100)[0] if not e.accepted]
    assert (computed[0].esco_key, computed[0].skill_key) in {
        (e.esco_key, e.skill_key) for e in kept
    }
    reviewed_python = [
        e
        for e in list_crosswalk(engine, skill_key="developing-code-for-analysis", limit=500)[0]
        if e.esco_key == PYTHON
    ]
    assert reviewed_python[0].source == "reviewed"
    assert reviewed_python[0].reviewed_by == "Mobilise engineering (skills-product)"
    assert list_events(engine, command_line_actor(), action="crosswalk.computed").total == 2


def test_import_then_export_round_trips_the_decisions(engine: Engine, tmp_path: Path) -> None:
    assert import_reviews(engine, None, shipped_reviews_file()) == 39
    path = _write(tmp_path, HEADER + f"{PYTHON},data-engineering,accept,pipelines in Python\n")
    assert import_reviews(engine, None, path) == 1

    exported = "".join(export_crosswalk_csv(engine))
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert len(rows) == 40
    mine = [r for r in rows if r["ddat_skill"] == "data-engineering" and r["esco_uri"] == PYTHON]
    assert mine[0]["decision"] == "accept"
    assert mine[0]["note"] == "pipelines in Python"
    # The export is itself an import: the same decisions again change nothing.
    again = _write(tmp_path, exported)
    assert import_reviews(engine, None, again) == 40
    assert _count(engine) == 40


@pytest.mark.parametrize(
    ("body", "column", "rule"),
    [
        (f"{PYTHON},data-engineering,maybe,\n", "decision", "must be accept or reject"),
        ("http://example.com/nope,data-engineering,accept,\n", "esco_uri", "not an ESCO skill"),
        (f"{PYTHON},juggling,accept,\n", "ddat_skill", "not a skill of the framework"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_imported(
    engine: Engine, tmp_path: Path, body: str, column: str, rule: str
) -> None:
    good = f"{PYTHON},data-engineering,accept,\n"
    with pytest.raises(InvalidInput) as raised:
        import_reviews(engine, None, _write(tmp_path, HEADER + good + body))
    problem = raised.value.problems[0]
    assert (problem.row, problem.column) == (2, column)
    assert rule in problem.rule
    assert _count(engine) == 0


def test_a_file_without_the_columns_or_not_utf8_is_refused(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="required column"):
        import_reviews(engine, None, _write(tmp_path, "esco,skill\nx,y\n"))
    path = tmp_path / "latin.csv"
    path.write_bytes(HEADER.encode() + "é,x,accept,\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match="UTF-8"):
        import_reviews(engine, None, path)


def test_only_framework_owners_review(engine: Engine) -> None:
    add_workforce(engine)
    import_reviews(engine, None, shipped_reviews_file())
    entry = list_crosswalk(engine, limit=1)[0][0]
    person = development_sign_in(engine, "analyst", [])
    with pytest.raises(NotPermitted):
        review_entry(engine, person, entry.id, accepted=False)
    with pytest.raises(CrosswalkEntryNotFound):
        review_entry(engine, command_line_actor(), 999_999, accepted=False)
    with pytest.raises(InvalidInput, match="note"):
        review_entry(engine, command_line_actor(), entry.id, accepted=True, note="x" * 1001)
    review_entry(engine, command_line_actor(), entry.id, accepted=False, note="no")
    assert not list_crosswalk(engine, limit=1)[0][0].accepted
