"""Export organisations, people and skill claims as CSV or a JSON array, streaming in pages.

Exports carry exactly the columns of the import formats, so export → import is lossless, and never
any sensitive attribute. CSV cells that a spreadsheet could run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Connection, Engine, Select, func, select

from mobilise.core.framework import SkillLevel
from mobilise.core.records import CLAIMS, ORGANISATIONS, PEOPLE, Layout, neutralise_formula
from mobilise.services.transfer.formats import Format, Progress, format_of
from mobilise.store.models import (
    FrameworkVersion,
    Organisation,
    Person,
    RoleLevelRecord,
    SkillClaim,
    SkillRecord,
)

PAGE_ROWS = 10_000
Output = Path | str | BinaryIO


@dataclass(frozen=True)
class ExportReport:
    kind: str
    rows: int
    seconds: float


def _organisations() -> Select[Any]:
    parent = Organisation.__table__.alias("parent")
    return (
        select(
            Organisation.key,
            Organisation.name,
            Organisation.kind,
            Organisation.region,
            parent.c.key,
            Organisation.headcount,
        )
        .outerjoin(parent, parent.c.id == Organisation.parent_id)
        .order_by(Organisation.id)
    )


def _people() -> Select[Any]:
    manager = Person.__table__.alias("manager")
    return (
        select(
            Person.key,
            Person.display_name,
            Person.email,
            Organisation.key,
            Person.grade,
            Person.region,
            FrameworkVersion.name,
            RoleLevelRecord.key,
            manager.c.key,
            Person.started_on,
            Person.left_on,
        )
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .outerjoin(RoleLevelRecord, RoleLevelRecord.id == Person.role_level_id)
        .outerjoin(FrameworkVersion, FrameworkVersion.id == RoleLevelRecord.framework_version_id)
        .outerjoin(manager, manager.c.id == Person.manager_id)
        .order_by(Person.id)
    )


def _claims() -> Select[Any]:
    person = Person.__table__.alias("person")
    validator = Person.__table__.alias("validator")
    return (
        select(
            person.c.key,
            SkillRecord.key,
            FrameworkVersion.name,
            SkillClaim.level,
            SkillClaim.source,
            SkillClaim.status,
            SkillClaim.evidence,
            SkillClaim.claimed_on,
            SkillClaim.expires_on,
            validator.c.key,
        )
        .join(person, person.c.id == SkillClaim.person_id)
        .join(SkillRecord, SkillRecord.id == SkillClaim.skill_id)
        .join(FrameworkVersion, FrameworkVersion.id == SkillRecord.framework_version_id)
        .outerjoin(validator, validator.c.id == SkillClaim.validated_by_id)
        .order_by(SkillClaim.id)
    )


_LEVEL_LABELS = {int(level): level.label for level in SkillLevel}


def _claim_values(row: Sequence[Any]) -> list[Any]:
    values = list(row)
    values[3] = _LEVEL_LABELS[values[3]]
    return values


def _as_is(row: Sequence[Any]) -> list[Any]:
    return list(row)


def export_organisations(
    engine: Engine,
    target: Output,
    *,
    format: str | None = None,
    progress: Progress | None = None,
) -> ExportReport:
    return _export(engine, target, ORGANISATIONS, _organisations(), _as_is, format, progress)


def export_people(
    engine: Engine,
    target: Output,
    *,
    format: str | None = None,
    progress: Progress | None = None,
) -> ExportReport:
    return _export(engine, target, PEOPLE, _people(), _as_is, format, progress)


def export_claims(
    engine: Engine,
    target: Output,
    *,
    format: str | None = None,
    progress: Progress | None = None,
) -> ExportReport:
    return _export(engine, target, CLAIMS, _claims(), _claim_values, format, progress)


EXPORTS: dict[str, Callable[..., ExportReport]] = {
    "organisations": export_organisations,
    "people": export_people,
    "claims": export_claims,
}


def _export(
    engine: Engine,
    target: Output,
    layout: Layout,
    query: Select[Any],
    values: Callable[[Sequence[Any]], list[Any]],
    file_format: str | None,
    progress: Progress | None,
) -> ExportReport:
    started = time.perf_counter()
    shown = str(target) if isinstance(target, str | Path) else f"{layout.kind}.{file_format}"
    chosen = format_of(shown, file_format)
    with engine.connect() as connection:
        total = int(connection.scalar(select(func.count()).select_from(query.subquery())) or 0)
        rows = (values(row) for row in _pages(connection, query))
        if isinstance(target, str | Path):
            with Path(target).open("wb") as stream:
                count = _write(stream, layout, chosen, rows, total, progress)
        else:
            count = _write(target, layout, chosen, rows, total, progress)
    return ExportReport(layout.kind, count, time.perf_counter() - started)


def _pages(connection: Connection, query: Select[Any]) -> Iterator[Sequence[Any]]:
    # yield_per streams with a server-side cursor on PostgreSQL: memory stays flat at any size.
    result = connection.execution_options(yield_per=PAGE_ROWS).execute(query)
    for partition in result.partitions():
        yield from partition


def _write(
    stream: BinaryIO,
    layout: Layout,
    file_format: Format,
    rows: Iterator[list[Any]],
    total: int,
    progress: Progress | None,
) -> int:
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=False)
    try:
        write = _write_csv if file_format == "csv" else _write_json
        count = write(text, layout, rows, total, progress)
        text.flush()
    finally:
        text.detach()
    if progress is not None:
        progress(count, total)
    return count


def _write_csv(
    text: io.TextIOWrapper,
    layout: Layout,
    rows: Iterator[list[Any]],
    total: int,
    progress: Progress | None,
) -> int:
    # RFC 4180 line ends; with "\n" alone, csv would leave a lone "\r" in a value unquoted.
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(layout.names)
    count = 0
    for row in rows:
        writer.writerow([_cell(v) for v in row])
        count += 1
        if progress is not None and count % PAGE_ROWS == 0:
            progress(count, total)
    return count


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise_formula(value)
    if isinstance(value, int):
        return str(value)
    return str(value.isoformat())


def _write_json(
    text: io.TextIOWrapper,
    layout: Layout,
    rows: Iterator[list[Any]],
    total: int,
    progress: Progress | None,
) -> int:
    names = layout.names
    count = 0
    text.write("[")
    for row in rows:
        item = {
            name: (v.isoformat() if v is not None and not isinstance(v, str | int) else v)
            for name, v in zip(names, row, strict=True)
        }
        text.write(",\n" if count else "\n")
        text.write(json.dumps(item, ensure_ascii=False))
        count += 1
        if progress is not None and count % PAGE_ROWS == 0:
            progress(count, total)
    text.write("\n]\n" if count else "]\n")
    return count
