from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.framework import UnknownFramework
from mobilise.services.transfer import IMPORTS, import_claims, import_organisations, import_people
from mobilise.store.database import reading
from mobilise.store.models import Person, SkillClaim
from tests.services.transfer.conftest import (
    CLAIMS_CSV,
    ORGANISATIONS_CSV,
    PEOPLE_CSV,
    snapshot,
    write,
)


def people_of(engine: Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        return {p.key: p for p in connection.execute(select(Person.__table__))}


@pytest.fixture
def workforce(engine: Engine, tmp_path: Path) -> Engine:
    import_organisations(engine, write(tmp_path, "organisations.csv", ORGANISATIONS_CSV))
    import_people(engine, write(tmp_path, "people.csv", PEOPLE_CSV))
    import_claims(engine, write(tmp_path, "claims.csv", CLAIMS_CSV))
    return engine


def refused(
    engine: Engine, tmp_path: Path, kind: str, content: str | bytes, **options: object
) -> list[Problem]:
    """Import `content`, expect InvalidInput, prove nothing changed, and return the problems."""
    importer = IMPORTS[kind]
    suffix = "json" if options.pop("json", False) else "csv"
    path = write(tmp_path, f"bad.{suffix}", content)
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as caught:
        importer(engine, path, **options)
    assert snapshot(engine) == before
    return list(caught.value.problems)


def test_a_workforce_imports_with_managers_named_by_later_rows(workforce: Engine) -> None:
    with reading(workforce) as session:
        people = {p.key: p for p in session.scalars(select(Person))}
        assert people["p1"].manager_id == people["p2"].id
        assert people["p3"].manager_id == people["p1"].id
        assert people["p1"].display_name == "Ada Lovelace, PhD"
        claims = session.scalars(select(SkillClaim).order_by(SkillClaim.claimed_on)).all()
        assert [c.level for c in claims] == [4, 3, 1]
        assert claims[0].evidence == 'Built it.\nTwice, "really"'
        assert claims[0].status == "active"


def test_importing_the_same_file_twice_changes_nothing(workforce: Engine, tmp_path: Path) -> None:
    before = snapshot(workforce)
    for importer, name, content in (
        (import_organisations, "o.csv", ORGANISATIONS_CSV),
        (import_people, "p.csv", PEOPLE_CSV),
        (import_claims, "c.csv", CLAIMS_CSV),
    ):
        report = importer(workforce, write(tmp_path, name, content))
        assert (report.created, report.updated, report.unchanged) == (0, 0, report.rows)
        assert report.rows == 3 if name != "o.csv" else report.rows == 2
    assert snapshot(workforce) == before


def test_an_upsert_updates_changed_rows_and_adds_new_ones(
    workforce: Engine, tmp_path: Path
) -> None:
    changed = PEOPLE_CSV.replace("Grace Hopper,,", "Grace Hopper,grace@example.org,")
    changed += "p4,New Starter,,,,,,p3,,\n"
    report = import_people(workforce, write(tmp_path, "people.csv", changed))
    assert (report.rows, report.created, report.updated, report.unchanged) == (4, 1, 1, 2)
    people = people_of(workforce)
    assert people["p4"].manager_id == people["p3"].id
    assert people["p2"].email == "grace@example.org"


def test_a_changed_manager_alone_counts_as_an_update(workforce: Engine, tmp_path: Path) -> None:
    changed = PEOPLE_CSV.replace("HEO,Wales,,p1,", "HEO,Wales,,p2,")
    report = import_people(workforce, write(tmp_path, "people.csv", changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    people = people_of(workforce)
    assert people["p3"].manager_id == people["p2"].id


def test_claims_update_by_natural_key(workforce: Engine, tmp_path: Path) -> None:
    changed = CLAIMS_CSV.replace(
        "p3,data-analysis-and-synthesis,1,self,,2024-03-01",
        "p3,data-analysis-and-synthesis,2,self,better,2024-03-01",
    )
    report = import_claims(workforce, write(tmp_path, "claims.csv", changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)


def test_json_imports_like_csv(engine: Engine, tmp_path: Path) -> None:
    organisations = [
        {"key": "dsit", "name": "DSIT", "kind": "department", "region": "London", "headcount": 10},
        {"key": "gds", "name": "GDS", "kind": "agency", "region": "London", "parent": "dsit"},
    ]
    report = import_organisations(engine, write(tmp_path, "o.json", json.dumps(organisations)))
    assert (report.rows, report.created) == (2, 2)


def test_a_stream_needs_a_format_and_may_be_json(engine: Engine) -> None:
    stream = io.BytesIO(
        json.dumps([{"key": "x", "name": "X", "kind": "agency", "region": "Wales"}]).encode()
    )
    report = import_organisations(engine, stream, format="json", name="upload")
    assert report.created == 1


def test_a_header_only_file_imports_nothing_and_succeeds(engine: Engine, tmp_path: Path) -> None:
    report = import_people(engine, write(tmp_path, "people.csv", "key,display_name\n"))
    assert (report.rows, report.created) == (0, 0)
    report = import_people(engine, write(tmp_path, "people.json", "[ ]"))
    assert report.rows == 0


# ---- every rule, through the service: the right problem, and the store unchanged ----


def test_a_bad_row_among_good_ones_writes_nothing(workforce: Engine, tmp_path: Path) -> None:
    content = PEOPLE_CSV.replace("p2,Grace", "p9,Grace") + "p5,Someone,,nowhere,,,,,,\n"
    problems = refused(workforce, tmp_path, "people", content)
    assert problems == [
        Problem("bad.csv", 4, "organisation", "nowhere", "refers to no organisation")
    ]


@pytest.mark.parametrize(
    ("kind", "content", "row", "column", "value", "rule"),
    [
        (
            "people",
            "display_name\nAda\n",
            None,
            "key",
            None,
            "required column is missing from the header",
        ),
        (
            "people",
            "key,display_name,sex\np,Ada,F\n",
            None,
            "sex",
            None,
            "is not a column of the people format",
        ),
        ("people", "key,display_name\n,Ada\n", 1, "key", "", "is required and must not be empty"),
        (
            "people",
            "key,display_name\np,Ada\np,Bea\n",
            2,
            "key",
            "p",
            "duplicate key: already on row 1",
        ),
        (
            "people",
            "key,display_name,organisation\np,Ada,nowhere\n",
            1,
            "organisation",
            "nowhere",
            "refers to no organisation",
        ),
        (
            "people",
            "key,display_name,role_level\np,Ada,astronaut\n",
            1,
            "role_level",
            "astronaut",
            "refers to no role level of the framework",
        ),
        (
            "people",
            "key,display_name,manager\np,Ada,ghost\n",
            1,
            "manager",
            "ghost",
            "refers to no person",
        ),
        (
            "people",
            "key,display_name,manager\na,A,b\nb,B,a\n",
            1,
            "manager",
            "b",
            "managers form a cycle: a → b → a",
        ),
        (
            "people",
            "key,display_name,email\np,Ada,ada-at-home\n",
            1,
            "email",
            "ada-at-home",
            "must look like an e-mail address",
        ),
        (
            "people",
            "key,display_name,started_on\np,Ada,1/2/2020\n",
            1,
            "started_on",
            "1/2/2020",
            "must be a date written YYYY-MM-DD",
        ),
        (
            "people",
            "key,display_name,grade\np,Ada,Grade 99\n",
            1,
            "grade",
            "Grade 99",
            "is not a known grade",
        ),
        (
            "people",
            "key,display_name\np," + "A" * 301 + "\n",
            1,
            "display_name",
            "A" * 301,
            "is too long: at most 300 characters",
        ),
        (
            "people",
            "key,display_name\np,Ada\x00\n",
            1,
            "display_name",
            "Ada\\x00",
            "must not contain control characters",
        ),
        (
            "people",
            "key,display_name\np,Ada,extra\n",
            1,
            None,
            None,
            "has 3 fields but the header has 2",
        ),
        (
            "claims",
            "person,skill,level,source,claimed_on\np1,juggling,expert,self,2024-01-01\n",
            1,
            "skill",
            "juggling",
            "refers to no skill of the framework",
        ),
        (
            "claims",
            "person,skill,level,source,claimed_on\np1,data-analysis-and-synthesis,guru,self,2024-01-01\n",
            1,
            "level",
            "guru",
            "must be one of awareness, working, practitioner, expert",
        ),
        (
            "claims",
            "person,skill,level,source,claimed_on\np1,data-analysis-and-synthesis,expert,rumour,2024-01-01\n",
            1,
            "source",
            "rumour",
            "is not a known claim source",
        ),
        (
            "claims",
            "person,skill,level,source,claimed_on\nghost,data-analysis-and-synthesis,expert,self,2024-01-01\n",
            1,
            "person",
            "ghost",
            "refers to no person (import people first)",
        ),
        (
            "claims",
            "person,skill,level,source,claimed_on\np1,data-analysis-and-synthesis,expert,self,2024-02-30\n",
            1,
            "claimed_on",
            "2024-02-30",
            "must be a date written YYYY-MM-DD",
        ),
        (
            "claims",
            "person,skill,level,source,claimed_on\np1,data-analysis-and-synthesis,expert,self,2024-01-01\np1,data-analysis-and-synthesis,working,self,2024-01-01\n",
            2,
            "person, skill, source, claimed_on",
            "p1, data-analysis-and-synthesis, self, 2024-01-01",
            "duplicate claim",
        ),
        (
            "organisations",
            "key,name,kind,region\nx,X,club,London\n",
            1,
            "kind",
            "club",
            "is not a known kind of organisation",
        ),
        (
            "organisations",
            "key,name,kind,region\nx,X,agency,Mordor\n",
            1,
            "region",
            "Mordor",
            "is not a known region",
        ),
        (
            "organisations",
            "key,name,kind,region,parent\na,A,agency,London,b\nb,B,agency,London,a\n",
            1,
            "parent",
            "b",
            "parents form a cycle",
        ),
        (
            "organisations",
            "key,name,kind,region\nx,X,agency,London\nx,Y,agency,London\n",
            2,
            "key",
            "x",
            "duplicate key",
        ),
        (
            "organisations",
            "key,name,kind,region,headcount\nx,X,agency,London,many\n",
            1,
            "headcount",
            "many",
            "must be a whole number",
        ),
    ],
)
def test_each_rule_refuses_the_whole_file(
    workforce: Engine,
    tmp_path: Path,
    kind: str,
    content: str,
    row: int | None,
    column: str | None,
    value: str | None,
    rule: str,
) -> None:
    problems = refused(workforce, tmp_path, kind, content)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.source, problem.row, problem.column, problem.value) == (
        "bad.csv",
        row,
        column,
        value,
    )
    assert problem.rule.startswith(rule)


@pytest.mark.parametrize(
    ("content", "json_file", "rule"),
    [
        (b"", False, "file is empty: a header row is required"),
        (b"\n\n", False, "file is empty: a header row is required"),
        (b"key,display_name\np,Caf\xe9\n", False, "is not valid UTF-8; save the file as UTF-8"),
        (b'key,display_name\np,"unterminated\n', False, "is not valid CSV"),
        (b"", True, "file is empty: a JSON array of objects is required"),
        (b'{"key": "p"}', True, "must be a JSON array of objects, starting with '['"),
        (b'[{"key": "p", "display_name": "A"},', True, "is not valid JSON"),
        (
            b'[{"key": "p", "display_name": "A"} {"key": "q"}]',
            True,
            "is not valid JSON: expected ',' or ']'",
        ),
        (b'["p"]', True, "must be a JSON object with the people fields"),
        (b'[{"key": "p", "display_name": ["A"]}]', True, "must be a string or null"),
        (
            b'[{"key": "p", "display_name": "A"}] []',
            True,
            "is not valid JSON: extra data after the array",
        ),
    ],
)
def test_unreadable_files_are_refused(
    workforce: Engine, tmp_path: Path, content: bytes, json_file: bool, rule: str
) -> None:
    problems = refused(workforce, tmp_path, "people", content, json=json_file)
    assert [p.rule for p in problems if p.rule.startswith(rule)], problems


def test_bad_encoding_names_the_row(workforce: Engine, tmp_path: Path) -> None:
    problems = refused(workforce, tmp_path, "people", b"key,display_name\np,Ada\nq,Caf\xe9\n")
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "display_name", "Caf\\xe9")]


def test_a_file_over_the_upload_limit_is_refused(workforce: Engine, tmp_path: Path) -> None:
    content = "key,display_name\n" + "".join(f"p{n},Person {n}\n" for n in range(100))
    problems = refused(workforce, tmp_path, "people", content, max_bytes=500)
    assert [p.rule for p in problems] == ["file is larger than the limit of 500 bytes"]
    before = snapshot(workforce)
    stream = io.BytesIO(content.encode())
    with pytest.raises(InvalidInput, match="larger than the limit of 500 bytes"):
        import_people(workforce, stream, format="csv", max_bytes=500)
    assert snapshot(workforce) == before


def test_every_problem_is_reported_up_to_the_limit(workforce: Engine, tmp_path: Path) -> None:
    content = "key,display_name,email\n" + "".join(f"p{n},P,bad{n}\n" for n in range(1200))
    problems = refused(workforce, tmp_path, "people", content)
    assert len(problems) == 1001
    assert problems[-1].rule.startswith("200 more problem(s) not listed")


def test_an_unknown_framework_option_is_refused(workforce: Engine, tmp_path: Path) -> None:
    with pytest.raises(UnknownFramework):
        import_claims(workforce, write(tmp_path, "c.csv", CLAIMS_CSV), framework="nope")


def test_an_unknown_format_is_refused(workforce: Engine, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="format must be csv or json"):
        import_people(workforce, write(tmp_path, "people.xlsx", PEOPLE_CSV))


def test_formula_escapes_are_undone_on_import(engine: Engine, tmp_path: Path) -> None:
    import_people(engine, write(tmp_path, "p.csv", "key,display_name\np,'=1+2\nq,'Tis\n"))
    with reading(engine) as session:
        names = dict(session.execute(select(Person.key, Person.display_name)).all())
    assert names == {"p": "=1+2", "q": "'Tis"}


def test_a_bad_row_after_many_good_ones_into_an_empty_table_writes_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    import_organisations(engine, write(tmp_path, "o.csv", ORGANISATIONS_CSV))
    import_people(engine, write(tmp_path, "p.csv", PEOPLE_CSV))
    first = date(1990, 1, 1)
    good = "".join(
        f"p1,data-analysis-and-synthesis,working,self,,{first + timedelta(days=n)}\n"
        for n in range(12_000)
    )
    content = (
        "person,skill,level,source,evidence,claimed_on\n"
        + good
        + "p1,nope,working,self,,2024-01-01\n"
    )
    problems = refused(engine, tmp_path, "claims", content)
    assert [(p.row, p.column) for p in problems] == [(12_001, "skill")]
