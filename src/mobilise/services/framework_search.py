"""Text search over a stored framework version's job families, roles, skills and role levels.

Paged by offset for the pages' numbered links, or by position (keyset) for the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Select,
    case,
    func,
    literal,
    or_,
    select,
    tuple_,
    union_all,
)

from mobilise.services.framework import get_version
from mobilise.store.database import reading
from mobilise.store.models import JobFamilyRecord, RoleLevelRecord, RoleRecord, SkillRecord

MAX_QUERY_LENGTH = 200
SNIPPET_WIDTH = 200


@dataclass(frozen=True, order=True)
class SearchPosition:
    """Where a hit sorts: name matches first, then by kind, then by key."""

    name_miss: int
    kind_rank: int
    key: str


@dataclass(frozen=True)
class SearchHit:
    kind: str
    key: str
    name: str
    snippet: str
    position: SearchPosition


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: tuple[SearchHit, ...]
    total: int
    has_more: bool


# The order kinds are listed in when several hits match equally well.
SEARCHED: tuple[tuple[str, Any, bool], ...] = (
    ("job-family", JobFamilyRecord, False),
    ("role", RoleRecord, True),
    ("skill", SkillRecord, True),
    ("role-level", RoleLevelRecord, True),
)


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _snippet(description: str, text: str) -> str:
    flat = " ".join(description.split())
    if len(flat) <= SNIPPET_WIDTH:
        return flat
    at = flat.lower().find(text.lower())
    start = 0 if at < SNIPPET_WIDTH // 2 else at - SNIPPET_WIDTH // 3
    piece = flat[start : start + SNIPPET_WIDTH]
    return ("…" if start else "") + piece + ("…" if start + SNIPPET_WIDTH < len(flat) else "")


def _matching(
    kind_rank: int, kind: str, model: Any, described: bool, version_id: int, pattern: str
) -> Select[Any]:
    name_matches = func.lower(model.name).like(pattern, escape="\\")
    matches: ColumnElement[bool] = name_matches
    if described:
        matches = or_(name_matches, func.lower(model.description).like(pattern, escape="\\"))
    return select(
        case((name_matches, 0), else_=1).label("name_miss"),
        literal(kind_rank).label("kind_rank"),
        model.key.label("key"),
        model.name.label("name"),
        (model.description if described else literal("")).label("description"),
        literal(kind).label("kind"),
    ).where(model.framework_version_id == version_id, matches)


def search(
    engine: Engine,
    text: str,
    framework: str | None = None,
    *,
    limit: int = 20,
    offset: int = 0,
    after: SearchPosition | None = None,
) -> SearchResults:
    """Job families, roles, skills and role levels whose name or description contains `text`.

    Case-insensitive (for non-ASCII letters too on PostgreSQL; SQLite folds ASCII only). Hits whose
    name matches come first. Page with `offset`, or with `after` (the last hit's position).
    """
    text = " ".join(text.split())
    if not text:
        return SearchResults(text, (), 0, False)
    with reading(engine) as session:
        version = get_version(session, framework)
        pattern = _like_pattern(text)
        hits = union_all(
            *(
                _matching(rank, kind, model, described, version.id, pattern)
                for rank, (kind, model, described) in enumerate(SEARCHED)
            )
        ).subquery()
        total = int(session.scalar(select(func.count()).select_from(hits)) or 0)
        query = select(hits).order_by(hits.c.name_miss, hits.c.kind_rank, hits.c.key)
        if after is not None:
            query = query.where(
                tuple_(hits.c.name_miss, hits.c.kind_rank, hits.c.key)
                > tuple_(literal(after.name_miss), literal(after.kind_rank), literal(after.key))
            )
        else:
            query = query.offset(offset)
        rows = session.execute(query.limit(limit + 1)).all()
        found = tuple(
            SearchHit(
                row.kind,
                row.key,
                row.name,
                _snippet(row.description, text),
                SearchPosition(int(row.name_miss), int(row.kind_rank), row.key),
            )
            for row in rows[:limit]
        )
        return SearchResults(text, found, total, len(rows) > limit)
