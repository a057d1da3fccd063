"""Import published ATRS records (with their organisations) into the register; export them.

`import_register` reads a directory of `<slug>.json` records in the shape of the shipped ones
(every ATRS field id plus `extra`) and an `organisations.csv` mapping each publishing body's name
to an organisation (`name, key, kind, region, parent`; the shipped mapping when the directory has
none). All records are checked before anything is written, and everything is written in one
transaction: a bad file changes nothing and the error names the file, field, value and rule.
Imported records keep the status they have on GOV.UK, published; fields the source did not carry
stay null ("not in the source", not "empty").
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.records.vocabulary import ORGANISATION_KINDS, REGIONS
from mobilise.core.register.record_rules import EXTRA_KEY, record_problems
from mobilise.core.register.standard import Standard
from mobilise.core.register.vocabulary import FILTER_FACETS
from mobilise.services.actors import Actor
from mobilise.services.audit import record_event
from mobilise.services.organisations import ensure_default_organisations
from mobilise.services.register import atrs_standard, get_project, shipped_atrs_directory
from mobilise.store.database import reading, transaction
from mobilise.store.models import AIProject, AIProjectFacet, AIProjectLink, Organisation

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")
ORGANISATIONS_FILE = "organisations.csv"
MAX_RECORD_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class RegisterImportReport:
    created: int
    updated: int
    organisations_created: int


@dataclass(frozen=True, slots=True)
class _OrganisationEntry:
    key: str
    kind: str
    region: str
    parent: str | None


@dataclass(frozen=True, slots=True)
class _Parsed:
    key: str
    record: dict[str, Any]
    organisation_name: str | None


def _read_mapping(path: Path) -> tuple[dict[str, _OrganisationEntry], list[Problem]]:
    mapping: dict[str, _OrganisationEntry] = {}
    problems: list[Problem] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row_number, row in enumerate(csv.DictReader(handle), start=1):
            name, key = (row.get("name") or "").strip(), (row.get("key") or "").strip()
            kind, region = (row.get("kind") or "").strip(), (row.get("region") or "").strip()
            where = path.name
            if not name:
                problems.append(Problem(where, row_number, "name", name, "is required"))
            if not KEY.match(key):
                problems.append(
                    Problem(where, row_number, "key", key, "must be lower-case letters, digits, -")
                )
            if kind not in ORGANISATION_KINDS:
                problems.append(
                    Problem(where, row_number, "kind", kind, f"must be one of {ORGANISATION_KINDS}")
                )
            if region not in REGIONS:
                problems.append(Problem(where, row_number, "region", region, "is not a UK region"))
            mapping[name] = _OrganisationEntry(key, kind, region, (row.get("parent") or None))
    return mapping, problems


def _parse(path: Path, standard: Standard) -> tuple[_Parsed | None, list[Problem]]:
    where = path.name
    if not KEY.match(path.stem):
        return None, [
            Problem(where, None, None, path.stem, "file name must be a slug (a-z, 0-9, -)")
        ]
    if path.stat().st_size > MAX_RECORD_BYTES:
        return None, [Problem(where, None, None, None, f"is over {MAX_RECORD_BYTES:,} bytes")]
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, [Problem(where, None, None, None, f"is not UTF-8 JSON ({error})")]
    if not isinstance(record, dict):
        return None, [Problem(where, None, None, None, "must be a JSON object of ATRS fields")]
    problems = record_problems(standard, record, source=where, publishing=False)
    if not isinstance(record.get("title"), str) or not record["title"].strip():
        problems.append(Problem(where, None, "title", None, "Title is required"))
    extra = record.get(EXTRA_KEY) or {}
    if not isinstance(extra, dict):
        problems.append(Problem(where, None, EXTRA_KEY, None, "must be a JSON object"))
        extra = {}
    name = extra.get("organisation_full_name") or record.get("organisation")
    return _Parsed(path.stem, record, name if isinstance(name, str) else None), problems


def _organisation_ids(
    session: Session,
    names: Iterable[str],
    mapping: dict[str, _OrganisationEntry],
    source: str,
) -> tuple[dict[str, int], int, list[Problem]]:
    """The organisation of each publishing body's name, creating the mapped ones not yet stored."""
    stored = {key: id for id, key in session.execute(select(Organisation.id, Organisation.key))}
    by_name = {
        name.casefold(): id
        for id, name in session.execute(select(Organisation.id, Organisation.name))
    }
    ids: dict[str, int] = {}
    created = 0
    problems: list[Problem] = []
    for name in sorted(set(names)):
        entry = mapping.get(name)
        if entry is None:
            if name.casefold() in by_name:
                ids[name] = by_name[name.casefold()]
            else:
                problems.append(
                    Problem(
                        source,
                        None,
                        "organisation",
                        name,
                        f"no such organisation: add it to {ORGANISATIONS_FILE} or import it first",
                    )
                )
            continue
        if entry.key not in stored:
            if entry.parent and entry.parent not in stored:
                problems.append(
                    Problem(
                        ORGANISATIONS_FILE, None, "parent", entry.parent, "no such organisation"
                    )
                )
                continue
            organisation = Organisation(
                key=entry.key,
                name=name,
                kind=entry.kind,
                region=entry.region,
                parent_id=stored.get(entry.parent) if entry.parent else None,
            )
            session.add(organisation)
            session.flush()
            stored[entry.key] = organisation.id
            created += 1
        ids[name] = stored[entry.key]
    return ids, created, problems


def _text(record: dict[str, Any], field: str) -> str:
    value = record.get(field)
    return value.strip() if isinstance(value, str) else ""


def import_register(
    engine: Engine, directory: Path | None = None, *, actor: Actor | None = None
) -> RegisterImportReport:
    """Import every `*.json` record in `directory` (default: the shipped published records)."""
    directory = directory or shipped_atrs_directory() / "records"
    if not directory.is_dir():
        raise InvalidInput([Problem(str(directory), None, None, None, "is not a directory")])
    standard = atrs_standard()
    mapping_path = directory / ORGANISATIONS_FILE
    if not mapping_path.exists():
        mapping_path = shipped_atrs_directory() / ORGANISATIONS_FILE
    mapping, problems = _read_mapping(mapping_path)
    parsed: list[_Parsed] = []
    paths = sorted(directory.glob("*.json"))
    if not paths:
        problems.append(Problem(str(directory), None, None, None, "holds no *.json records"))
    for path in paths:
        found, found_problems = _parse(path, standard)
        problems.extend(found_problems)
        if found is not None:
            parsed.append(found)
    if problems:
        raise InvalidInput(problems)
    # The mapped bodies' parents are shipped organisations: a fresh store gets that list first
    # (its own import, which does nothing once any organisation is stored).
    ensure_default_organisations(engine)
    now = datetime.now(UTC)
    created = updated = 0
    with transaction(engine) as session:
        organisation_ids, organisations_created, problems = _organisation_ids(
            session,
            (p.organisation_name for p in parsed if p.organisation_name),
            mapping,
            directory.name,
        )
        if problems:
            raise InvalidInput(problems)
        existing = {key: id for id, key in session.execute(select(AIProject.id, AIProject.key))}
        for item in parsed:
            record = item.record
            extra = record.get(EXTRA_KEY) or {}
            source_url = (extra.get("source_record") or {}).get("url")
            published = _text(record, "date_published")
            values: dict[str, Any] = {
                "organisation_id": organisation_ids.get(item.organisation_name or ""),
                "title": _text(record, "title"),
                "summary": _text(record, "summary"),
                "description": _text(record, "description"),
                "phase": record.get("phase") or None,
                "team": record.get("team") or None,
                "status": "published",
                "record": record,
                "published_on": date.fromisoformat(published) if published else None,
                "source_url": source_url if isinstance(source_url, str) else None,
                "updated_at": now,
            }
            if item.key in existing:
                project_id = existing[item.key]
                project = session.get_one(AIProject, project_id)
                for name, value in values.items():
                    setattr(project, name, value)
                session.execute(
                    delete(AIProjectFacet).where(AIProjectFacet.project_id == project_id)
                )
                session.execute(delete(AIProjectLink).where(AIProjectLink.project_id == project_id))
                updated += 1
            else:
                project = AIProject(key=item.key, created_at=now, **values)
                session.add(project)
                session.flush()
                project_id = project.id
                created += 1
            for facet in FILTER_FACETS:
                for value in sorted(set(record.get(facet) or [])):
                    session.add(AIProjectFacet(project_id=project_id, facet=facet, value=value))
            url = record.get("website_url")
            if isinstance(url, str) and url != "N/A" and url:
                session.add(
                    AIProjectLink(project_id=project_id, position=0, label="Website", url=url)
                )
        record_event(
            session,
            actor,
            "register.imported",
            entity_type="register",
            entity_key=directory.name,
            after={
                "created": created,
                "updated": updated,
                "organisations_created": organisations_created,
            },
        )
    return RegisterImportReport(created, updated, organisations_created)


def export_record(engine: Engine, key: str) -> dict[str, Any]:
    """A project's record in the shape of the published records: every ATRS field, plus extra."""
    project = get_project(engine, key)
    standard = atrs_standard()
    record = {field: project.record.get(field) for field in standard.field_ids}
    record[EXTRA_KEY] = project.record.get(EXTRA_KEY)
    return record


def export_register_json(engine: Engine) -> list[dict[str, Any]]:
    with reading(engine) as session:
        keys = list(session.scalars(select(AIProject.key).order_by(AIProject.key)))
    return [{"key": key, **export_record(engine, key)} for key in keys]


def export_register_csv(engine: Engine) -> str:
    """The whole register as CSV: key, then one column per ATRS field (lists joined by "; ")."""
    standard = atrs_standard()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["key", *standard.field_ids])
    for record in export_register_json(engine):
        writer.writerow(
            [record["key"]] + [_cell(record.get(field)) for field in standard.field_ids]
        )
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    # A spreadsheet runs a cell that starts with = + - @ as a formula: keep it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def count_projects(engine: Engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count(AIProject.id))) or 0
