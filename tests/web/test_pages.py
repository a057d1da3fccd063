"""The GOV.UK pages: each renders, is accessible in structure, and says the right things."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.framework import import_framework, shipped_ddat_directory
from mobilise.web.app import STATIC
from mobilise.web.security import GOVUK_SUPPORTED_SNIPPET, script_hash
from tests.web.page_checks import assert_accessible_page

PAGES = [
    "/",
    "/about",
    "/about/skills",
    "/framework",
    "/framework/skills",
    "/framework/roles/business-architect",
    "/framework/roles/chief-data-officer",
    "/framework/role-levels/lead-business-architect",
    "/framework/skills/accessibility",
    "/framework/search",
    "/framework/search?q=data",
    "/framework/search?q=data&page=2",
    "/framework/compare",
    "/framework/compare?a=trainee-business-architect&b=lead-business-architect",
    "/problems/not-found",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_as_an_accessible_govuk_page(reader: TestClient, path: str) -> None:
    response = reader.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert_accessible_page(html)
    for landmark in (
        "govuk-header",
        "govuk-service-navigation",
        "govuk-phase-banner",
        "govuk-footer",
    ):
        assert landmark in html
    assert "Open Government Licence" in html
    assert '<link rel="stylesheet" href="/static/govuk/govuk-frontend.min.css">' in html


def test_the_framework_page_lists_families_and_their_roles(reader: TestClient) -> None:
    html = reader.get("/framework").text

    assert '<h2 class="govuk-heading-m" id="architecture">Architecture</h2>' in html
    assert 'href="/framework/roles/business-architect"' in html
    assert "Senior Civil Service" in html
    assert "Open Government Licence v3.0" in html


def test_a_role_page_lists_its_levels_in_order(reader: TestClient) -> None:
    html = reader.get("/framework/roles/business-architect").text

    levels = re.findall(r'href="/framework/role-levels/([a-z-]+)"', html)
    assert levels == [
        "trainee-business-architect",
        "associate-business-architect",
        "business-architect",
        "lead-business-architect",
    ]
    assert "<caption" in html
    assert "Role levels" in html


def test_a_senior_civil_service_role_shows_skills_and_no_levels(reader: TestClient) -> None:
    html = reader.get("/framework/roles/chief-data-officer").text

    assert "This role has no role levels" in html
    assert 'href="/framework/skills/data-architecture"' in html
    assert "/framework/role-levels/" not in html


def test_a_role_level_page_shows_each_skill_with_its_level_and_description(
    reader: TestClient,
) -> None:
    html = reader.get("/framework/role-levels/lead-business-architect").text

    assert '<h1 class="govuk-heading-l">Lead business architect</h1>' in html
    assert 'href="/framework/skills/business-architecture"' in html
    assert "Expert" in html
    # The expert description of business architecture, as published.
    assert "simplify complex business architecture frameworks into clear actions" in html
    assert 'href="/framework/compare?a=lead-business-architect"' in html


def test_a_skill_page_shows_four_levels_and_the_role_levels_that_need_it(
    reader: TestClient,
) -> None:
    html = reader.get("/framework/skills/accessibility").text

    for level in ("Awareness", "Working", "Practitioner", "Expert"):
        assert f'<h3 class="govuk-heading-s">{level}</h3>' in html
    assert "understand users have different accessibility needs" in html
    assert 'href="/framework/role-levels/apprentice-frontend-developer"' in html


@pytest.mark.parametrize(
    "path",
    [
        "/framework/roles/no-such-role",
        "/framework/role-levels/no-such-level",
        "/framework/skills/no-such-skill",
        "/no/such/page",
        "/framework?framework=no-such-version",
        "/problems/no-such-problem",
    ],
)
def test_unknown_things_get_a_govuk_page_not_found(reader: TestClient, path: str) -> None:
    response = reader.get(path)

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in response.text
    assert_accessible_page(response.text)


def test_bad_parameters_get_a_govuk_error_page_naming_them(reader: TestClient) -> None:
    response = reader.get("/framework/search", params={"q": "x" * 201})

    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert "<code>q</code>" in response.text
    assert_accessible_page(response.text)


def test_search_finds_names_case_insensitively_and_pages_with_govuk_pagination(
    reader: TestClient,
) -> None:
    first = reader.get("/framework/search", params={"q": "DATA"}).text
    same = reader.get("/framework/search", params={"q": "data"}).text

    total = int(re.search(r"(\d+) results for", first).group(1))  # type: ignore[union-attr]
    assert total > 20
    assert f"{total} results for" in same
    assert 'href="/framework/roles/data-scientist"' in first
    assert 'class="govuk-pagination' in first
    assert 'href="/framework/search?q=DATA&amp;page=2"' in first
    second = reader.get("/framework/search", params={"q": "data", "page": 2}).text
    assert 'aria-current="page"' in second
    assert "Showing 21 to 40" in second


def test_search_says_when_nothing_matches(reader: TestClient) -> None:
    html = reader.get("/framework/search", params={"q": "quantum basket weaving"}).text

    assert "No results for ‘quantum basket weaving’" in html
    assert "govuk-pagination" not in html


def test_search_treats_like_wildcards_as_text(reader: TestClient) -> None:
    html = reader.get("/framework/search", params={"q": "%_%"}).text

    assert "No results for" in html


def test_compare_shows_each_skill_side_by_side(reader: TestClient) -> None:
    html = reader.get(
        "/framework/compare",
        params={"a": "trainee-business-architect", "b": "lead-business-architect"},
    ).text

    assert "Skills needed by Trainee business architect and by Lead business architect" in html
    assert "Higher in second" in html
    assert "Only second" in html
    assert '<option value="lead-business-architect" selected>' in html


def test_compare_asks_for_a_missing_or_unknown_role_level(reader: TestClient) -> None:
    response = reader.get("/framework/compare", params={"a": "trainee-business-architect"})

    assert response.status_code == 400
    assert "govuk-error-summary" in response.text
    assert 'href="#compare-b"' in response.text
    assert "<title>Error: " in response.text
    assert_accessible_page(response.text)
    unknown = reader.get("/framework/compare", params={"a": "nope", "b": "nope"})
    assert unknown.status_code == 400
    assert "Select the first role level in the list" in unknown.text


def test_links_keep_the_framework_version_the_reader_chose(
    client: TestClient, engine: Engine
) -> None:
    import_framework(engine, shipped_ddat_directory(), "ddat-copy", title="A copy")

    html = client.get("/framework", params={"framework": "ddat-copy"}).text

    assert '<h1 class="govuk-heading-l">A copy</h1>' in html
    assert 'href="/framework/roles/business-architect?framework=ddat-copy"' in html
    role = client.get("/framework/roles/business-architect?framework=ddat-copy").text
    assert 'href="/framework/role-levels/lead-business-architect?framework=ddat-copy"' in role


def test_pages_carry_security_headers_and_only_the_hashed_inline_script(
    reader: TestClient,
) -> None:
    response = reader.get("/framework/skills/accessibility")

    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    scripts = assert_accessible_page(response.text).inline_scripts
    assert [s.strip() for s in scripts] == [GOVUK_SUPPORTED_SNIPPET]
    assert script_hash(scripts[0]) in policy


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/static/govuk/govuk-frontend.min.css", "text/css"),
        ("/static/govuk/govuk-frontend.min.js", "text/javascript"),
        ("/static/init.mjs", "text/javascript"),
        ("/static/mobilise.css", "text/css"),
        ("/assets/fonts/bold-b542beb274-v2.woff2", "font/woff2"),
        ("/assets/fonts/light-f591b13f7d-v2.woff", "font/woff"),
        ("/assets/images/govuk-crest.svg", "image/svg+xml"),
        ("/assets/images/favicon.ico", "image/"),
        ("/assets/manifest.json", "application/json"),
    ],
)
def test_govuk_frontend_assets_are_served_from_the_package(
    reader: TestClient, path: str, media_type: str
) -> None:
    response = reader.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert len(response.content) > 100


def test_every_asset_the_stylesheet_names_is_served(reader: TestClient) -> None:
    css = (STATIC / "govuk" / "govuk-frontend.min.css").read_text()

    urls = set(re.findall(r"url\((/assets/[^)]+)\)", css))
    assert urls
    for url in urls:
        assert reader.get(url).status_code == 200, url
