"""Organisations: the shipped list of UK departments, agencies, councils and firms, and its rules.

`check_organisation_rows` is the one set of rules for organisation data: the shipped CSV and any
import go through it, so the default data can never hold what an import would refuse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.records.vocabulary import ORGANISATION_KINDS, REGIONS
from mobilise.services.tabular import read_csv
from mobilise.store.database import reading, transaction
from mobilise.store.models import Organisation

KINDS = ORGANISATION_KINDS
COLUMNS = ("key", "name", "kind", "region", "parent", "headcount")
REQUIRED_COLUMNS = ("key", "name", "kind", "region")
KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,199}")
SHIPPED_SOURCE = "organisations.csv"


@dataclass(frozen=True, slots=True)
class OrganisationRow:
    key: str
    name: str
    kind: str
    region: str
    parent_key: str | None
    headcount: int | None


@dataclass(frozen=True, slots=True)
class OrganisationSummary:
    id: int
    key: str
    name: str
    kind: str
    region: str
    parent_key: str | None
    headcount: int | None


def shipped_organisations_path() -> Path:
    return Path(str(resources.files("mobilise") / "data" / "organisations.csv"))


def check_organisation_rows(
    source: str,
    header: Iterable[str],
    rows: Iterable[Mapping[str, str]],
    known_keys: Iterable[str] = (),
) -> list[OrganisationRow]:
    """Organisations from CSV-shaped rows, or InvalidInput naming every broken rule.

    A parent must be another row of the same input or an organisation already stored
    (`known_keys`); parents may not form a cycle.
    """
    present = set(header)
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if missing:
        raise InvalidInput(
            [Problem(source, None, c, None, "required column is missing") for c in missing]
        )
    problems: list[Problem] = []
    result: list[OrganisationRow] = []
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=1):
        checked = _check_row(source, n, row, seen, problems)
        if checked is not None:
            result.append(checked)
    keys = set(seen) | set(known_keys)
    for n, org in enumerate(result, start=1):
        if org.parent_key is not None and org.parent_key not in keys:
            problems.append(Problem(source, n, "parent", org.parent_key, "names no organisation"))
    problems.extend(_cycles(source, result, seen))
    if problems:
        raise InvalidInput(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    return result


def _check_row(
    source: str, n: int, row: Mapping[str, str], seen: dict[str, int], problems: list[Problem]
) -> OrganisationRow | None:
    before = len(problems)
    key = (row.get("key") or "").strip()
    name = (row.get("name") or "").strip()
    kind = (row.get("kind") or "").strip()
    region = (row.get("region") or "").strip()
    parent = (row.get("parent") or "").strip() or None
    raw_headcount = (row.get("headcount") or "").strip()
    if not KEY_PATTERN.fullmatch(key):
        problems.append(
            Problem(source, n, "key", key, "must be 1–200 lower-case letters, digits or '-'")
        )
    elif key in seen:
        problems.append(Problem(source, n, "key", key, f"duplicates the key of row {seen[key]}"))
    else:
        seen[key] = n
    if not name or len(name) > 300:
        problems.append(Problem(source, n, "name", name, "must be 1–300 characters"))
    if kind not in KINDS:
        problems.append(Problem(source, n, "kind", kind, f"must be one of {', '.join(KINDS)}"))
    if region not in REGIONS:
        problems.append(
            Problem(source, n, "region", region, "must be a UK ITL1 region, e.g. 'North West'")
        )
    if parent is not None and parent == key:
        problems.append(
            Problem(source, n, "parent", parent, "an organisation cannot be its own parent")
        )
    headcount: int | None = None
    if raw_headcount:
        if raw_headcount.isascii() and raw_headcount.isdigit() and len(raw_headcount) <= 9:
            headcount = int(raw_headcount)
        else:
            problems.append(
                Problem(
                    source, n, "headcount", raw_headcount, "must be a whole number ≥ 0, or empty"
                )
            )
    if len(problems) > before:
        return None
    return OrganisationRow(key, name, kind, region, parent, headcount)


def _cycles(source: str, rows: list[OrganisationRow], seen: Mapping[str, int]) -> list[Problem]:
    parent_of = {r.key: r.parent_key for r in rows}
    problems: list[Problem] = []
    for row in rows:
        path = {row.key}
        parent = row.parent_key
        while parent is not None and parent in parent_of:
            if parent in path:
                problems.append(
                    Problem(source, seen[row.key], "parent", row.parent_key, "parents form a cycle")
                )
                break
            path.add(parent)
            parent = parent_of[parent]
    return problems


def read_shipped_organisations() -> list[OrganisationRow]:
    header, rows = read_csv(shipped_organisations_path(), SHIPPED_SOURCE)
    return check_organisation_rows(SHIPPED_SOURCE, header, rows)


def ensure_default_organisations(engine: Engine) -> int:
    """Load the shipped organisations if none are stored; how many were added."""
    organisations = read_shipped_organisations()
    with transaction(engine) as session:
        if session.scalar(select(func.count(Organisation.id))):
            return 0
        records = {
            org.key: Organisation(
                key=org.key,
                name=org.name,
                kind=org.kind,
                region=org.region,
                headcount=org.headcount,
            )
            for org in organisations
        }
        session.add_all(records.values())
        session.flush()
        for org in organisations:
            if org.parent_key is not None:
                records[org.key].parent_id = records[org.parent_key].id
        return len(records)


def list_organisations(engine: Engine) -> list[OrganisationSummary]:
    """Every stored organisation, ordered by key."""
    with reading(engine) as session:
        parent = select(Organisation.id, Organisation.key).subquery()
        rows = session.execute(
            select(
                Organisation.id,
                Organisation.key,
                Organisation.name,
                Organisation.kind,
                Organisation.region,
                parent.c.key,
                Organisation.headcount,
            )
            .outerjoin(parent, parent.c.id == Organisation.parent_id)
            .order_by(Organisation.key)
        ).all()
        return [OrganisationSummary(*row) for row in rows]
