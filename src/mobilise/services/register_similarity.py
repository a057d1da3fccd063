"""Similar projects in the register, with why (over core/register/similarity.py).

Fitting the TF-IDF spaces takes a fraction of a second for the register's size, too slow for every
page, so each process keeps one index per database. It is rebuilt when the register changes: the
published projects' count, newest update and highest id are read (one small indexed query) on
each call and compared with those the index was built from.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select

from mobilise.core.register.similarity import ProjectText, SimilarityIndex, SimilarProject
from mobilise.store.database import reading
from mobilise.store.models import AIProject, Organisation

SIMILAR_LIMIT = 5

Fingerprint = tuple[int, datetime | None, int | None]


@dataclass(frozen=True, slots=True)
class SimilarProjectView:
    key: str
    title: str
    organisation_name: str | None
    score: float
    shared_terms: tuple[str, ...]
    passage: str


@dataclass(frozen=True, slots=True)
class _Built:
    fingerprint: Fingerprint
    index: SimilarityIndex
    titles: dict[str, tuple[str, str | None]]  # key -> (title, organisation name)


_built: dict[str, _Built] = {}
_lock = threading.Lock()


def _fingerprint(engine: Engine) -> Fingerprint:
    with reading(engine) as session:
        count, updated, highest = session.execute(
            select(
                func.count(AIProject.id), func.max(AIProject.updated_at), func.max(AIProject.id)
            ).where(AIProject.status == "published")
        ).one()
    return int(count), updated, highest


def _build(engine: Engine, fingerprint: Fingerprint) -> _Built:
    with reading(engine) as session:
        rows = session.execute(
            select(
                AIProject.key,
                AIProject.title,
                AIProject.summary,
                AIProject.description,
                Organisation.key,
                Organisation.name,
            )
            .outerjoin(Organisation, Organisation.id == AIProject.organisation_id)
            .where(AIProject.status == "published")
            .order_by(AIProject.key)
        ).all()
    texts = [
        ProjectText(key, organisation, title, summary, description)
        for key, title, summary, description, organisation, _ in rows
    ]
    titles: dict[str, tuple[str, str | None]] = {row[0]: (row[1], row[5]) for row in rows}
    return _Built(fingerprint, SimilarityIndex(texts), titles)


def _index(engine: Engine) -> _Built:
    fingerprint = _fingerprint(engine)
    place = str(engine.url)
    with _lock:
        built = _built.get(place)
        if built is None or built.fingerprint != fingerprint:
            built = _built[place] = _build(engine, fingerprint)
    return built


def similar_projects(
    engine: Engine, key: str, *, limit: int = SIMILAR_LIMIT
) -> list[SimilarProjectView]:
    """The published projects most like project `key` (never itself), best first, with why;
    empty for a project not published (a draft is not in the index)."""
    built = _index(engine)
    if key not in built.titles:
        return []
    return _views(built, built.index.similar_to_project(key, limit=limit))


def similar_to_text(
    engine: Engine,
    title: str,
    summary: str,
    description: str,
    *,
    exclude: str | None = None,
    limit: int = SIMILAR_LIMIT,
) -> list[SimilarProjectView]:
    """The published projects most like one not in the index (being registered, or a draft),
    best first, with why; `exclude` leaves out a key (the draft's own, once published)."""
    built = _index(engine)
    text = ProjectText(exclude or "", None, title, summary, description).text
    left_out = frozenset({exclude}) if exclude else frozenset()
    return _views(built, built.index.similar_to(text, limit=limit, exclude=left_out))


def _views(built: _Built, found: list[SimilarProject]) -> list[SimilarProjectView]:
    return [
        SimilarProjectView(
            key=s.key,
            title=built.titles[s.key][0],
            organisation_name=built.titles[s.key][1],
            score=s.score,
            shared_terms=s.shared_terms,
            passage=s.passage,
        )
        for s in found
    ]
