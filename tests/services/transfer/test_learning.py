"""Learning items import and export: upserts by key, all or nothing, and lossless round trips."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.framework import UnknownFramework
from mobilise.services.transfer import export_learning_items, import_learning_items
from mobilise.store.database import reading
from mobilise.store.models import AuditEvent, LearningItem
from tests.services.transfer.conftest import write

TABLES = ("learning_item", "learning_item_skill", "learning_prerequisite", "audit_event")

CATALOGUE_CSV = (
    "key,title,provider,format,hours,cost,teaches,prerequisites,url,description\n"
    'sql-intro,"SQL, an introduction",Learning Co,article,0.25,,data-modelling:awareness,,,\n'
    "sql-practice,SQL in practice,Learning Co,workshop,7,450,"
    "data-modelling:working; programming-and-build-software-engineering:1,sql-intro,"
    'https://learning.example/sql,"Two days.\nBring a laptop."\n'
    "sql-expert,Advanced SQL,=Formula Co,course,40.5,1200.50,data-modelling:practitioner,"
    "sql-practice; sql-intro,,\n"
)


def snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as connection:
        return {
            table: sorted(
                (tuple(row) for row in connection.execute(text(f"SELECT * FROM {table}"))),  # noqa: S608
                key=repr,
            )
            for table in TABLES
        }


def items_of(engine: Engine) -> dict[str, LearningItem]:
    with reading(engine) as session:
        items = {item.key: item for item in session.scalars(select(LearningItem))}
        session.expunge_all()  # keep the loaded values readable after the session ends
    return items


def taught(engine: Engine) -> set[tuple[str, str, int]]:
    with engine.connect() as connection:
        return {
            tuple(row)  # type: ignore[misc]
            for row in connection.execute(
                text(
                    "SELECT i.key, s.key, t.level FROM learning_item_skill t "
                    "JOIN learning_item i ON i.id = t.item_id JOIN skill s ON s.id = t.skill_id"
                )
            )
        }


def required(engine: Engine) -> set[tuple[str, str]]:
    with engine.connect() as connection:
        return {
            (row[0], row[1])
            for row in connection.execute(
                text(
                    "SELECT i.key, r.key FROM learning_prerequisite p "
                    "JOIN learning_item i ON i.id = p.item_id "
                    "JOIN learning_item r ON r.id = p.required_item_id"
                )
            )
        }


@pytest.fixture
def catalogue(engine: Engine, tmp_path: Path) -> Engine:
    report = import_learning_items(engine, write(tmp_path, "learning.csv", CATALOGUE_CSV))
    assert (report.kind, report.rows, report.created, report.updated) == (
        "learning items",
        3,
        3,
        0,
    )
    return engine


def refused(engine: Engine, tmp_path: Path, content: str, *, suffix: str = "csv") -> list[Problem]:
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as caught:
        import_learning_items(engine, write(tmp_path, f"bad.{suffix}", content))
    assert snapshot(engine) == before
    return list(caught.value.problems)


def test_a_catalogue_imports_with_skills_prerequisites_hours_and_pence(catalogue: Engine) -> None:
    items = items_of(catalogue)
    assert items["sql-expert"].hours == Decimal("40.5")
    assert items["sql-expert"].cost_pence == 120050
    assert items["sql-practice"].cost_pence == 45000
    assert items["sql-intro"].cost_pence == 0
    assert items["sql-intro"].url is None
    assert items["sql-practice"].description == "Two days.\nBring a laptop."
    assert items["sql-expert"].provider == "=Formula Co"
    assert taught(catalogue) == {
        ("sql-intro", "data-modelling", 1),
        ("sql-practice", "data-modelling", 2),
        ("sql-practice", "programming-and-build-software-engineering", 1),
        ("sql-expert", "data-modelling", 3),
    }
    assert required(catalogue) == {
        ("sql-practice", "sql-intro"),
        ("sql-expert", "sql-practice"),
        ("sql-expert", "sql-intro"),
    }


def test_an_import_is_audited(catalogue: Engine) -> None:
    with reading(catalogue) as session:
        key, after = session.execute(
            select(AuditEvent.entity_key, AuditEvent.after).where(
                AuditEvent.action == "learning_items.imported"
            )
        ).one()
    assert key == "learning.csv"
    assert after == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0}


def test_importing_the_same_file_twice_changes_nothing(catalogue: Engine, tmp_path: Path) -> None:
    before = snapshot(catalogue)
    report = import_learning_items(catalogue, write(tmp_path, "again.csv", CATALOGUE_CSV))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    after = snapshot(catalogue)
    # Only the second import's audit event is new.
    assert len(after.pop("audit_event")) == len(before.pop("audit_event")) + 1
    assert after == before


def test_changed_skills_or_prerequisites_alone_update_an_item(
    catalogue: Engine, tmp_path: Path
) -> None:
    changed = CATALOGUE_CSV.replace(
        "data-modelling:practitioner,sql-practice; sql-intro", "data-modelling:expert,sql-practice"
    )
    report = import_learning_items(catalogue, write(tmp_path, "changed.csv", changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert ("sql-expert", "data-modelling", 4) in taught(catalogue)
    assert ("sql-expert", "sql-intro") not in required(catalogue)


def test_a_later_file_may_require_stored_items_and_leaves_others_alone(
    catalogue: Engine, tmp_path: Path
) -> None:
    extra = "key,title,provider,format,hours,prerequisites\nml,ML,P,course,30,sql-expert\n"
    report = import_learning_items(catalogue, write(tmp_path, "extra.csv", extra))
    assert (report.rows, report.created) == (1, 1)
    assert ("ml", "sql-expert") in required(catalogue)
    assert len(items_of(catalogue)) == 4


def test_json_imports_like_csv_with_numbers_for_hours_and_cost(
    engine: Engine, tmp_path: Path
) -> None:
    items = [
        {
            "key": "a",
            "title": "A",
            "provider": "P",
            "format": "e-learning",
            "hours": 1.5,
            "cost": 20,
            "teaches": "data-modelling:2",
            "framework": "ddat",
        },
        {"key": "b", "title": "B", "provider": "P", "format": "course", "hours": "3"},
    ]
    report = import_learning_items(engine, write(tmp_path, "l.json", json.dumps(items)))
    assert (report.rows, report.created) == (2, 2)
    stored = items_of(engine)
    assert (stored["a"].hours, stored["a"].cost_pence) == (Decimal("1.5"), 2000)


def test_a_stream_is_read_with_the_format_given(engine: Engine) -> None:
    stream = io.BytesIO(b"key,title,provider,format,hours\nx,X,P,article,1\n")
    report = import_learning_items(engine, stream, format="csv", name="upload")
    assert report.created == 1


def test_every_broken_rule_is_named_and_nothing_is_written(
    catalogue: Engine, tmp_path: Path
) -> None:
    bad = """\
key,title,provider,format,hours,cost,teaches,prerequisites
n1,N1,P,podcast,0,£5,ghost:working; data-modelling:9,missing
n2,N2,P,course,1,,,n3
n3,N3,P,course,1,,,n2
sql-intro,Changed,P,article,1,,,sql-expert
"""
    problems = refused(catalogue, tmp_path, bad)
    assert [(p.row, p.column, p.value, p.rule) for p in problems] == [
        (
            1,
            "format",
            "podcast",
            "is not a known learning format "
            "(one of: apprenticeship-module, article, course, e-learning, workshop)",
        ),
        (
            1,
            "hours",
            "0",
            "must be a number of hours above 0 and at most 10,000, "
            "with at most 2 decimal places (e.g. 1.5)",
        ),
        (
            1,
            "cost",
            "£5",
            "must be an amount in pounds from 0 to 1,000,000 with at most 2 decimal places "
            "(e.g. 149.99), without a £ sign or commas",
        ),
        (1, "teaches", "ghost", "refers to no skill of the framework 'ddat'"),
        (
            1,
            "teaches",
            "data-modelling:9",
            "level '9' must be one of awareness, working, practitioner, expert (or 1 to 4)",
        ),
        (1, "prerequisites", "missing", "refers to no learning item"),
        (2, "prerequisites", "n3", "prerequisites form a cycle: n2 → n3 → n2"),
        # sql-expert (stored) requires sql-intro directly and through sql-practice; the file
        # makes sql-intro require sql-expert, which closes both loops.
        (
            4,
            "prerequisites",
            "sql-expert",
            "prerequisites form a cycle: sql-intro → sql-expert → sql-intro",
        ),
        (
            4,
            "prerequisites",
            "sql-expert",
            "prerequisites form a cycle: sql-intro → sql-expert → sql-practice → sql-intro",
        ),
    ]
    assert str(problems[0]).startswith("bad.csv, row 1, column 'format': value 'podcast':")


def test_file_level_problems_are_reported(engine: Engine, tmp_path: Path) -> None:
    problems = refused(engine, tmp_path, "key,title,provider,format,emial\n")
    assert [(p.column, p.rule) for p in problems][:1] == [
        (
            "emial",
            "is not a column of the learning items format (expected: key, title, provider, "
            "format, hours, cost, framework, teaches, prerequisites, url, description)",
        )
    ]
    assert ("hours", "required column is missing from the header") in [
        (p.column, p.rule) for p in problems
    ]
    json_problems = refused(engine, tmp_path, '[{"key": "a", "hours": true}]', suffix="json")
    assert ("hours", "must be a string or a number or null") in [
        (p.column, p.rule) for p in json_problems
    ]


def test_an_unknown_framework_option_is_refused(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(UnknownFramework):
        import_learning_items(
            engine, write(tmp_path, "l.csv", CATALOGUE_CSV), framework="no-such-version"
        )


def test_export_then_import_elsewhere_gives_the_same_bytes(
    catalogue: Engine, second_engine: Engine, tmp_path: Path
) -> None:
    for file_format in ("csv", "json"):
        first = tmp_path / f"first.{file_format}"
        report = export_learning_items(catalogue, first)
        assert report.rows == 3
        import_learning_items(second_engine, first)
        again = tmp_path / f"again.{file_format}"
        export_learning_items(second_engine, again)
        assert again.read_bytes() == first.read_bytes()
    exported = (tmp_path / "first.csv").read_text(encoding="utf-8")
    assert exported.splitlines()[0] == (
        "key,title,provider,format,hours,cost,framework,teaches,prerequisites,url,description"
    )
    # Sorted skills and prerequisites, pounds with pence, hours without trailing zeros, and a
    # provider that a spreadsheet would run as a formula written as text.
    assert (
        "sql-expert,Advanced SQL,'=Formula Co,course,40.5,1200.50,ddat,"
        "data-modelling:practitioner,sql-intro; sql-practice,," in exported
    )
    items = json.loads((tmp_path / "first.json").read_text(encoding="utf-8"))
    assert items[0] == {
        "key": "sql-intro",
        "title": "SQL, an introduction",
        "provider": "Learning Co",
        "format": "article",
        "hours": "0.25",
        "cost": "0.00",
        "framework": "ddat",
        "teaches": "data-modelling:awareness",
        "prerequisites": None,
        "url": None,
        "description": "",
    }


def test_an_empty_catalogue_exports_a_header_that_imports_as_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "empty.csv"
    assert export_learning_items(engine, path).rows == 0
    assert import_learning_items(engine, path).rows == 0


def test_the_examples_in_the_formats_document_import(engine: Engine, tmp_path: Path) -> None:
    document = (Path(__file__).parents[3] / "docs" / "formats.md").read_text(encoding="utf-8")
    section = document.split("## Learning items", 1)[1].split("\n## ", 1)[0]
    csv_example = section.split("```csv\n", 1)[1].split("```", 1)[0]
    json_example = section.split("```json\n", 1)[1].split("```", 1)[0]
    assert import_learning_items(engine, write(tmp_path, "example.csv", csv_example)).created == 2
    report = import_learning_items(engine, write(tmp_path, "example.json", json_example))
    assert (report.rows, report.unchanged) == (1, 1)
