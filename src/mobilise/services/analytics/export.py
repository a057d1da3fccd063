"""Parquet files of the analytics facts, for analysts' own tools (`mobilise analytics export`).

Pseudonymised, never personal: the files carry the store's internal ids, never names, emails,
person keys or sensitive attributes (DESIGN.md, "Sensitive attributes"), and no aggregate of
sensitive attributes either — at the grain of the warehouse such counts can be 1, which joined to
the person facts would tell one person's answer. Anyone holding the files still holds row-level
data about people and must handle them as personal data.
"""

from __future__ import annotations

import os
import shutil
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from mobilise.services.actors import Actor
from mobilise.services.analytics.statistics import check_reader
from mobilise.services.analytics.warehouse import (
    attach_store,
    default_path,
    new_connection,
    refresh,
    sql_string,
)

# Each file: its name and the query that makes it (warehouse tables, or columns of the store).
FILES = (
    ("person_fact", "SELECT * FROM warehouse.person_fact ORDER BY person_id"),
    ("person_skill", "SELECT * FROM warehouse.person_skill ORDER BY person_id, skill_id"),
    ("monthly_headcount", "SELECT * FROM warehouse.monthly ORDER BY month_end, organisation_id"),
    (
        "organisation",
        "SELECT id, key, name, kind, region, parent_id FROM source.organisation ORDER BY id",
    ),
    ("job_family", "SELECT id, framework_version_id, key, name FROM source.job_family ORDER BY id"),
    (
        "role",
        "SELECT id, framework_version_id, job_family_id, key, name FROM source.role ORDER BY id",
    ),
    (
        "role_level",
        "SELECT id, framework_version_id, role_id, key, name, level_order FROM source.role_level "
        "ORDER BY id",
    ),
    ("skill", "SELECT id, framework_version_id, key, name FROM source.skill ORDER BY id"),
    ("role_level_skill", "SELECT role_level_id, skill_id, level FROM source.role_level_skill"),
    ("skill_level", "SELECT ordinal, name FROM source.skill_level ORDER BY ordinal"),
    (
        "target",
        "SELECT key, title, metric, scope, value, baseline, baseline_on, deadline "
        "FROM source.target ORDER BY key",
    ),
)


@dataclass(frozen=True)
class ExportedFile:
    name: str
    path: Path
    rows: int


def export_parquet(
    engine: Engine, actor: Actor, directory: Path, *, warehouse: Path | None = None
) -> list[ExportedFile]:
    """Write one Parquet file per fact or dimension into `directory`, all or none of them."""
    check_reader(actor)
    warehouse = warehouse or default_path(engine)
    refresh(engine, warehouse)
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f".partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    written: list[ExportedFile] = []
    try:
        with closing(new_connection()) as connection:
            connection.execute(f"ATTACH '{sql_string(str(warehouse))}' AS warehouse (READ_ONLY)")
            attach_store(connection, engine)
            for name, query in FILES:
                target = partial / f"{name}.parquet"
                connection.execute(
                    f"COPY ({query}) TO '{sql_string(str(target))}' (FORMAT parquet)"
                )
                (rows,) = connection.execute(
                    "SELECT count(*) FROM read_parquet(?)", [str(target)]
                ).fetchone()
                written.append(ExportedFile(name, directory / target.name, int(rows)))
        for item in written:
            os.replace(partial / item.path.name, item.path)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return written
