"""Headcount and share in DDaT roles, by organisation, region, grade, job family or role level —
and, for people who consented, by a sensitive attribute. Every table is protected before it is
returned."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, select

from mobilise.core.analytics import CountTable, protect
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.records.vocabulary import GRADES, REGIONS
from mobilise.services.actors import Actor
from mobilise.services.analytics.statistics import (
    Column,
    StatisticRow,
    StatisticTable,
    check_reader,
    share,
)
from mobilise.services.analytics.warehouse import SENSITIVE_ATTRIBUTES, open_snapshot
from mobilise.settings import get_settings
from mobilise.store.database import reading
from mobilise.store.models import JobFamilyRecord, Organisation, RoleLevelRecord, RoleRecord


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str  # the row heading
    title: str  # "by …"
    ddat_only: bool = False
    sensitive: bool = False


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in (
        Dimension("organisation", "Organisation", "organisation"),
        Dimension("region", "Region", "region"),
        Dimension("grade", "Grade", "grade"),
        Dimension("job_family", "Job family", "job family", ddat_only=True),
        Dimension("role_level", "Role level", "role level", ddat_only=True),
        Dimension("sex", "Sex", "sex", sensitive=True),
        Dimension("ethnic_group", "Ethnic group", "ethnic group", sensitive=True),
        Dimension("disability", "Disability", "disability", sensitive=True),
        Dimension("age_band", "Age band", "age band", sensitive=True),
    )
}
assert {d.key for d in DIMENSIONS.values() if d.sensitive} == set(SENSITIVE_ATTRIBUTES)
NOT_RECORDED = "Not recorded"
GROUP_COLUMNS = {
    "organisation": "organisation_id",
    "region": "region",
    "grade": "grade",
    "job_family": "job_family_id",
    "role_level": "role_level_id",
}


def dimension_named(key: str) -> Dimension:
    found = DIMENSIONS.get(key)
    if found is None:
        raise InvalidInput(
            [Problem("query", None, "by", key, "must be one of " + ", ".join(DIMENSIONS))]
        )
    return found


def _labels(engine: Engine, dimension: Dimension, keys: Iterable[Any]) -> dict[Any, str]:
    wanted = [k for k in keys if k is not None]
    labels: dict[Any, str] = {None: NOT_RECORDED}
    with reading(engine) as session:
        if dimension.key == "organisation":
            names = session.execute(
                select(Organisation.id, Organisation.name).where(Organisation.id.in_(wanted))
            )
            labels.update((row[0], row[1]) for row in names)
            labels[None] = "No organisation"
        elif dimension.key == "job_family":
            families = session.execute(
                select(JobFamilyRecord.id, JobFamilyRecord.name).where(
                    JobFamilyRecord.id.in_(wanted)
                )
            )
            labels.update((row[0], row[1]) for row in families)
        elif dimension.key == "role_level":
            rows = session.execute(
                select(RoleLevelRecord.id, RoleLevelRecord.name, RoleRecord.name)
                .join(RoleRecord, RoleRecord.id == RoleLevelRecord.role_id)
                .where(RoleLevelRecord.id.in_(wanted))
            )
            for i, level, role in rows:
                labels[i] = level if level.lower().startswith(role.lower()) else f"{role}: {level}"
        else:
            labels.update({k: str(k) for k in wanted})
    return labels


def _order(dimension: Dimension, keys: list[Any], labels: dict[Any, str]) -> list[Any]:
    vocabulary = {"grade": GRADES, "region": REGIONS}.get(dimension.key)
    if vocabulary is not None:
        rank = {value: i for i, value in enumerate(vocabulary)}
        return sorted(keys, key=lambda k: (k is None, rank.get(k, len(rank)), str(k)))
    return sorted(keys, key=lambda k: (k is None, labels.get(k, "").lower()))


def _counts(cursor: Any, dimension: Dimension) -> list[tuple[Any, int, int]]:
    """(group, DDaT people, other people) in post."""
    where, parameters = "", list[Any]()
    if dimension.sensitive:
        sql = (
            "SELECT value, sum(people) FILTER (ddat), sum(people) FILTER (NOT ddat) "
            "FROM diversity WHERE attribute = ?" + where + " GROUP BY value"
        )
        parameters = [dimension.key, *parameters]
    else:
        column = GROUP_COLUMNS[dimension.key]
        sql = (
            f"SELECT {column}, count(*) FILTER (role_level_id IS NOT NULL), "  # noqa: S608
            f"count(*) FILTER (role_level_id IS NULL) FROM person_fact WHERE in_post"
            + where
            + f" GROUP BY {column}"  # column names from GROUP_COLUMNS only
        )
    return [
        (key, int(ddat or 0), int(other or 0))
        for key, ddat, other in cursor.execute(sql, parameters).fetchall()
    ]


def headcount(
    engine: Engine,
    actor: Actor,
    by: str,
    *,
    threshold: int | None = None,
    path: Path | None = None,
) -> StatisticTable:
    """People in post in DDaT roles and in all roles, by one dimension, protected.

    One dimension at a time, over everyone in post: every page then shows margins of the same
    population with the same total, so no difference between pages is a count that a page hides
    (a breakdown within one organisation would be a slice whose difference from the whole is not
    protected; docs/disclosure.md)."""
    check_reader(actor)
    dimension = dimension_named(by)
    threshold = threshold or get_settings().disclosure_threshold
    cursor = open_snapshot(engine, path)
    try:
        counts = _counts(cursor, dimension)
    finally:
        cursor.close()
    if dimension.ddat_only:
        counts = [(key, ddat, 0) for key, ddat, _ in counts if key is not None or ddat]
    labels = _labels(engine, dimension, (key for key, _, _ in counts))
    by_key = {key: (ddat, other) for key, ddat, other in counts}
    keys = _order(dimension, list(by_key), labels)
    notes = []
    if dimension.sensitive:
        notes.append(
            f"Counts only people in post who consented to record their {dimension.title}; "
            "nobody's answer is ever shown or exported on its own."
        )
    if dimension.ddat_only:
        cells = np.array([[by_key[k][0]] for k in keys], dtype=np.int64).reshape(len(keys), 1)
        # A one-column table: its row totals would repeat the cells, so only the total is shown.
        protected = protect(CountTable(cells, row_totals_shown=False), threshold)
        rows = tuple(
            StatisticRow(str(k), labels.get(k, str(k)), (protected.cell(i, 0),))
            for i, k in enumerate(keys)
        )
        total = StatisticRow("all", "All DDaT roles", (protected.grand_total(),))
        columns: tuple[Column, ...] = (Column("ddat", "People in DDaT roles"),)
    else:
        cells = np.array([by_key[k] for k in keys], dtype=np.int64).reshape(len(keys), 2)
        protected = protect(CountTable(cells), threshold)

        def figures(ddat: int | None, other: int | None, all_: int | None) -> tuple[Any, ...]:
            return (ddat, other, all_, share(ddat, all_))

        rows = tuple(
            StatisticRow(
                str(k),
                labels.get(k, str(k)),
                figures(protected.cell(i, 0), protected.cell(i, 1), protected.row_total(i)),
            )
            for i, k in enumerate(keys)
        )
        total = StatisticRow(
            "all",
            "All",
            figures(protected.column_total(0), protected.column_total(1), protected.grand_total()),
        )
        columns = (
            Column("ddat", "In DDaT roles"),
            Column("other", "In other roles"),
            Column("all", "All people"),
            Column("share", "DDaT share", "share"),
        )
    return StatisticTable(
        key=f"headcount-by-{dimension.key}",
        title=f"People in post by {dimension.title}",
        row_heading=dimension.label,
        columns=columns,
        rows=rows,
        totals=total,
        threshold=threshold,
        notes=tuple(notes),
    )
