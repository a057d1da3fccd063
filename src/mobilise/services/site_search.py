"""One search across the guidance hub, the AI project register and the learning catalogue.

What it searches is public: all guidance (replaced items too, ranked lower and marked), the
register's published records (never drafts) and the learning catalogue, which the service shows
to anyone. So the search takes no actor. Results of the three kinds are ranked together in one
TF-IDF space (core/site_search.py). Fitting it takes a fraction of a second, so each process
keeps one index per database and rebuilds it when any of the three changes: their counts, highest
ids and newest updates are read on each search (three small aggregate queries) and compared.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.site_search import SearchDocument, SiteIndex
from mobilise.store.database import reading
from mobilise.store.models import AIProject, GuidanceItem, LearningItem, Organisation

KINDS: tuple[str, ...] = ("guidance", "project", "learning")
KIND_LABELS = {"guidance": "Guidance", "project": "AI register", "learning": "Learning"}
MAX_QUERY_LENGTH = 100
MAX_PAGE_SIZE = 100
REPLACED_WEIGHT = 0.5  # replaced guidance stays findable, below what replaced it
HREFS = {"guidance": "/guidance/{}", "project": "/register/{}", "learning": "/learning/{}"}


@dataclass(frozen=True, slots=True)
class SiteResult:
    kind: str
    key: str
    title: str
    context: str  # publisher, organisation or provider
    summary: str
    score: float
    current: bool = True  # False: guidance replaced by a newer item

    @property
    def href(self) -> str:
        return HREFS[self.kind].format(self.key)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True, slots=True)
class SitePage:
    query: str
    results: list[SiteResult]
    total: int
    counts: dict[str, int]  # matches of each kind, whatever kinds were chosen
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True, slots=True)
class _Built:
    fingerprint: tuple[Any, ...]
    index: SiteIndex
    shown: tuple[tuple[str, str, bool], ...]  # per document: context, summary, current


_built: dict[str, _Built] = {}
_lock = threading.Lock()


def _refusal(column: str, value: str, rule: str) -> InvalidInput:
    return InvalidInput([Problem("search", None, column, value, rule)])


def _fingerprint(engine: Engine) -> tuple[Any, ...]:
    with reading(engine) as session:
        guidance = session.execute(
            select(
                func.count(GuidanceItem.id),
                func.max(GuidanceItem.id),
                func.max(GuidanceItem.updated_at),
            )
        ).one()
        projects = session.execute(
            select(
                func.count(AIProject.id), func.max(AIProject.id), func.max(AIProject.updated_at)
            ).where(AIProject.status == "published")
        ).one()
        # Learning items are replaced by import, not edited in place: count and highest id do.
        learning = session.execute(
            select(func.count(LearningItem.id), func.max(LearningItem.id))
        ).one()
    return (*guidance, *projects, *learning)


def search_documents(engine: Engine) -> tuple[list[SearchDocument], list[tuple[str, str, bool]]]:
    documents: list[SearchDocument] = []
    shown: list[tuple[str, str, bool]] = []
    with reading(engine) as session:
        for item in session.scalars(select(GuidanceItem).order_by(GuidanceItem.key)):
            current = item.superseded_by_id is None
            body = f"{item.summary}\n{' '.join(item.topics)}\n{item.publisher}"
            weight = 1.0 if current else REPLACED_WEIGHT
            documents.append(SearchDocument("guidance", item.key, item.title, body, weight))
            shown.append((item.publisher, item.summary, current))
        rows = session.execute(
            select(AIProject, Organisation.name)
            .outerjoin(Organisation, Organisation.id == AIProject.organisation_id)
            .where(AIProject.status == "published")
            .order_by(AIProject.key)
        ).all()
        for project, organisation in rows:
            body = f"{project.summary}\n{project.description}\n{organisation or ''}"
            documents.append(SearchDocument("project", project.key, project.title, body))
            shown.append((organisation or "", project.summary or project.description[:300], True))
        for learning in session.scalars(select(LearningItem).order_by(LearningItem.key)):
            body = f"{learning.description}\n{learning.provider}\n{learning.format}"
            documents.append(SearchDocument("learning", learning.key, learning.title, body))
            shown.append((learning.provider, learning.description[:300], True))
    return documents, shown


def _index(engine: Engine) -> _Built:
    fingerprint = _fingerprint(engine)
    place = str(engine.url)
    with _lock:
        built = _built.get(place)
        if built is None or built.fingerprint != fingerprint:
            documents, shown = search_documents(engine)
            built = _built[place] = _Built(fingerprint, SiteIndex(documents), tuple(shown))
    return built


def search_site(
    engine: Engine,
    query: str,
    *,
    kinds: tuple[str, ...] = (),
    page: int = 1,
    page_size: int = 20,
    offset: int | None = None,
) -> SitePage:
    """Guidance, published projects and learning matching `query`, best first, a page at a time
    (or `page_size` from `offset`, for the API's cursors); `kinds` narrows to some of them (none
    chosen: all)."""
    query = query.strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise _refusal("q", query[:40], f"must be at most {MAX_QUERY_LENGTH} characters")
    for kind in kinds:
        if kind not in KINDS:
            raise _refusal("kind", kind, f"must be one of {', '.join(KINDS)}")
    if page < 1:
        raise _refusal("page", str(page), "must be 1 or more")
    if offset is not None and offset < 0:
        raise _refusal("offset", str(offset), "must be 0 or more")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise _refusal("page_size", str(page_size), f"must be from 1 to {MAX_PAGE_SIZE}")
    built = _index(engine)
    everything = built.index.rank(query)
    counts = dict.fromkeys(KINDS, 0)
    for ranked in everything:
        counts[built.index.documents[ranked.position].kind] += 1
    chosen = set(kinds or KINDS)
    matches = [r for r in everything if built.index.documents[r.position].kind in chosen]
    results = []
    start = (page - 1) * page_size if offset is None else offset
    for ranked in matches[start : start + page_size]:
        document = built.index.documents[ranked.position]
        context, summary, current = built.shown[ranked.position]
        results.append(
            SiteResult(
                document.kind,
                document.key,
                document.title,
                context,
                summary,
                round(ranked.score, 4),
                current,
            )
        )
    return SitePage(query, results, len(matches), counts, page, page_size)
