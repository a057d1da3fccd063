"""Framework pages cached per framework version, in each app process, with ETags.

A stored framework version never changes after its import (a new framework is a new version), so
what a framework page shows depends only on the version, the path and the query — and on whether
the version is the default, which an import may change. That triple is the cache key. Each process
looks the version up (one indexed row) at most once a second per framework name, so a newly imported
default shows in every process within a second, with nothing to invalidate; remembering it that
long lets a cached page be served on the event loop with no database round trip and no worker
thread, which halves the latency under load (bench/RESULTS.md).

Each entry keeps what the route computed (the template and its context: the queries' results) and,
once someone has read it without signing in, the finished page. Anonymous readers get those bytes
as they are; signed-in readers get the same context rendered with their own header (name,
navigation, sign-out form), which costs only the rendering. The cache is a bounded LRU in each
process: nothing in it is needed for correctness, so several processes need not agree.

Responses carry a strong ETag of their bytes and `Cache-Control: no-cache`, so browsers and proxies
keep the page but ask each time (a new default version must show promptly); a matching
`If-None-Match` gets a 304 without the body. The session middleware adds `Vary: Cookie` (the access
rule reads the session on every request), which keeps shared caches from handing an anonymous page
to someone signed in.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from mobilise.services import catalogue
from mobilise.web.rendering import render

HTML = "text/html; charset=utf-8"
T = TypeVar("T")


@dataclass(frozen=True)
class PageContent:
    """What a page route computed: the template, its context and the status to answer with."""

    template: str
    context: Mapping[str, Any]
    status_code: int = 200


@dataclass(frozen=True)
class RenderedPage:
    body: bytes
    etag: str
    status_code: int


@dataclass
class CachedPage:
    content: PageContent
    anonymous: RenderedPage | None = None


@dataclass
class LeastRecentlyUsed:
    """A bounded map that forgets the least recently used entry, safe to share between threads."""

    capacity: int
    hits: int = 0
    misses: int = 0
    _entries: OrderedDict[Hashable, CachedPage] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: Hashable) -> CachedPage | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self.hits += 1
            self._entries.move_to_end(key)
            return entry

    def put(self, key: Hashable, entry: CachedPage) -> None:
        if self.capacity <= 0:
            return
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


@dataclass
class PageCache:
    """One process's framework pages, and what it remembers about framework versions.

    The framework's own pages (families, roles, role levels, skills: a few hundred per version)
    and the pages of searches and comparisons (as many as there are queries and pairs) are kept
    apart, the second in half the room, so that a stream of one-off comparisons cannot push out
    the pages everyone reads.

    Each framework name's version stamp is remembered for `stamp_seconds`, so that a cached page
    is served without a database round trip or a worker thread.
    """

    capacity: int
    stamp_seconds: float = 1.0
    pages: LeastRecentlyUsed = field(init=False)
    queries: LeastRecentlyUsed = field(init=False)
    _stamps: dict[str | None, tuple[float, catalogue.VersionStamp]] = field(default_factory=dict)
    _version_data: dict[tuple[catalogue.VersionStamp, str], Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.pages = LeastRecentlyUsed(self.capacity)
        self.queries = LeastRecentlyUsed(self.capacity // 2)

    @property
    def hits(self) -> int:
        return self.pages.hits + self.queries.hits

    @property
    def misses(self) -> int:
        return self.pages.misses + self.queries.misses

    def __len__(self) -> int:
        return len(self.pages) + len(self.queries)

    async def stamp(self, engine: Engine, framework: str | None) -> catalogue.VersionStamp:
        remembered = self._stamps.get(framework)
        now = time.monotonic()
        if remembered is not None and now - remembered[0] < self.stamp_seconds:
            return remembered[1]
        stamp = await run_in_threadpool(catalogue.version_stamp, engine, framework)
        if len(self._stamps) > 100:  # framework names come from the query string
            self._stamps.clear()
        self._stamps[framework] = (now, stamp)
        return stamp

    def version_data(self, stamp: catalogue.VersionStamp, name: str, compute: Callable[[], T]) -> T:
        """What `compute` returns for this version, computed once (it must depend on nothing
        else): e.g. the role levels that every comparison page offers to choose from."""
        key = (stamp, name)
        if key not in self._version_data:
            if len(self._version_data) > 64:
                self._version_data.clear()
            self._version_data[key] = compute()
        value: T = self._version_data[key]
        return value


_creating = threading.Lock()


def page_cache(request: Request) -> PageCache:
    """This app's cache, made on first use with the capacity its settings give."""
    state = request.app.state
    cache: PageCache | None = getattr(state, "page_cache", None)
    if cache is None:
        with _creating:
            cache = getattr(state, "page_cache", None)
            if cache is None:
                cache = PageCache(capacity=state.settings.page_cache_size)
                state.page_cache = cache
    return cache


def entity_tag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def _matches(request: Request, etag: str) -> bool:
    wanted = request.headers.get("if-none-match")
    if not wanted:
        return False
    # Weak comparison (RFC 9110 §13.1.2): a proxy may have marked our tag weak.
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    return "*" in tags or etag in tags


def _answer(request: Request, page: RenderedPage, cache_control: str) -> Response:
    headers = {"ETag": page.etag, "Cache-Control": cache_control}
    if page.status_code == 200 and _matches(request, page.etag):
        return Response(status_code=304, headers=headers)
    return Response(page.body, status_code=page.status_code, media_type=HTML, headers=headers)


async def framework_page(
    request: Request,
    engine: Engine,
    framework: str | None,
    build: Callable[[], PageContent],
    *,
    kind: Literal["page", "query"] = "page",
) -> Response:
    """The page `build` makes for this version, path and query, from the cache when it has it.

    `kind="query"` is for pages of searches and comparisons, kept apart (see `PageCache`).

    A page in the cache is served on the event loop; `build` (database reads) runs in a worker
    thread. Rendering stays on the loop: it only uses the CPU, which a thread would not add.
    """
    cache = page_cache(request)
    stamp = await cache.stamp(engine, framework)
    key = (stamp, request.url.path, tuple(sorted(request.query_params.multi_items())))
    pages = cache.queries if kind == "query" else cache.pages
    entry = pages.get(key)
    if entry is None:
        entry = CachedPage(await run_in_threadpool(build))
        pages.put(key, entry)
    if getattr(request.state, "actor", None) is None:
        if entry.anonymous is None:
            # Two threads may render the same page at once; both make the same bytes.
            entry.anonymous = _rendered(request, entry.content)
        return _answer(request, entry.anonymous, "public, no-cache")
    return _answer(request, _rendered(request, entry.content), "private, no-cache")


def _rendered(request: Request, content: PageContent) -> RenderedPage:
    body = bytes(
        render(
            request, content.template, dict(content.context), status_code=content.status_code
        ).body
    )
    return RenderedPage(body, entity_tag(body), content.status_code)
