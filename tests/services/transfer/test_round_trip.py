"""Export → import into a fresh database gives back exactly what was exported."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete

from mobilise.core.records import CLAIMS, PEOPLE, restore_formula
from mobilise.services.transfer import EXPORTS, IMPORTS
from mobilise.store.database import transaction
from mobilise.store.models import Person, SensitiveAttributes, SkillClaim
from tests.services.transfer.conftest import write

ORGANISATIONS_CSV = """key,name,kind,region,parent,headcount
child,"Agency, ""the"" child",agency,Wales,parent,
parent,Département — 部,department,London,,12
"""

PEOPLE_JSON = [
    {"key": "p1", "display_name": "=SUM(A1:A9)", "manager": "p3", "organisation": "child"},
    {"key": "p2", "display_name": '\'Tis Ólafur, "Olly"', "email": "o@example.gov.uk"},
    {
        "key": "p3",
        "display_name": "@Zoë 张",
        "grade": "SCS1",
        "region": "Scotland",
        "role_level": "lead-data-scientist",
        "started_on": "2019-12-31",
        "left_on": "2025-01-01",
        "organisation": "parent",
    },
    {"key": "-p4", "display_name": "+44 20 7946 0000", "manager": "p1"},
]

CLAIMS_JSON = [
    {
        "person": "p1",
        "skill": "data-analysis-and-synthesis",
        "level": "expert",
        "source": "self",
        "evidence": 'Line one, with a comma\r\nLine "two"\n\ttabbed ☃\n',
        "claimed_on": "2024-02-29",
        "expires_on": "2026-02-28",
        "validated_by": "p3",
        "status": "suggested",
    },
    {
        "person": "-p4",
        "skill": "data-analysis-and-synthesis",
        "level": 1,
        "source": "assessed",
        "evidence": "=1+1",
        "claimed_on": "2024-03-01",
    },
]


def export_all(engine: Engine, directory: Path, file_format: str) -> dict[str, bytes]:
    files = {}
    for kind in ("organisations", "people", "claims"):
        path = directory / f"{kind}.{file_format}"
        EXPORTS[kind](engine, path)
        files[kind] = path.read_bytes()
    return files


def load_example(engine: Engine, directory: Path) -> None:
    IMPORTS["organisations"](engine, write(directory, "o.csv", ORGANISATIONS_CSV))
    IMPORTS["people"](engine, write(directory, "p.json", json.dumps(PEOPLE_JSON)))
    IMPORTS["claims"](engine, write(directory, "c.json", json.dumps(CLAIMS_JSON)))
    with transaction(engine) as session:
        for person in session.query(Person):
            session.add(
                SensitiveAttributes(
                    person_id=person.id,
                    consent=True,
                    consented_on=date(2024, 1, 1),
                    sex="SENSITIVE-SEX",
                    ethnic_group="SENSITIVE-ETHNIC",
                    disability="SENSITIVE-DISABILITY",
                    age_band="SENSITIVE-AGE",
                )
            )


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_export_then_import_into_a_fresh_database_is_lossless(
    engine: Engine, second_engine: Engine, tmp_path: Path, file_format: str
) -> None:
    load_example(engine, tmp_path)
    (tmp_path / "first").mkdir()
    first = export_all(engine, tmp_path / "first", file_format)
    for kind in ("organisations", "people", "claims"):
        report = IMPORTS[kind](second_engine, tmp_path / "first" / f"{kind}.{file_format}")
        assert report.created == report.rows > 0
    (tmp_path / "second").mkdir()
    assert export_all(second_engine, tmp_path / "second", file_format) == first


def test_exports_never_include_sensitive_attributes(engine: Engine, tmp_path: Path) -> None:
    load_example(engine, tmp_path)
    for file_format in ("csv", "json"):
        directory = tmp_path / file_format
        directory.mkdir()
        for content in export_all(engine, directory, file_format).values():
            assert b"SENSITIVE" not in content
            for column in ("sex", "ethnic", "disability", "age_band", "consent"):
                assert column.encode() not in content


def test_csv_exports_neutralise_formulas(engine: Engine, tmp_path: Path) -> None:
    load_example(engine, tmp_path)
    (tmp_path / "out").mkdir()
    people = export_all(engine, tmp_path / "out", "csv")["people"].decode()
    rows = list(csv.reader(io.StringIO(people)))
    cells = [cell for row in rows[1:] for cell in row if cell]
    assert all(cell[0] not in "=+-@\t\r" for cell in cells)
    assert "'=SUM(A1:A9)" in cells
    assert "'-p4" in cells


# ---- property: whatever valid people and claims go in come back out unchanged ----

_ONE_LINE = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=["Cc", "Cs"], blacklist_characters="\u2028\u2029\x85"
        ),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)
_EVIDENCE = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\u2028\u2029").filter(
        lambda c: c in "\t\n\r" or not (c < " " or "\x7f" <= c <= "\x9f")
    ),
    max_size=40,
)


@st.composite
def workforces(draw: st.DrawFn) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    keys = draw(st.lists(_ONE_LINE, min_size=1, max_size=6, unique=True))
    people = []
    for i, key in enumerate(keys):
        later = keys[i + 1 :]
        people.append(
            {
                "key": key,
                "display_name": draw(_ONE_LINE),
                "email": draw(st.sampled_from(["", "a.b@example.gov.uk"])),
                "manager": draw(st.sampled_from(["", *later])),
                "started_on": draw(st.sampled_from(["", "2020-01-31"])),
            }
        )
    claims = []
    for n, key in enumerate(draw(st.lists(st.sampled_from(keys), max_size=6))):
        claims.append(
            {
                "person": key,
                "skill": "data-analysis-and-synthesis",
                "level": draw(st.sampled_from(["awareness", "working", "practitioner", "expert"])),
                "source": draw(st.sampled_from(["self", "manager", "assessed"])),
                "evidence": draw(_EVIDENCE),
                "claimed_on": date(2024, 1, 1 + n).isoformat(),
            }
        )
    return people, claims


def _exported(engine: Engine, kind: str, names: tuple[str, ...]) -> list[dict[str, str]]:
    stream = io.BytesIO()
    EXPORTS[kind](engine, stream, format="csv")
    rows = csv.DictReader(io.StringIO(stream.getvalue().decode("utf-8"), newline=""))
    return [{name: restore_formula(row[name]) for name in names} for row in rows]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(workforces())
def test_any_valid_workforce_survives_import_and_export(
    sqlite_engine: Engine, workforce: tuple[list[dict[str, str]], list[dict[str, str]]]
) -> None:
    people, claims = workforce
    with transaction(sqlite_engine) as session:
        session.execute(delete(SkillClaim))
        session.execute(delete(Person))
    IMPORTS["people"](sqlite_engine, io.BytesIO(json.dumps(people).encode()), format="json")
    IMPORTS["claims"](sqlite_engine, io.BytesIO(json.dumps(claims).encode()), format="json")
    person_columns = ("key", "display_name", "email", "manager", "started_on")
    assert _exported(sqlite_engine, "people", person_columns) == people
    claim_columns = ("person", "skill", "level", "source", "evidence", "claimed_on")
    assert _exported(sqlite_engine, "claims", claim_columns) == claims
    assert set(PEOPLE.names) >= set(person_columns)
    assert set(CLAIMS.names) >= set(claim_columns)
