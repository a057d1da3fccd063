"""The guidance hub and the search across guidance, the register and learning, in pages and the
API: public reading, service admins publishing through the form and the API (validated, 403 for
others), a register record listing its guidance, and the team told through the outbox."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.core.register.registration import ProjectDetails
from mobilise.services.accounts import development_sign_in
from mobilise.services.guidance import get_guidance, seed_guidance
from mobilise.services.outbox import messages_for
from mobilise.services.register_editing import register_project
from tests.support.workforce import add_workforce
from tests.web.journeys import API, accessible, api_post, api_signed_in
from tests.web.signing_in import csrf_from, sign_in

FORM = {
    "key": "chatbot-testing",
    "title": "Testing chatbots before launch",
    "publisher": "Example Department",
    "url": "https://www.gov.uk/guidance/testing-chatbots",
    "summary": "How to test a chatbot with real users before it answers the public.",
    "topics": "testing, chatbots",
    "published_on": "2026-01-05",
    "phases": ["pre-deployment", "beta-pilot"],
    "kinds": ["project"],
    "supersedes": "",
}


def a_draft(engine: Engine) -> str:
    lead = development_sign_in(engine, "lead", [])
    details = ProjectDetails(
        title="Parking chatbot",
        kind="project",
        phase="idea",
        description="A chatbot answers residents' parking questions.",
        users="Residents",
        team="Digital",
        skills=(),
        links=(),
    )
    return register_project(engine, lead, details)


def test_anyone_reads_the_hub_an_item_and_its_replacement(
    client: TestClient, engine: Engine
) -> None:
    seed_guidance(engine)
    hub = accessible(client, "/guidance")
    assert "Data Ethics Framework" in hub
    assert "Open Government Licence" in hub
    assert "Add guidance" not in hub
    filtered = accessible(client, "/guidance?phase=retired&kind=project")
    assert "Algorithmic Transparency Recording Standard" in filtered
    assert "Guidelines for AI procurement" not in filtered
    old = accessible(client, "/guidance/generative-ai-framework-for-hmg")
    assert "This guidance has been replaced by" in old
    assert 'href="/guidance/ai-playbook-for-the-uk-government"' in old
    new = accessible(client, "/guidance/ai-playbook-for-the-uk-government")
    assert 'href="/guidance/generative-ai-framework-for-hmg"' in new
    assert client.get("/guidance/no-such-thing").status_code == 404


def test_an_admin_publishes_through_the_form_and_the_team_is_told(
    client: TestClient, engine: Engine
) -> None:
    add_workforce(engine)
    key = a_draft(engine)
    sign_in(client, "b-admin", ("service_admin",))
    token = csrf_from(client, "/guidance/new")

    bad = client.post(
        "/guidance/new", data={**FORM, "url": "javascript:alert(1)", "csrf_token": token}
    )
    assert bad.status_code == 422
    assert "There is a problem" in bad.text
    assert 'href="#url"' in bad.text
    made = client.post("/guidance/new", data={**FORM, "csrf_token": token}, follow_redirects=False)
    assert made.status_code == 303
    assert made.headers["location"] == "/guidance/chatbot-testing"

    messages, total = messages_for(engine, development_sign_in(engine, "lead", []))
    assert total == 1
    assert messages[0].link == "/guidance/chatbot-testing"
    sign_in(client, "lead")
    record = accessible(client, f"/register/{key}")
    assert "Guidance for this project" in record
    assert 'href="/guidance/chatbot-testing"' in record

    sign_in(client, "b-admin", ("service_admin",))
    token = csrf_from(client, "/guidance/chatbot-testing/edit")
    changed = client.post(
        "/guidance/chatbot-testing/edit",
        data={**FORM, "title": "Testing chatbots", "csrf_token": token},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    assert get_guidance(engine, "chatbot-testing").title == "Testing chatbots"


def test_only_service_admins_reach_the_forms(client: TestClient, engine: Engine) -> None:
    add_workforce(engine)
    assert client.get("/guidance/new", follow_redirects=False).status_code in (303, 401)
    sign_in(client, "lead", ("organisation_admin",))
    assert client.get("/guidance/new").status_code == 403


def test_the_search_page_ranks_all_three_together_and_pages(
    client: TestClient, engine: Engine
) -> None:
    seed_guidance(engine)
    empty = accessible(client, "/search")
    assert "result" not in empty
    found = accessible(client, "/search?q=data+ethics+framework")
    assert found.index("Data Ethics Framework") < found.index("Algorithmic Transparency")
    only = accessible(client, "/search?q=ethics&kind=project")
    assert "Data Ethics Framework" not in only
    assert accessible(client, "/search?q=zzzzqqq").count("Nothing matches") == 1


def test_the_api_reads_searches_and_publishes(client: TestClient, engine: Engine) -> None:
    seed_guidance(engine)
    add_workforce(engine)
    items = client.get(f"{API}/guidance", params={"current": "true"}).json()
    assert "generative-ai-framework-for-hmg" not in [i["key"] for i in items]
    old = client.get(f"{API}/guidance/generative-ai-framework-for-hmg").json()
    assert old["superseded_by"]["key"] == "ai-playbook-for-the-uk-government"
    assert client.get(f"{API}/guidance/nope").status_code == 404

    first = client.get(f"{API}/site-search", params={"q": "AI data", "limit": 2}).json()
    assert first["total"] > 4
    assert len(first["items"]) == 2
    second = client.get(first["next"]).json()
    keys = [i["key"] for i in first["items"] + second["items"]]
    assert len(set(keys)) == len(keys)
    assert first["items"][0]["href"].startswith("http")
    assert client.get(f"{API}/site-search").status_code == 422
    assert client.get(f"{API}/site-search", params={"q": "x", "kind": "people"}).status_code == 422

    body = {k: v for k, v in FORM.items() if k not in ("supersedes", "topics")}
    headers = api_signed_in(client, "lead")
    assert api_post(client, "/guidance", headers, body).status_code == 403
    headers = api_signed_in(client, "b-admin", "service_admin")
    made = api_post(client, "/guidance", headers, body)
    assert made.status_code == 201
    assert made.json() == {"key": "chatbot-testing", "notified": 0}
    again = api_post(client, "/guidance", headers, body)
    assert again.status_code == 422
    replaced = client.put(
        f"{API}/guidance/guidelines-for-ai-procurement",
        json={**body, "title": "Buying AI", "supersedes": None},
        headers=headers,
    )
    assert replaced.status_code == 200
