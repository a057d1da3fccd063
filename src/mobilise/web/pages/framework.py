"""Browse the capability framework: families → roles → role levels → skills; search; compare."""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import quote_plus

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from mobilise.services import catalogue, framework_search
from mobilise.web.caching import PageContent, framework_page, page_cache
from mobilise.web.dependencies import EngineDep, FrameworkName

router = APIRouter(prefix="/framework", include_in_schema=False)

SEARCH_PAGE_SIZE = 20
KEY_PATH = Path(min_length=1, max_length=200)
HOME = {"text": "Home", "href": "/"}
KIND_LABELS = {
    "job-family": "Job family",
    "role": "Role",
    "role-level": "Role level",
    "skill": "Skill",
}
KIND_PATHS = {
    "job-family": "/framework#{key}",
    "role": "/framework/roles/{key}",
    "role-level": "/framework/role-levels/{key}",
    "skill": "/framework/skills/{key}",
}


def _with_framework(path: str, framework: str | None) -> str:
    if not framework:
        return path
    anchor = ""
    if "#" in path:
        path, anchor = path.split("#", 1)
        anchor = "#" + anchor
    return f"{path}?framework={framework}{anchor}"


def _framework_crumb(framework: str | None) -> dict[str, str]:
    return {"text": "Framework", "href": _with_framework("/framework", framework)}


# Every page goes through `framework_page`: a version's pages never change, so each process keeps
# them (see mobilise.web.caching). The `build` functions run, in a worker thread, only when the
# cache lacks the page; the routes are async so that a cached page needs no thread at all.


@router.get("", response_class=HTMLResponse)
async def families(
    request: Request, engine: EngineDep, framework: FrameworkName = None
) -> Response:
    def build() -> PageContent:
        version = catalogue.describe_version(engine, framework)
        return PageContent(
            "framework/families.html",
            {
                "title": version.title,
                "version": version,
                "families": catalogue.families_with_roles(engine, framework),
                "breadcrumbs": [HOME],
            },
        )

    return await framework_page(request, engine, framework, build)


@router.get("/skills", response_class=HTMLResponse)
async def skills(request: Request, engine: EngineDep, framework: FrameworkName = None) -> Response:
    def build() -> PageContent:
        every = catalogue.list_skills(engine, framework, limit=100_000).items
        return PageContent(
            "framework/skills.html",
            {
                "title": "Skills",
                "skills": sorted(every, key=lambda s: s.name.casefold()),
                "breadcrumbs": [HOME, _framework_crumb(framework)],
            },
        )

    return await framework_page(request, engine, framework, build)


@router.get("/roles/{key}", response_class=HTMLResponse)
async def role(
    request: Request,
    engine: EngineDep,
    key: Annotated[str, KEY_PATH],
    framework: FrameworkName = None,
) -> Response:
    def build() -> PageContent:
        detail = catalogue.role_detail(engine, key, framework)
        return PageContent(
            "framework/role.html",
            {
                "title": detail.role.name,
                "detail": detail,
                "breadcrumbs": [
                    HOME,
                    _framework_crumb(framework),
                    {
                        "text": detail.family.name,
                        "href": _with_framework(f"/framework#{detail.family.key}", framework),
                    },
                ],
            },
        )

    return await framework_page(request, engine, framework, build)


@router.get("/role-levels/{key}", response_class=HTMLResponse)
async def role_level(
    request: Request,
    engine: EngineDep,
    key: Annotated[str, KEY_PATH],
    framework: FrameworkName = None,
) -> Response:
    def build() -> PageContent:
        detail = catalogue.role_level_detail(engine, key, framework)
        return PageContent(
            "framework/role_level.html",
            {
                "title": detail.role_level.name,
                "detail": detail,
                "breadcrumbs": [
                    HOME,
                    _framework_crumb(framework),
                    {
                        "text": detail.role.name,
                        "href": _with_framework(f"/framework/roles/{detail.role.key}", framework),
                    },
                ],
            },
        )

    return await framework_page(request, engine, framework, build)


@router.get("/skills/{key}", response_class=HTMLResponse)
async def skill(
    request: Request,
    engine: EngineDep,
    key: Annotated[str, KEY_PATH],
    framework: FrameworkName = None,
) -> Response:
    def build() -> PageContent:
        detail = catalogue.skill_detail(engine, key, framework)
        return PageContent(
            "framework/skill.html",
            {
                "title": detail.skill.name,
                "detail": detail,
                "breadcrumbs": [
                    HOME,
                    _framework_crumb(framework),
                    {"text": "Skills", "href": _with_framework("/framework/skills", framework)},
                ],
            },
        )

    return await framework_page(request, engine, framework, build)


def _page_items(current: int, last: int, link: Any) -> list[dict[str, Any] | None]:
    """GOV.UK pagination items: first, last and neighbours of the current page, with ellipses."""
    wanted = {1, last, current - 1, current, current + 1}
    items: list[dict[str, Any] | None] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": link(number), "current": number == current})
        previous = number
    return items


@router.get("/search", response_class=HTMLResponse)
async def search(
    request: Request,
    engine: EngineDep,
    q: Annotated[str, Query(max_length=framework_search.MAX_QUERY_LENGTH)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    framework: FrameworkName = None,
) -> Response:
    def build() -> PageContent:
        results = framework_search.search(
            engine, q, framework, limit=SEARCH_PAGE_SIZE, offset=(page - 1) * SEARCH_PAGE_SIZE
        )
        last = max(1, math.ceil(results.total / SEARCH_PAGE_SIZE))

        def link(number: int) -> str:
            query = f"?q={quote_plus(results.query)}&page={number}"
            return "/framework/search" + query + (f"&framework={framework}" if framework else "")

        pagination: dict[str, Any] | None = None
        if results.total > SEARCH_PAGE_SIZE:
            pagination = {"items": _page_items(page, last, link)}
            if page > 1:
                pagination["previous"] = {"href": link(page - 1)}
            if page < last:
                pagination["next"] = {"href": link(page + 1)}
        return PageContent(
            "framework/search.html",
            {
                "title": f"Search results for ‘{results.query}’" if results.query else "Search",
                "results": results,
                "page": page,
                "first": (page - 1) * SEARCH_PAGE_SIZE + 1,
                "pagination": pagination,
                "kind_labels": KIND_LABELS,
                "kind_paths": KIND_PATHS,
                "breadcrumbs": [HOME, _framework_crumb(framework)],
            },
        )

    return await framework_page(request, engine, framework, build, kind="query")


@router.get("/compare", response_class=HTMLResponse)
async def compare(
    request: Request,
    engine: EngineDep,
    a: Annotated[str, Query(max_length=200)] = "",
    b: Annotated[str, Query(max_length=200)] = "",
    framework: FrameworkName = None,
) -> Response:
    cache = page_cache(request)
    stamp = await cache.stamp(engine, framework)

    def build() -> PageContent:
        # Every comparison offers the same role levels to choose from: read them once.
        groups = cache.version_data(
            stamp, "role-level-groups", lambda: catalogue.role_level_groups(engine, framework)
        )
        known = {level.key for group in groups for level in group.levels}
        errors: dict[str, str] = {}
        comparison: catalogue.RoleLevelComparison | None = None
        if a or b:
            for field, value, which in (("a", a, "first"), ("b", b, "second")):
                if not value:
                    errors[field] = f"Select the {which} role level"
                elif value not in known:
                    errors[field] = f"Select the {which} role level in the list"
            if not errors:
                comparison = catalogue.compare_role_levels(engine, a, b, framework)
        title = (
            f"{comparison.a.name} compared with {comparison.b.name}"
            if comparison
            else "Compare role levels"
        )
        return PageContent(
            "framework/compare.html",
            {
                "title": title,
                "groups": groups,
                "a": a,
                "b": b,
                "errors": errors,
                "error_list": [
                    {"text": message, "href": f"#compare-{field}"}
                    for field, message in errors.items()
                ],
                "has_errors": bool(errors),
                "comparison": comparison,
                "breadcrumbs": [HOME, _framework_crumb(framework)],
            },
            status_code=400 if errors else 200,
        )

    return await framework_page(request, engine, framework, build, kind="query")
