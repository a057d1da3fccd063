"""The hackathon pages: set up, sign up, teams, submission, scores and the public results,
through forms; each page accessible in structure, each reader seeing only what they may."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.support.hackathons import ENTRY, HACKATHON, HackathonSetup, add_hackathon
from tests.web.journeys import accessible, post_form, signed_in
from tests.web.page_checks import assert_accessible_page

PAGE = f"/hackathons/{HACKATHON}"


@pytest.fixture
def ready(engine: Engine) -> HackathonSetup:
    return add_hackathon(engine)


def test_programme_admins_set_up_a_hackathon_and_errors_name_their_fields(
    client: TestClient, ready: HackathonSetup
) -> None:
    signed_in(client, "analyst")
    accessible(client, "/hackathons/new", 403)
    signed_in(client, "admin", "programme_admin")
    assert "Set up a hackathon" in accessible(client, "/hackathons")
    refused = post_form(
        client,
        "/hackathons/new",
        "/hackathons/new",
        {"key": "x y", "title": "", "starts_on": "2027-02-01", "ends_on": "2027-01-01"},
    )
    assert refused.status_code == 422
    assert_accessible_page(refused.text)
    assert 'href="#capacity"' in refused.text
    created = post_form(
        client,
        "/hackathons/new",
        "/hackathons/new",
        {
            "key": "new-hack",
            "title": "New hack",
            "organisation": "dept-a",
            "starts_on": "2027-02-01",
            "ends_on": "2027-02-02",
            "online": "yes",
            "capacity": "20",
            "team_size": "4",
        },
    )
    assert created.headers["location"] == "/hackathons/new-hack"
    page = accessible(client, "/hackathons/new-hack")
    assert "Open sign up" in page
    added = post_form(
        client, "/hackathons/new-hack/challenges", "/hackathons/new-hack", {"register_entry": ENTRY}
    )
    assert added.status_code == 303
    assert f'href="/register/{ENTRY}"' in accessible(client, "/hackathons/new-hack")
    signed_in(client, "analyst")
    accessible(client, "/hackathons/new-hack", 404)  # a draft


def test_the_journey_in_the_pages_to_public_results(
    client: TestClient, ready: HackathonSetup
) -> None:
    signed_in(client, "candidate")  # no organisation
    assert "Sign up to AI for public services hack" in accessible(client, PAGE)
    form = accessible(client, f"{PAGE}/sign-up")
    assert "Show my name" in form
    refused = post_form(client, f"{PAGE}/sign-up", f"{PAGE}/sign-up", {"share": ["skills"]})
    assert refused.status_code == 422
    assert_accessible_page(refused.text)
    assert "consent" in refused.text.lower()
    done = post_form(
        client,
        f"{PAGE}/sign-up",
        f"{PAGE}/sign-up",
        {"first": ready.from_register, "share": ["skills"], "consent": "yes", "show_name": "yes"},
    )
    assert done.status_code == 303
    assert "Stop sharing my profile" in accessible(client, PAGE)
    for person in ("analyst", "stranger", "outsider"):
        signed_in(client, person)
        post_form(client, f"{PAGE}/sign-up", f"{PAGE}/sign-up", {"first": ready.written})

    signed_in(client, "admin", "programme_admin")
    teams = accessible(client, f"{PAGE}/teams")
    assert "No teams yet" in teams
    assert post_form(client, f"{PAGE}/teams", f"{PAGE}/teams", {"seed": "3"}).status_code == 303
    teams = accessible(client, f"{PAGE}/teams")
    assert "no one is the only member of a protected group" in teams
    assert "Form the teams again" in teams
    for action in ("publish_teams", "open_submissions"):
        moved = post_form(client, f"{PAGE}/transitions", PAGE, {"action": action})
        assert moved.status_code == 303
    refused = post_form(client, f"{PAGE}/transitions", PAGE, {"action": "publish_results"})
    assert refused.status_code == 422
    assert "allowed: start_judging" in refused.text

    signed_in(client, "candidate")
    home = accessible(client, PAGE)
    team_path = re.search(r'href="(/hackathon-teams/[^"]+)">See your team', home)
    assert team_path is not None
    team = team_path.group(1)
    assert "Submit your work" in accessible(client, team)
    bad = post_form(
        client, f"{team}/submission", team, {"title": "Triage", "summary": "", "url": "ftp://x"}
    )
    assert bad.status_code == 422
    assert_accessible_page(bad.text)
    saved = post_form(
        client,
        f"{team}/submission",
        team,
        {
            "title": "Triage",
            "summary": "Sorts claims.",
            "label": ["Code"],
            "url": ["https://example.org/code"],
        },
    )
    assert saved.status_code == 303
    signed_in(client, "stranger")
    if "See your team" not in accessible(client, PAGE):
        accessible(client, team, 404)

    signed_in(client, "admin", "programme_admin")
    post_form(client, f"{PAGE}/transitions", PAGE, {"action": "start_judging"})
    signed_in(client, "judge")
    sheet = accessible(client, team)
    assert "Your scores" in sheet
    points = {"points-impact": "9", "points-feasibility": "7", "points-responsible": "8"}
    scored = post_form(client, f"{team}/scores", team, {**points, "points-presentation": "4"})
    assert scored.status_code == 303
    signed_in(client, "admin", "programme_admin")
    published = post_form(client, f"{PAGE}/transitions", PAGE, {"action": "publish_results"})
    assert published.status_code == 303

    client.cookies.clear()
    results = accessible(client, f"{PAGE}/results")  # no sign-in
    assert "Candidate" in results
    assert "Analyst" not in results  # did not agree to show their name
    assert "Triage" in results
    assert f'href="/register/{ENTRY}"' in results
    # The register entry's public page now links to the results too.
    assert f'href="{PAGE}/results"' in accessible(client, f"/register/{ENTRY}")


def test_a_register_entry_s_page_lists_the_challenges_made_from_it(
    client: TestClient, ready: HackathonSetup
) -> None:
    record = accessible(client, f"/register/{ENTRY}")  # public
    assert "Hackathon challenges" in record
    assert f'href="{PAGE}"' in record
