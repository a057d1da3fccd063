"""Importing the published ATRS records with their organisations, and exporting them again."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services.organisations import ensure_default_organisations
from mobilise.services.register import get_project, shipped_atrs_directory
from mobilise.services.register_transfer import (
    count_projects,
    export_record,
    export_register_csv,
    import_register,
)
from mobilise.store.database import reading
from mobilise.store.models import AIProjectLink, Organisation

RECORDS = shipped_atrs_directory() / "records"


def test_all_published_records_import_with_their_organisations(engine: Engine) -> None:
    ensure_default_organisations(engine)
    with reading(engine) as session:
        before = session.scalar(select(func.count(Organisation.id)))
    report = import_register(engine)
    assert (report.created, report.updated) == (136, 0)
    with reading(engine) as session:
        after = session.scalar(select(func.count(Organisation.id)))
        links = session.scalar(select(func.count()).select_from(AIProjectLink))
    assert after - (before or 0) == report.organisations_created == 38
    assert links == sum(
        1
        for path in RECORDS.glob("*.json")
        if (json.loads(path.read_text("utf-8")).get("website_url") or "N/A") != "N/A"
    )
    redbox = get_project(engine, "dbt-redbox")
    assert redbox.organisation_key == "department-for-business-and-trade"
    assert redbox.status == "published"
    assert redbox.source_url == "https://www.gov.uk/algorithmic-transparency-records/dbt-redbox"
    assert get_project(engine, "survey-summarisation-tool").organisation_key is None
    # Again: the same records update in place.
    assert import_register(engine).updated == 136
    assert count_projects(engine) == 136


def test_export_gives_back_the_shape_of_the_published_record(engine: Engine) -> None:
    import_register(engine)
    original = json.loads((RECORDS / "dbt-redbox.json").read_text("utf-8"))
    assert export_record(engine, "dbt-redbox") == original
    rows = list(csv.DictReader(io.StringIO(export_register_csv(engine))))
    assert len(rows) == 136
    redbox = next(row for row in rows if row["key"] == "dbt-redbox")
    assert redbox["title"] == "DBT: Redbox"
    assert redbox["website_url"] == "https://github.com/uktrade/redbox"


def _copy(tmp_path: Path, *slugs: str) -> Path:
    directory = tmp_path / "records"
    directory.mkdir()
    for slug in slugs:
        shutil.copy(RECORDS / f"{slug}.json", directory)
    return directory


def test_a_bad_record_is_named_and_nothing_changes(engine: Engine, tmp_path: Path) -> None:
    directory = _copy(tmp_path, "dbt-redbox", "ico-chatbot")
    bad = json.loads((directory / "ico-chatbot.json").read_text("utf-8"))
    bad["website_url"] = "javascript:alert(1)"
    bad["phase"] = "idea"
    (directory / "ico-chatbot.json").write_text(json.dumps(bad), "utf-8")
    with pytest.raises(InvalidInput) as raised:
        import_register(engine, directory)
    problems = {(p.source, p.column, p.value) for p in raised.value.problems}
    assert problems == {
        ("ico-chatbot.json", "website_url", "javascript:alert(1)"),
        ("ico-chatbot.json", "phase", "idea"),
    }
    assert count_projects(engine) == 0


def test_an_unknown_organisation_is_named(engine: Engine, tmp_path: Path) -> None:
    directory = _copy(tmp_path, "ico-chatbot")
    record = json.loads((directory / "ico-chatbot.json").read_text("utf-8"))
    record["extra"]["organisation_full_name"] = "Ministry of Silly Walks"
    (directory / "ico-chatbot.json").write_text(json.dumps(record), "utf-8")
    with pytest.raises(InvalidInput, match=r"Ministry of Silly Walks.*no such organisation"):
        import_register(engine, directory)
    assert count_projects(engine) == 0


def test_text_is_stored_as_given(engine: Engine, tmp_path: Path) -> None:
    directory = _copy(tmp_path, "ico-chatbot")
    record = json.loads((directory / "ico-chatbot.json").read_text("utf-8"))
    record["description"] = "<script>alert('x')</script> answers questions"
    (directory / "ico-chatbot.json").write_text(json.dumps(record), "utf-8")
    import_register(engine, directory)
    assert get_project(engine, "ico-chatbot").description.startswith("<script>")
