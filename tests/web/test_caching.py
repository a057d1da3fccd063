"""Framework pages are cached per framework version, revalidate with ETags, and stay correct."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import Engine, select

from mobilise.services import catalogue
from mobilise.services.demo import generate_demo
from mobilise.services.framework import import_framework, shipped_ddat_directory
from mobilise.settings import Settings
from mobilise.store.database import reading
from mobilise.store.models import Person
from mobilise.web.app import create_app
from mobilise.web.caching import CachedPage, LeastRecentlyUsed, PageCache, PageContent

PAGES = [
    "/framework",
    "/framework/skills",
    "/framework/roles/business-architect",
    "/framework/role-levels/lead-business-architect",
    "/framework/skills/accessibility",
    "/framework/search?q=data&page=2",
    "/framework/compare?a=trainee-business-architect&b=lead-business-architect",
    "/framework/compare?a=trainee-business-architect&b=nonsense",
]


def _app(engine: Engine, cache_size: int, stamp_seconds: float = 0) -> FastAPI:
    app = create_app(Settings(page_cache_size=cache_size), engine=engine)
    # Look the version up on every request unless a test says otherwise.
    app.state.page_cache = PageCache(capacity=cache_size, stamp_seconds=stamp_seconds)
    return app


@pytest.fixture
def cached(engine: Engine) -> Iterator[TestClient]:
    with TestClient(_app(engine, 100)) as client:
        yield client


def _cache(client: TestClient) -> PageCache:
    app: FastAPI = client.app  # type: ignore[assignment]
    cache: PageCache = app.state.page_cache
    return cache


def test_a_page_is_built_once_and_then_served_from_the_cache(cached: TestClient) -> None:
    first = cached.get("/framework/role-levels/lead-business-architect")
    second = cached.get("/framework/role-levels/lead-business-architect")

    cache = _cache(cached)
    assert (cache.misses, cache.hits) == (1, 1)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', first.headers["etag"])
    assert first.headers["cache-control"] == "public, no-cache"
    assert first.headers["vary"] == "Cookie"  # from the session middleware: never an anonymous
    # page from a shared cache to someone signed in
    assert first.headers["content-type"] == "text/html; charset=utf-8"
    # The security headers are still added to cached pages.
    assert "content-security-policy" in second.headers


def test_cached_pages_are_the_pages_rendered_without_a_cache(engine: Engine) -> None:
    with TestClient(_app(engine, 100)) as cached, TestClient(_app(engine, 0)) as fresh:
        for path in PAGES:
            cached.get(path)  # fill
            from_cache = cached.get(path)
            rendered = fresh.get(path)
            assert from_cache.status_code == rendered.status_code, path
            assert from_cache.content == rendered.content, path
        assert len(_cache(fresh)) == 0
        assert _cache(cached).hits == len(PAGES)


def test_a_matching_if_none_match_gets_304_without_a_body(cached: TestClient) -> None:
    etag = cached.get("/framework/skills").headers["etag"]

    for offered in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        revalidated = cached.get("/framework/skills", headers={"If-None-Match": offered})
        assert revalidated.status_code == 304, offered
        assert revalidated.content == b""
        assert revalidated.headers["etag"] == etag

    stale = cached.get("/framework/skills", headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200
    assert stale.headers["etag"] == etag


def test_a_page_with_errors_is_never_answered_304(cached: TestClient) -> None:
    path = "/framework/compare?a=trainee-business-architect&b=nonsense"
    first = cached.get(path)
    again = cached.get(path, headers={"If-None-Match": first.headers["etag"]})

    assert first.status_code == again.status_code == 400
    assert again.content == first.content


def test_each_query_and_path_is_its_own_page(cached: TestClient) -> None:
    page_1 = cached.get("/framework/search?q=data&page=1")
    page_2 = cached.get("/framework/search?q=data&page=2")
    reordered = cached.get("/framework/search?page=2&q=data")

    assert page_1.content != page_2.content
    assert reordered.content == page_2.content
    assert (_cache(cached).misses, _cache(cached).hits) == (2, 1)


def test_unknown_keys_are_404_and_not_cached(cached: TestClient) -> None:
    for _ in range(2):
        assert cached.get("/framework/skills/no-such-skill").status_code == 404
        assert cached.get("/framework?framework=no-such-version").status_code == 404
    assert len(_cache(cached)) == 0


def _renamed_copy(tmp_path: Path) -> Path:
    """The shipped framework with one skill renamed, to tell the versions apart on the page."""
    copy = tmp_path / "framework"
    copy.mkdir()
    for source in shipped_ddat_directory().iterdir():
        if source.is_file():
            text = source.read_text(encoding="utf-8")
            if source.name == "skills.csv":
                text = text.replace(
                    "accessibility,Accessibility,", "accessibility,Inclusive design,"
                )
            (copy / source.name).write_text(text, encoding="utf-8")
    return copy


def test_a_new_default_version_shows_at_once_and_the_old_one_stays_reachable(
    cached: TestClient, engine: Engine, tmp_path: Path
) -> None:
    path = "/framework/skills/accessibility"
    before = cached.get(path)
    assert "<title>Accessibility &#8211; Mobilise</title>" in before.text

    import_framework(engine, _renamed_copy(tmp_path), "council-x", make_default=True)

    after = cached.get(path)
    assert "<title>Inclusive design &#8211; Mobilise</title>" in after.text
    assert after.headers["etag"] != before.headers["etag"]
    # A browser revalidating with the old tag gets the new page, not a 304.
    revalidated = cached.get(path, headers={"If-None-Match": before.headers["etag"]})
    assert revalidated.status_code == 200
    assert "<title>Inclusive design &#8211; Mobilise</title>" in revalidated.text
    old = cached.get(path + "?framework=ddat")
    assert "<title>Accessibility &#8211; Mobilise</title>" in old.text


def test_a_process_remembers_the_default_version_for_a_moment(
    engine: Engine, tmp_path: Path
) -> None:
    path = "/framework/skills/accessibility"
    with TestClient(_app(engine, 100, stamp_seconds=3600)) as client:
        client.get(path)
        import_framework(engine, _renamed_copy(tmp_path), "council-x", make_default=True)

        # Within `stamp_seconds` the process still serves the version it looked up...
        assert "<title>Accessibility &#8211; Mobilise</title>" in client.get(path).text
        # ... and a named version is looked up on its own.
        named = client.get(path + "?framework=council-x")
        assert "<title>Inclusive design &#8211; Mobilise</title>" in named.text
        _cache(client).stamp_seconds = 0
        assert "<title>Inclusive design &#8211; Mobilise</title>" in client.get(path).text


def _signed_in(client: TestClient, person: str) -> None:
    form = client.get("/sign-in").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    response = client.post(
        "/sign-in/development",
        data={"person": person, "next": "/framework", "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def test_signed_in_readers_get_their_own_header_on_a_cached_page(
    cached: TestClient, engine: Engine
) -> None:
    generate_demo(engine, people=5, seed=1, claims_per_person=1, history=False)
    with reading(engine) as session:
        key, name = session.execute(
            select(Person.key, Person.display_name).order_by(Person.key).limit(1)
        ).one()
    path = "/framework/roles/business-architect"
    anonymous = cached.get(path)
    assert 'href="/sign-in"' in anonymous.text

    _signed_in(cached, key)
    mine = cached.get(path)

    assert _cache(cached).hits >= 1
    assert str(escape(name)) in mine.text
    assert 'action="/sign-out"' in mine.text
    assert mine.headers["cache-control"] == "private, no-cache"
    assert mine.headers["etag"] != anonymous.headers["etag"]
    # The body below the header is the same page.
    assert "Business architect" in mine.text
    assert cached.get(path, headers={"If-None-Match": mine.headers["etag"]}).status_code == 304

    cached.cookies.clear()
    assert cached.get(path).content == anonymous.content


def test_the_cache_keeps_the_most_recently_used_pages_up_to_its_capacity() -> None:
    cache = LeastRecentlyUsed(capacity=2)
    pages = {key: CachedPage(PageContent("t.html", {"n": key})) for key in "abc"}
    cache.put("a", pages["a"])
    cache.put("b", pages["b"])
    assert cache.get("a") is pages["a"]  # a is now the most recent
    cache.put("c", pages["c"])

    assert len(cache) == 2
    assert cache.get("b") is None
    assert cache.get("a") is pages["a"]
    assert cache.get("c") is pages["c"]


def test_a_cache_of_capacity_zero_keeps_nothing() -> None:
    cache = LeastRecentlyUsed(capacity=0)
    cache.put("a", CachedPage(PageContent("t.html", {})))
    assert len(cache) == 0
    assert cache.get("a") is None


def test_comparisons_cannot_push_out_the_framework_pages(engine: Engine) -> None:
    with TestClient(_app(engine, 4)) as client:
        cache = _cache(client)
        client.get("/framework/skills/accessibility")
        levels = ["trainee-business-architect", "lead-business-architect"]
        for a in levels:
            for b in levels:
                client.get(f"/framework/compare?a={a}&b={b}")
        client.get("/framework/search?q=data")

        assert (len(cache.pages), len(cache.queries)) == (1, 2)
        hits = cache.pages.hits
        client.get("/framework/skills/accessibility")
        assert cache.pages.hits == hits + 1


def test_version_data_is_computed_once_per_version() -> None:
    cache = PageCache(capacity=1)
    first = catalogue.VersionStamp(1, datetime(2026, 1, 1, tzinfo=UTC), is_default=True)
    second = catalogue.VersionStamp(1, datetime(2026, 1, 1, tzinfo=UTC), is_default=False)
    calls: list[str] = []

    def compute(label: str) -> str:
        calls.append(label)
        return label

    assert cache.version_data(first, "groups", lambda: compute("a")) == "a"
    assert cache.version_data(first, "groups", lambda: compute("b")) == "a"
    assert cache.version_data(second, "groups", lambda: compute("c")) == "c"
    assert calls == ["a", "c"]
