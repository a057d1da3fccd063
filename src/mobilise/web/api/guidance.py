"""`/api/v1/guidance` (public reads, service admins write) and `/api/v1/site-search` (public):
the guidance hub, and one search across guidance, the register and learning.

`/api/v1/search` was already the framework's search, so the search across all three is
`/api/v1/site-search`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from mobilise.core.register.vocabulary import KINDS, PHASES
from mobilise.services.guidance import (
    GuidanceSpec,
    GuidanceView,
    create_guidance,
    get_guidance,
    list_guidance,
    update_guidance,
)
from mobilise.services.site_search import KINDS as SEARCH_KINDS
from mobilise.services.site_search import MAX_PAGE_SIZE, MAX_QUERY_LENGTH, search_site
from mobilise.web.access import PUBLIC, SignedInActor
from mobilise.web.api.pagination import Cursor, Page, decode_cursor, next_link
from mobilise.web.api.programmes import ERRORS
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["guidance"])

Key = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[a-z0-9-]+$")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No guidance item has this key."}
}


class GuidanceRefOut(BaseModel):
    key: str
    title: str


class GuidanceOut(BaseModel):
    key: str
    title: str
    publisher: str
    url: str
    summary: str
    topics: list[str]
    phases: list[str] = Field(description="Register project phases (finder values) it applies to.")
    kinds: list[str] = Field(description="project, challenge: what it applies to.")
    published_on: date
    current: bool = Field(description="False once newer guidance replaces it.")
    superseded_by: GuidanceRefOut | None
    replaces: list[GuidanceRefOut] = Field(description="Older items it replaces, newest first.")


class GuidanceIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    publisher: str = Field(min_length=1, max_length=200)
    url: str = Field(min_length=1, max_length=1000, description="An http(s) link to it.")
    summary: str = Field(min_length=1, max_length=2000)
    published_on: date
    topics: list[Annotated[str, Field(max_length=60)]] = Field(default_factory=list, max_length=10)
    phases: list[str] = Field(default=list(PHASES), max_length=len(PHASES))
    kinds: list[str] = Field(default=list(KINDS), max_length=len(KINDS))
    supersedes: str | None = Field(
        default=None, max_length=100, description="The key of the older item it replaces."
    )


class NewGuidanceIn(GuidanceIn):
    key: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")


class PublishedOut(BaseModel):
    key: str
    notified: int = Field(description="Messages put in the outbox for the teams it applies to.")


class SiteResultOut(BaseModel):
    kind: str = Field(description="guidance, project or learning.")
    key: str
    title: str
    context: str = Field(description="Its publisher, organisation or provider.")
    summary: str
    score: float = Field(description="TF-IDF cosine with the query (replaced guidance halved).")
    current: bool
    href: str = Field(description="Its page in the service.")


def _out(item: GuidanceView) -> GuidanceOut:
    return GuidanceOut(
        key=item.key,
        title=item.title,
        publisher=item.publisher,
        url=item.url,
        summary=item.summary,
        topics=list(item.topics),
        phases=list(item.phases),
        kinds=list(item.kinds),
        published_on=item.published_on,
        current=item.current,
        superseded_by=None
        if item.superseded_by is None
        else GuidanceRefOut(key=item.superseded_by.key, title=item.superseded_by.title),
        replaces=[GuidanceRefOut(key=r.key, title=r.title) for r in item.replaces],
    )


def _spec(key: str, body: GuidanceIn) -> GuidanceSpec:
    return GuidanceSpec(
        key=key,
        title=body.title,
        publisher=body.publisher,
        url=body.url,
        summary=body.summary,
        published_on=body.published_on,
        topics=tuple(body.topics),
        phases=tuple(body.phases),
        kinds=tuple(body.kinds),
        supersedes=body.supersedes,
    )


@router.get(
    "/guidance",
    response_model=list[GuidanceOut],
    dependencies=[Depends(PUBLIC)],
    summary="Guidance: current items first, then newest first",
)
def guidance(
    engine: EngineDep,
    topic: Annotated[str | None, Query(max_length=60)] = None,
    phase: Annotated[str | None, Query(max_length=30, description="A register phase.")] = None,
    kind: Annotated[str | None, Query(max_length=20, description="project or challenge")] = None,
    current: Annotated[bool, Query(description="Only items not replaced.")] = False,
) -> list[GuidanceOut]:
    items = list_guidance(
        engine, topic=topic, phase=phase, kind=kind, include_superseded=not current
    )
    return [_out(item) for item in items]


@router.get(
    "/guidance/{key}",
    response_model=GuidanceOut,
    dependencies=[Depends(PUBLIC)],
    responses=NOT_FOUND,
    summary="A guidance item with its replacement chain",
)
def guidance_item(engine: EngineDep, key: Key) -> GuidanceOut:
    return _out(get_guidance(engine, key))


@router.post(
    "/guidance",
    response_model=PublishedOut,
    status_code=201,
    responses=ERRORS,
    summary="Add guidance (service admins); the teams of projects it applies to are told",
)
def add_guidance(engine: EngineDep, actor: SignedInActor, body: NewGuidanceIn) -> PublishedOut:
    notified = create_guidance(engine, actor, _spec(body.key, body))
    return PublishedOut(key=body.key, notified=notified)


@router.put(
    "/guidance/{key}",
    response_model=PublishedOut,
    responses=ERRORS,
    summary="Change guidance (service admins); naming an item it replaces tells teams",
)
def change_guidance(
    engine: EngineDep, actor: SignedInActor, key: Key, body: GuidanceIn
) -> PublishedOut:
    return PublishedOut(key=key, notified=update_guidance(engine, actor, _spec(key, body)))


@router.get(
    "/site-search",
    response_model=Page[SiteResultOut],
    dependencies=[Depends(PUBLIC)],
    summary="Search guidance, published register records and learning together, best first",
)
def site_search(
    request: Request,
    engine: EngineDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_LENGTH)],
    kind: Annotated[
        list[str], Query(max_length=3, description=f"Any of {', '.join(SEARCH_KINDS)}; none: all.")
    ] = [],  # noqa: B006 (FastAPI copies defaults per request)
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Results per page.")] = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    # Ranked by score, not by a key: the cursor is the offset of the next page's first result.
    offset = 0 if cursor is None else int(decode_cursor(cursor, (int,))[0])
    found = search_site(engine, q, kinds=tuple(kind), page_size=limit, offset=offset)
    results = found.results
    end = offset + len(results)
    base = str(request.base_url).rstrip("/")
    return {
        "items": [
            SiteResultOut(
                kind=r.kind,
                key=r.key,
                title=r.title,
                context=r.context,
                summary=r.summary,
                score=r.score,
                current=r.current,
                href=base + r.href,
            )
            for r in results
        ],
        "total": found.total,
        "limit": limit,
        "next": next_link(request, [end]) if end < found.total else None,
    }
