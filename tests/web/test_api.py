"""The JSON API: shapes, cursor paging, problem details and the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.framework import import_framework, shipped_ddat_directory

PROBLEM = "application/problem+json"
API_PATHS = [
    "frameworks",
    "frameworks/{name}",
    "job-families",
    "roles",
    "roles/{key}",
    "role-levels",
    "role-levels/{key}",
    "skills",
    "skills/{key}",
    "search",
    "compare",
    "learning-items",
    "learning-items/{key}",
    "learning-items/{key}/skill-tags",
    "register",
    "register/{key}",
    "guidance",
    "guidance/{key}",
    "site-search",
    "hackathons/{key}/results",
    "credentials/issuers/{organisation}/keys",
]
# Routes that need a session or a token (tests/web/test_access.py and friends exercise them).
SIGNED_IN_API_PATHS = [
    "register/clusters",
    "me/ai-projects",
    "register/{key}/people",
    "register/{key}/people/{person}",
    "register/{key}/cohorts",
    "cohorts/{key}/projects",
    "cohorts/{key}/projects/{project}",
    "me",
    "people",
    "people/{key}",
    "audit-events",
    "accounts",
    "accounts/{account_id}/roles",
    "accounts/{account_id}/roles/{role}",
    "tokens",
    "tokens/{token_id}",
    "jobs",
    "jobs/{job_id}",
    "jobs/imports",
    "me/claims",
    "me/suggestions/{claim_id}",
    "validation-queue",
    "validation-queue/{claim_id}",
    "people/{key}/gap",
    "people/{key}/nearest",
    "people/{key}/career",
    "people/{key}/pathway",
    "me/completions",
    "team",
    "programmes",
    "programmes/{key}",
    "programmes/{key}/cohorts",
    "programmes/{key}/impact",
    "register/{key}/benefits",
    "benefits",
    "cohorts/{key}",
    "cohorts/{key}/transitions",
    "cohorts/{key}/applications",
    "cohorts/{key}/attendance",
    "me/applications",
    "release-queue",
    "applications/{key}",
    "applications/{key}/transitions",
    "applications/{key}/scores",
    "applications/{key}/share",
    "applications/{key}/modules",
    "me/messages",
    "hackathons",
    "hackathons/{key}",
    "hackathons/{key}/transitions",
    "hackathons/{key}/challenges",
    "hackathons/{key}/judges",
    "hackathons/{key}/sign-ups",
    "hackathons/{key}/sign-ups/mine",
    "hackathons/{key}/sign-ups/mine/share",
    "hackathons/{key}/participants",
    "hackathons/{key}/teams",
    "hackathons/{key}/teams/moves",
    "hackathons/{key}/teams/challenges",
    "hackathon-teams/{key}",
    "hackathon-teams/{key}/submission",
    "hackathon-teams/{key}/scores",
    "communities",
    "communities/{key}",
    "communities/{key}/membership",
    "events",
    "events/{key}",
    "events/{key}/registration",
    "events/{key}/registration-open",
    "events/{key}/attendance",
    "mentoring",
    "mentoring/offer",
    "mentoring/request",
    "mentoring/rounds",
    "mentoring/{key}/end",
    "opportunities",
    "opportunities/{key}",
    "opportunities/{key}/saved",
    "opportunities/{key}/applications",
    "opportunities/{key}/skill-suggestions",
    "rounds",
    "rounds/{key}",
    "rounds/{key}/transitions",
    "me/opportunity-applications",
    "analytics/headcount",
    "analytics/skills",
    "analytics/programmes/funnels",
    "analytics/programmes/spread",
    "analytics/targets",
    "analytics/targets/{key}",
    "opportunity-release-queue",
    "opportunity-applications/{key}",
    "opportunity-applications/{key}/transitions",
    "opportunity-applications/{key}/share",
    "opportunity-applications/{key}/score",
    "skills/infer",
    "skills/infer/document",
    "me/skill-suggestions",
    "credentials",
    "credentials/verify",
    "credentials/{credential}",
    "credentials/{credential}/revocation",
    "me/pathways",
    "cohorts/{key}/terms",
    "applications/{key}/hire",
    "provider/cohorts",
    "provider/cohorts/{key}/participants",
    "applications/{key}/assessments",
    "provider/bids",
    "opportunities/{key}/provider",
    "me/courses",
    "me/courses/{course}/weeks/{week}",
    "me/courses/{course}/completion",
    "me/interests",
    "me/interests/{interest_id}",
    "me/data",
    "me/details",
    "me/sensitive-attributes/withdrawal",
    "me/erasure-requests",
    "me/erasure-requests/{key}/cancellation",
    "erasure-requests",
    "erasure-requests/{key}/approval",
    "erasure-requests/{key}/refusal",
    "me/skill-suggestions/preview",
    "skill-crosswalk",
    "skill-crosswalk/{entry_id}",
    "skill-change-requests",
    "skill-change-requests/{request_id}",
    "allocation-runs",
    "allocation-runs/{key}",
    "allocation-runs/{key}/result",
    "allocation-runs/{key}/my-outcome",
    "register/similar",
    "register/{key}/draft",
    "register/{key}/details",
    "register/{key}/sections/{slug}",
    "register/{key}/publish",
    "register/{key}/ethics",
]


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert {"type", "title", "status", "detail", "instance"} <= body.keys()
    return body


def _all_pages(client: TestClient, url: str) -> tuple[list[dict[str, Any]], int]:
    items: list[dict[str, Any]] = []
    pages = 0
    next_url: str | None = url
    while next_url:
        body = client.get(next_url).json()
        items.extend(body["items"])
        next_url = body["next"]
        pages += 1
        assert pages < 100
    return items, pages


def test_frameworks_lists_the_default_version_with_its_counts(reader: TestClient) -> None:
    body = reader.get("/api/v1/frameworks").json()

    (ddat,) = body["items"]
    assert ddat["name"] == "ddat"
    assert ddat["is_default"] is True
    assert ddat["counts"]["skills"] > 100
    assert reader.get("/api/v1/frameworks/ddat").json()["counts"] == ddat["counts"]


def test_job_families_carry_their_roles(reader: TestClient) -> None:
    body = reader.get("/api/v1/job-families").json()

    families = {f["key"]: f for f in body["items"]}
    assert body["total"] == len(families)
    assert "business-architect" in {r["key"] for r in families["architecture"]["roles"]}


def test_a_role_has_its_levels_and_a_senior_civil_service_role_its_skills(
    reader: TestClient,
) -> None:
    architect = reader.get("/api/v1/roles/business-architect").json()
    cdo = reader.get("/api/v1/roles/chief-data-officer").json()

    assert [lv["level_order"] for lv in architect["levels"]] == [1, 2, 3, 4]
    assert architect["skills"] == []
    assert cdo["levels"] == []
    assert cdo["role_type"] == "Senior Civil Service"
    assert "data-architecture" in {s["key"] for s in cdo["skills"]}


def test_a_role_level_lists_required_skills_with_level_descriptions(reader: TestClient) -> None:
    body = reader.get("/api/v1/role-levels/lead-business-architect").json()

    requirement = next(
        r for r in body["requirements"] if r["skill"]["key"] == "business-architecture"
    )
    assert requirement["level"] == "expert"
    assert requirement["level_rank"] == 4
    assert "simplify complex business architecture" in requirement["level_description"]
    assert body["role"] == {"key": "business-architect", "name": "Business architect"}


def test_a_skill_lists_the_role_levels_that_need_it(reader: TestClient) -> None:
    body = reader.get("/api/v1/skills/accessibility").json()

    assert set(body["levels"]) == {"awareness", "working", "practitioner", "expert"}
    assert any(n["role_level"]["key"] == "apprentice-frontend-developer" for n in body["needed_by"])


@pytest.mark.parametrize("path", ["/api/v1/roles", "/api/v1/role-levels", "/api/v1/skills"])
def test_following_next_visits_every_item_once_in_key_order(reader: TestClient, path: str) -> None:
    everything = reader.get(path, params={"limit": 200}).json()
    items, pages = _all_pages(reader, f"{path}?limit=7")

    keys = [item["key"] for item in items]
    assert keys == sorted(set(keys))
    assert len(keys) == everything["total"]
    assert pages == -(-everything["total"] // 7)


def test_lists_filter_by_parent(reader: TestClient) -> None:
    roles = reader.get("/api/v1/roles", params={"family": "architecture"}).json()
    levels = reader.get("/api/v1/role-levels", params={"role": "business-architect"}).json()

    assert {r["family"] for r in roles["items"]} == {"architecture"}
    assert levels["total"] == 4
    _problem(reader.get("/api/v1/roles", params={"family": "nope"}), 404)


def test_search_pages_by_cursor_through_the_same_hits_in_order(reader: TestClient) -> None:
    whole = reader.get("/api/v1/search", params={"q": "Data", "limit": 200}).json()
    items, _ = _all_pages(reader, "/api/v1/search?q=data&limit=9")

    assert [(h["kind"], h["key"]) for h in items] == [(h["kind"], h["key"]) for h in whole["items"]]
    assert len(items) == whole["total"]
    assert items[0]["kind"] == "job-family"
    assert reader.get(items[0]["url"]).status_code == 200


def test_compare_counts_agree_with_the_rows(reader: TestClient) -> None:
    body = reader.get(
        "/api/v1/compare",
        params={"a": "trainee-business-architect", "b": "lead-business-architect"},
    ).json()

    differences = [s["difference"] for s in body["skills"]]
    assert body["only_in_b"] == differences.count("only-in-b") > 0
    assert body["in_both"] == len(differences) - body["only_in_a"] - body["only_in_b"]
    assert body["a"]["role"]["key"] == "business-architect"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/roles/nope",
        "/api/v1/role-levels/nope",
        "/api/v1/skills/nope",
        "/api/v1/frameworks/nope",
        "/api/v1/compare?a=trainee-business-architect&b=nope",
        "/api/v1/no-such-endpoint",
    ],
)
def test_unknown_things_are_404_problems(reader: TestClient, path: str) -> None:
    body = _problem(reader.get(path), 404)

    assert body["instance"] == path
    assert body["type"].endswith("/problems/not-found") or body["type"].endswith(
        "/problems/unknown-framework"
    )


def test_an_unknown_framework_version_is_a_404_problem_of_its_own_type(
    reader: TestClient,
) -> None:
    body = _problem(reader.get("/api/v1/skills", params={"framework": "nope"}), 404)

    assert body["type"] == "http://testserver/problems/unknown-framework"
    assert "nope" in body["detail"]
    assert reader.get(body["type"]).status_code == 200


def test_another_framework_version_is_served_when_named(client: TestClient, engine: Engine) -> None:
    import_framework(engine, shipped_ddat_directory(), "ddat-2", title="Second")

    names = [f["name"] for f in client.get("/api/v1/frameworks").json()["items"]]
    body = client.get("/api/v1/roles/business-architect", params={"framework": "ddat-2"})

    assert names == ["ddat", "ddat-2"]
    assert body.status_code == 200


@pytest.mark.parametrize(
    ("query", "invalid"),
    [
        ({"limit": 201}, "limit"),
        ({"limit": 0}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"framework": "bad name!"}, "framework"),
    ],
)
def test_invalid_parameters_are_422_problems_that_name_them(
    reader: TestClient, query: dict[str, Any], invalid: str
) -> None:
    body = _problem(reader.get("/api/v1/roles", params=query), 422)

    assert [p["name"] for p in body["invalid-params"]] == [invalid]
    assert body["invalid-params"][0]["in"] == "query"


def test_search_needs_a_query(reader: TestClient) -> None:
    body = _problem(reader.get("/api/v1/search"), 422)

    assert body["invalid-params"][0]["name"] == "q"


def test_openapi_is_a_valid_3_1_document_listing_every_api_route(reader: TestClient) -> None:
    import openapi_spec_validator as validator

    document = reader.get("/api/v1/openapi.json").json()

    assert document["openapi"].startswith("3.1.")
    validator.validate(document)
    assert set(document["paths"]) == {
        "/healthz",
        *(f"/api/v1/{path}" for path in API_PATHS + SIGNED_IN_API_PATHS),
    }
    assert not [p for p in document["paths"] if p.startswith("/framework")]
    role = document["paths"]["/api/v1/roles/{key}"]["get"]["responses"]
    assert set(role["404"]["content"]) == {PROBLEM}
    assert set(role["422"]["content"]) == {PROBLEM}
