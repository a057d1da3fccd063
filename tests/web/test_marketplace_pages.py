"""The marketplace pages: browse ranked with the reasons, save, apply, release, owners' ranked
applicants, allocate, the moves; each page accessible in structure; partner firms see only
theirs."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Role, command_line_actor
from mobilise.services.marketplace_applications import apply
from mobilise.services.marketplace_rounds import RoundSpec, open_round
from mobilise.services.opportunities import OpportunitySpec, get_opportunity, post_opportunity
from mobilise.services.programmes import DEFAULT_RUBRIC, ProgrammeSpec, create_programme
from tests.support.marketplace import ROUND, add_marketplace
from tests.web.journeys import accessible, post_form, signed_in
from tests.web.page_checks import assert_accessible_page


@pytest.fixture
def ready(engine: Engine) -> None:
    add_marketplace(engine)


@pytest.mark.usefixtures("ready")
def test_browse_apply_release_allocate_and_move_in_the_pages(client: TestClient) -> None:
    signed_in(client, "analyst")
    listing = accessible(client, "/opportunities")
    assert listing.index("Data engineer on loan") < listing.index("Product manager placement")
    assert "Meets 2 of 2 required skills" in listing
    assert "Meets 0 of 1 required skill; 1 gap" in listing
    assert "Loan between departments" in accessible(client, "/opportunities?kind=loan")
    detail = accessible(client, "/opportunities/data-loan")
    assert "100%: you meet 2 of 2 required skills" in detail
    assert "partner firms" in accessible(client, "/opportunities/gds-secondment")
    saved = post_form(
        client,
        "/opportunities/firm-placement/saved",
        "/opportunities/firm-placement",
        {"saved": "yes"},
    )
    assert saved.status_code == 303
    assert "Product manager placement" in accessible(client, "/opportunities?saved=true")

    refused = post_form(
        client,
        "/opportunities/data-loan/apply",
        "/opportunities/data-loan/apply",
        {"share": ["skills"]},
    )
    assert refused.status_code == 422
    assert_accessible_page(refused.text)
    assert "Enter a statement" in refused.text
    assert "Confirm that you consent" in refused.text
    sent = post_form(
        client,
        "/opportunities/data-loan/apply",
        "/opportunities/data-loan/apply",
        {"statement": "I build pipelines.", "share": ["skills"], "consent": "yes"},
    )
    assert sent.status_code == 303
    path = sent.headers["location"]
    assert "Awaiting release" in accessible(client, path)
    assert "Data engineer on loan" in accessible(client, "/opportunities/applications")

    signed_in(client, "firm-admin", "programme_admin")
    accessible(client, path, 404)
    assert "Applicants, best fit first" not in accessible(client, "/opportunities/data-loan")

    signed_in(client, "lead")
    assert "Analyst" in accessible(client, "/opportunities/applications")
    assert post_form(client, f"{path}/transitions", path, {"action": "release"}).status_code == 303

    signed_in(client, "b-admin", "programme_admin")
    owned = accessible(client, "/opportunities/data-loan")
    assert "Applicants, best fit first" in owned
    assert "100%" in owned

    signed_in(client, "admin", "programme_admin")
    assert "Close applications" in accessible(client, f"/rounds/{ROUND}")
    for action in ("close", "allocate"):
        done = post_form(
            client, f"/rounds/{ROUND}/transitions", f"/rounds/{ROUND}", {"action": action}
        )
        assert done.status_code == 303, done.text
    assert "Offers published" in accessible(client, f"/rounds/{ROUND}")

    signed_in(client, "analyst")
    assert post_form(client, f"{path}/transitions", path, {"action": "accept"}).status_code == 303
    signed_in(client, "admin", "programme_admin")
    post_form(client, f"/rounds/{ROUND}/transitions", f"/rounds/{ROUND}", {"action": "start"})
    shown = accessible(client, f"/rounds/{ROUND}")
    assert "Moves recorded" in shown
    assert "Agency B" in shown


@pytest.mark.usefixtures("ready")
def test_programme_admins_open_rounds_and_post_opportunities_in_the_pages(
    client: TestClient, engine: Engine
) -> None:
    signed_in(client, "analyst")
    assert client.get("/opportunities/new").status_code == 403
    assert client.get("/rounds/new").status_code == 403
    signed_in(client, "b-admin", "programme_admin")
    assert 'href="/opportunities/new"' in accessible(client, "/opportunities")
    accessible(client, "/opportunities/new")
    bad = post_form(
        client,
        "/opportunities/new",
        "/opportunities/new",
        {
            "key": "x y",
            "title": "",
            "kind": "loan",
            "organisation": "agency-b",
            "round": ROUND,
            "starts_on": "2027-01-04",
            "ends_on": "2026-01-04",
            "capacity": "two",
            "skills": "accessibility",
        },
    )
    assert bad.status_code == 422
    assert_accessible_page(bad.text)
    for field in ("#key", "#title", "#ends_on", "#capacity", "#skills"):
        assert f'href="{field}"' in bad.text
    made = post_form(
        client,
        "/opportunities/new",
        "/opportunities/new",
        {
            "key": "ml-role",
            "title": "ML engineer",
            "kind": "project_role",
            "organisation": "agency-b",
            "round": ROUND,
            "starts_on": "2027-01-04",
            "ends_on": "2027-06-30",
            "capacity": "2",
            "skills": "accessibility, practitioner",
        },
    )
    assert (made.status_code, made.headers["location"]) == (303, "/opportunities/ml-role")
    view = get_opportunity(engine, command_line_actor(), "ml-role")
    assert [(r.skill_key, r.required.label) for r in view.requirements] == [
        ("accessibility", "practitioner")
    ]
    accessible(client, "/rounds/new")
    opened = post_form(
        client,
        "/rounds/new",
        "/rounds/new",
        {"key": "spring-2027", "name": "Spring 2027", "organisation": "agency-b"},
    )
    assert (opened.status_code, opened.headers["location"]) == (303, "/rounds/spring-2027")
    assert "Spring 2027" in accessible(client, "/rounds")


@pytest.mark.usefixtures("ready")
def test_an_intake_in_the_pages_owners_score_candidates(client: TestClient, engine: Engine) -> None:
    admin = development_sign_in(engine, "admin", [Role.PROGRAMME_ADMIN])
    create_programme(
        engine,
        admin,
        ProgrammeSpec(
            key="tt",
            name="TechTrack",
            kind="apprenticeship",
            organisation="dept-a",
            rubric=DEFAULT_RUBRIC,
            target_people=2000,
            target_year=2030,
        ),
    )
    quotas = [
        {"id": "outside-london", "attribute": "region", "not_values": ["London"], "min_share": 0.6}
    ]
    open_round(
        engine,
        admin,
        RoundSpec("tt-2027", "TechTrack 2027", "dept-a", programme="tt", quotas=quotas),
    )
    post_opportunity(
        engine,
        admin,
        OpportunitySpec(
            key="sd-leeds",
            round="tt-2027",
            organisation="dept-a",
            kind="apprenticeship",
            role="software developer",
            title="Software developer apprentice",
            starts_on=date(2027, 9, 1),
            ends_on=date(2029, 8, 31),
            capacity=2,
        ),
    )
    key = apply(
        engine,
        development_sign_in(engine, "candidate", []),
        "sd-leeds",
        "I code.",
        [],
        consent=False,
    )

    signed_in(client, "admin", "programme_admin")
    programme = accessible(client, "/programmes/tt")
    assert "Intakes" in programme
    assert "0 of a target of 2,000 by 2030" in programme
    assert "a year until the end of 2030" in programme
    assert "TechTrack 2027" in programme
    shown = accessible(client, "/rounds/tt-2027")
    assert "outside-london" in shown
    assert "fair method" in shown
    page = accessible(client, "/opportunities/sd-leeds")
    assert "Apprenticeship placement: software developer" in page
    bad = post_form(
        client,
        f"/opportunity-applications/{key}/score",
        "/opportunities/sd-leeds",
        {"score": "500"},
    )
    assert bad.status_code == 422
    saved = post_form(
        client, f"/opportunity-applications/{key}/score", "/opportunities/sd-leeds", {"score": "75"}
    )
    assert saved.status_code == 303
    assert 'value="75"' in accessible(client, "/opportunities/sd-leeds")


@pytest.mark.usefixtures("ready")
def test_an_intake_with_quotas_is_opened_in_the_pages(client: TestClient, engine: Engine) -> None:
    create_programme(
        engine,
        development_sign_in(engine, "b-admin", [Role.PROGRAMME_ADMIN]),
        ProgrammeSpec(
            key="b-apprentices",
            name="B apprentices",
            kind="apprenticeship",
            organisation="agency-b",
            rubric=DEFAULT_RUBRIC,
        ),
    )
    signed_in(client, "b-admin", "programme_admin")
    form = accessible(client, "/rounds/new")
    assert "B apprentices" in form
    data = {
        "key": "b-2027",
        "name": "B 2027",
        "organisation": "agency-b",
        "programme": "b-apprentices",
    }
    bad = post_form(client, "/rounds/new", "/rounds/new", {**data, "outside_london": "160"})
    assert bad.status_code == 422
    assert 'href="#outside_london"' in bad.text
    made = post_form(
        client,
        "/rounds/new",
        "/rounds/new",
        {**data, "outside_london": "60", "under_represented": "50"},
    )
    assert made.status_code == 303, made.text
    shown = accessible(client, "/rounds/b-2027")
    assert "outside-london" in shown
    assert "under-represented" in shown
    assert "b-apprentices" in shown
