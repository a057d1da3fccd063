"""Files to import, a snapshot of what the store holds, and a second fresh database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.support.databases import postgres_copy, sqlite_copy

TABLES = ("organisation", "person", "skill_claim", "position", "sensitive_attributes")

ORGANISATIONS_CSV = """key,name,kind,region,parent,headcount
dsit,Department for Science,department,London,,1500
gds,Government Digital Service,agency,North West,dsit,900
"""

PEOPLE_CSV = """\
key,display_name,email,organisation,grade,region,role_level,manager,started_on,left_on
p1,"Ada Lovelace, PhD",ada@example.gov.uk,gds,G7,North West,data-scientist,p2,2021-04-01,
p2,Grace Hopper,,dsit,G6,London,,,,
p3,Zoë Ng,,gds,HEO,Wales,,p1,2022-01-10,2024-02-01
"""

CLAIMS_CSV = '''person,skill,level,source,evidence,claimed_on
p1,data-analysis-and-synthesis,expert,self,"Built it.
Twice, ""really""",2024-01-01
p1,data-analysis-and-synthesis,practitioner,manager,,2024-02-01
p3,data-analysis-and-synthesis,1,self,,2024-03-01
'''


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Everything the workforce tables hold, to prove an import changed nothing."""
    with engine.connect() as connection:
        return {
            table: sorted(
                (tuple(row) for row in connection.execute(text(f"SELECT * FROM {table}"))),  # noqa: S608
                key=repr,
            )
            for table in TABLES
        }


@pytest.fixture
def second_engine(
    request: pytest.FixtureRequest, engine: Engine, tmp_path: Path
) -> Iterator[Engine]:
    """Another fresh database of the same kind as `engine`, for round trips."""
    if engine.dialect.name == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        with sqlite_copy(template, tmp_path / "second.db") as second:
            yield second
        return
    with postgres_copy(request.getfixturevalue("postgres_cluster"), "second") as second:
        yield second
