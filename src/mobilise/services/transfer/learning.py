"""Import and export the learning catalogue as CSV or JSON: upserts by key, all or nothing.

The same reader, rules engine and writer as the workforce records (formats, ProblemLog, Cells):
every row is checked (mobilise.core.records.learning_items) before anything is written, and a
file that breaks any rule changes nothing. Unlike people or claims, a catalogue is small (items
number thousands, not millions), so its rows are compared with the stored items in memory and
written with plain statements instead of going through a staging table.

An item's skills and prerequisites are the file's: importing an item replaces the ones it had.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, update

from mobilise.core.framework import SkillLevel
from mobilise.core.records import ProblemLog
from mobilise.core.records.learning_items import (
    LEARNING_ITEMS,
    LearningItemRow,
    LearningItemsCheck,
    format_cost,
    format_hours,
)
from mobilise.services.actors import Actor
from mobilise.services.audit import record_event
from mobilise.services.transfer.exports import ExportReport, Output
from mobilise.services.transfer.exports import _write as write_records
from mobilise.services.transfer.formats import Input, Progress, format_of, read_rows
from mobilise.services.transfer.imports import ImportReport
from mobilise.services.transfer.references import load_framework_lookups
from mobilise.store.models import (
    FrameworkVersion,
    LearningItem,
    LearningItemSkill,
    LearningPrerequisite,
    SkillRecord,
)

KIND = "learning items"
# Enough ids per IN (...) list for any catalogue, well inside SQLite's and PostgreSQL's limits.
_IDS_PER_STATEMENT = 500


@dataclass(frozen=True)
class _Stored:
    id: int
    fields: tuple[object, ...]
    teaches: frozenset[tuple[int, int]]
    prerequisites: frozenset[str]


def _fields(row: LearningItemRow) -> tuple[object, ...]:
    return (
        row.title,
        row.provider,
        row.format,
        row.hours,
        row.cost_pence,
        row.url,
        row.description,
    )


def _stored_catalogue(connection: Connection) -> dict[str, _Stored]:
    teaches: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for item_id, skill_id, level in connection.execute(
        select(LearningItemSkill.item_id, LearningItemSkill.skill_id, LearningItemSkill.level)
    ):
        teaches[item_id].add((skill_id, level))
    required = LearningItem.__table__.alias("required")
    prerequisites: dict[int, set[str]] = defaultdict(set)
    for item_id, key in connection.execute(
        select(LearningPrerequisite.item_id, required.c.key).join(
            required, required.c.id == LearningPrerequisite.required_item_id
        )
    ):
        prerequisites[item_id].add(key)
    stored: dict[str, _Stored] = {}
    for item in connection.execute(select(LearningItem.__table__)):
        fields = (
            item.title,
            item.provider,
            item.format,
            Decimal(item.hours),
            item.cost_pence,
            item.url,
            item.description,
        )
        stored[item.key] = _Stored(
            item.id,
            fields,
            frozenset(teaches.get(item.id, ())),
            frozenset(prerequisites.get(item.id, ())),
        )
    return stored


def import_learning_items(
    engine: Engine,
    source: Input,
    *,
    format: str | None = None,
    framework: str | None = None,
    max_bytes: int | None = None,
    progress: Progress | None = None,
    name: str | None = None,
    actor: Actor | None = None,
) -> ImportReport:
    """Upsert learning items by `key`; a prerequisite may be a later row or a stored item.

    `framework` names the version whose skills rows without a `framework` value teach.
    """
    started = time.perf_counter()
    shown = name or (str(source) if isinstance(source, str | Path) else f"{KIND} input")
    chosen = format_of(shown, format)
    log = ProblemLog(Path(shown).name)
    with engine.connect() as connection, connection.begin():
        stored = _stored_catalogue(connection)

        def stored_prerequisites(key: str) -> Sequence[str]:
            item = stored.get(key)
            return () if item is None else sorted(item.prerequisites)

        check = LearningItemsCheck(
            load_framework_lookups(connection, framework=framework),
            log,
            stored_items=stored,
            stored_prerequisites=stored_prerequisites,
        )
        rows: list[LearningItemRow] = []
        count = 0
        for number, values in read_rows(
            source, log.source, LEARNING_ITEMS, chosen, log, max_bytes=max_bytes, progress=progress
        ):
            count = number
            checked = check.feed(number, values)
            if checked is not None and not log:
                rows.append(checked)
        check.finish()
        log.raise_if_any()
        created, updated = _store(connection, rows, stored)
        report = ImportReport(
            KIND, count, created, updated, count - created - updated, time.perf_counter() - started
        )
        record_event(
            connection,
            actor,
            "learning_items.imported",
            entity_type="import",
            entity_key=Path(shown).name,
            after={
                "rows": count,
                "created": created,
                "updated": updated,
                "unchanged": report.unchanged,
            },
        )
    return report


def _store(
    connection: Connection, rows: list[LearningItemRow], stored: dict[str, _Stored]
) -> tuple[int, int]:
    """Write the rows that differ from the store; (created, updated)."""
    new = [row for row in rows if row.key not in stored]
    changed = [
        row
        for row in rows
        if row.key in stored
        and (
            stored[row.key].fields != _fields(row)
            or stored[row.key].teaches != frozenset((s, int(lv)) for s, lv in row.teaches)
            or stored[row.key].prerequisites != frozenset(row.prerequisites)
        )
    ]
    if new:
        connection.execute(insert(LearningItem), [_values(row) for row in new])
    if changed:
        connection.execute(
            update(LearningItem).where(LearningItem.key == bindparam("item_key")),
            [{"item_key": row.key, **_values(row, with_key=False)} for row in changed],
        )
    written = new + changed
    if not written:
        return 0, 0
    ids: dict[str, int] = dict(connection.execute(select(LearningItem.key, LearningItem.id)).all())
    replaced = [stored[row.key].id for row in changed]
    for start in range(0, len(replaced), _IDS_PER_STATEMENT):
        chunk = replaced[start : start + _IDS_PER_STATEMENT]
        connection.execute(delete(LearningItemSkill).where(LearningItemSkill.item_id.in_(chunk)))
        connection.execute(
            delete(LearningPrerequisite).where(LearningPrerequisite.item_id.in_(chunk))
        )
    skills = [
        {"item_id": ids[row.key], "skill_id": skill_id, "level": int(level)}
        for row in written
        for skill_id, level in row.teaches
    ]
    if skills:
        connection.execute(insert(LearningItemSkill), skills)
    prerequisites = [
        {"item_id": ids[row.key], "required_item_id": ids[key]}
        for row in written
        for key in row.prerequisites
    ]
    if prerequisites:
        connection.execute(insert(LearningPrerequisite), prerequisites)
    return len(new), len(changed)


def _values(row: LearningItemRow, *, with_key: bool = True) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": row.title,
        "provider": row.provider,
        "format": row.format,
        "hours": row.hours,
        "cost_pence": row.cost_pence,
        "url": row.url,
        "description": row.description,
    }
    return {"key": row.key, **values} if with_key else values


_LEVEL_LABELS = {int(level): level.label for level in SkillLevel}


def export_learning_items(
    engine: Engine,
    target: Output,
    *,
    format: str | None = None,
    progress: Progress | None = None,
) -> ExportReport:
    """Every stored item in the import format, in the order stored; skills and prerequisites
    sorted by key, so that exporting what an export imported gives the same bytes."""
    started = time.perf_counter()
    shown = str(target) if isinstance(target, str | Path) else f"learning.{format}"
    chosen = format_of(shown, format)
    with engine.connect() as connection:
        total = int(connection.scalar(select(func.count(LearningItem.id))) or 0)
        rows = _export_rows(connection)
        if isinstance(target, str | Path):
            with Path(target).open("wb") as stream:
                count = write_records(stream, LEARNING_ITEMS, chosen, rows, total, progress)
        else:
            count = write_records(target, LEARNING_ITEMS, chosen, rows, total, progress)
    return ExportReport(KIND, count, time.perf_counter() - started)


def _export_rows(connection: Connection) -> Iterator[list[Any]]:
    taught: dict[int, list[tuple[str, int]]] = defaultdict(list)
    framework_of: dict[int, str] = {}
    for item_id, skill_key, level, version in connection.execute(
        select(
            LearningItemSkill.item_id,
            SkillRecord.key,
            LearningItemSkill.level,
            FrameworkVersion.name,
        )
        .join(SkillRecord, SkillRecord.id == LearningItemSkill.skill_id)
        .join(FrameworkVersion, FrameworkVersion.id == SkillRecord.framework_version_id)
    ):
        taught[item_id].append((skill_key, level))
        framework_of[item_id] = version
    required = LearningItem.__table__.alias("required")
    prerequisites: dict[int, list[str]] = defaultdict(list)
    for item_id, key in connection.execute(
        select(LearningPrerequisite.item_id, required.c.key).join(
            required, required.c.id == LearningPrerequisite.required_item_id
        )
    ):
        prerequisites[item_id].append(key)
    for item in connection.execute(select(LearningItem.__table__).order_by(LearningItem.id)):
        skills = sorted(taught.get(item.id, ()))
        yield [
            item.key,
            item.title,
            item.provider,
            item.format,
            format_hours(Decimal(item.hours)),
            format_cost(item.cost_pence),
            framework_of.get(item.id),
            "; ".join(f"{key}:{_LEVEL_LABELS[level]}" for key, level in skills) or None,
            "; ".join(sorted(prerequisites.get(item.id, ()))) or None,
            item.url,
            item.description,
        ]
