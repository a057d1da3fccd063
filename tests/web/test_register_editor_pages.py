"""Registering a project in the pages, the ATRS editor's task list and sections, the preview,
publishing, and the data-ethics self-assessment; drafts hidden from other organisations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from mobilise.services.register import atrs_standard
from mobilise.services.register_transfer import import_register
from mobilise.store.database import reading
from mobilise.store.models import AuditEvent, SkillRecord
from mobilise.web.app import create_app
from mobilise.web.pages.register_editor import field_control
from tests.support.atrs_answers import complete_answers
from tests.support.workforce import add_workforce
from tests.web.signing_in import csrf_from, sign_in

SCRIPT = "<script>alert('editor')</script>"
DETAILS = {
    "title": "Parking permit chatbot",
    "kind": "project",
    "phase": "beta-pilot",
    "description": "A webchat chatbot answers residents' questions about parking permits and "
    "renewals, and hands over to an adviser.",
    "users": "Residents",
    "team": "Digital parking",
    "skills": "",
    "links": "Repository | https://github.com/example/parking",
}


@pytest.fixture
def app(engine: Engine) -> Any:
    import_register(engine)  # first: it adds the default organisations to an empty store
    add_workforce(engine)
    return create_app(engine=engine)


@pytest.fixture
def lead(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as client:
        sign_in(client, "lead")
        yield client


def post(client: TestClient, path: str, data: dict[str, Any], form: str | None = None) -> Any:
    token = csrf_from(client, form or path)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def register(client: TestClient, **changes: str) -> str:
    response = post(client, "/register/new", {**DETAILS, **changes, "action": "register"})
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    assert location.endswith("/edit")
    return location.split("/")[2]


def form_data(answers: dict[str, Any]) -> dict[str, Any]:
    """A section's answers as its page posts them: free lists one a line, ticked boxes each."""
    data: dict[str, Any] = {"completed": "yes"}
    for field, value in answers.items():
        spec = atrs_standard().field(field)
        assert spec is not None
        lines = isinstance(value, list) and field_control(spec) == "lines"
        data[field] = "\n".join(value) if lines else value
    return data


def error_links(page: str) -> list[str]:
    summary = page[page.index("govuk-error-summary") :]
    return re.findall(r'<a href="#([^"]+)"', summary)


def test_registering_shows_the_most_similar_projects_first_and_stores_nothing_until_confirmed(
    lead: TestClient, engine: Engine
) -> None:
    checked = post(lead, "/register/new", {**DETAILS, "action": "check"})

    assert checked.status_code == 200
    similar = re.findall(r'<a class="govuk-link" href="/register/([a-z0-9-]+)"', checked.text)
    assert len(similar) == 5
    assert "Why: they share" in checked.text
    # Nothing is registered yet: the details ride along in hidden fields.
    assert 'type="hidden" name="title" value="Parking permit chatbot"' in checked.text
    assert "Parking permit chatbot" not in lead.get("/register").text.split("<main")[1]
    key = register(lead)
    assert key == "dept-a-parking-permit-chatbot"


def test_bad_details_come_back_with_a_summary_linking_to_each_field(lead: TestClient) -> None:
    response = post(
        lead,
        "/register/new",
        {**DETAILS, "title": "", "links": "Site | javascript:alert(1)", "skills": "nope, guru"},
    )

    assert response.status_code == 422
    assert error_links(response.text) == ["title", "skills", "links"]


def test_a_draft_is_404_to_other_organisations_and_to_visitors(app: Any, lead: TestClient) -> None:
    key = register(lead)
    assert lead.get(f"/register/{key}").status_code == 200
    assert "Draft" in lead.get(f"/register/{key}").text

    with TestClient(app) as visitor:
        assert visitor.get(f"/register/{key}").status_code == 404
        asked = visitor.get(f"/register/{key}/edit", follow_redirects=False)
        assert asked.status_code == 303
        assert asked.headers["location"].startswith("/sign-in?")
    with TestClient(app) as stranger:
        sign_in(stranger, "stranger")
        for path in ("", "/edit", "/edit/summary", "/preview", "/ethics", "/edit/details"):
            assert stranger.get(f"/register/{key}{path}").status_code == 404, path
        assert key not in stranger.get("/register").text


def test_a_section_saves_validates_each_field_and_shows_script_as_text(
    lead: TestClient, engine: Engine
) -> None:
    key = register(lead)
    path = f"/register/{key}/edit/summary"

    bad = post(
        lead,
        path,
        {
            "name": "Chatbot",
            "description": "x",
            "website_url": "javascript:alert(1)",
            "contact_email": "nobody",
            "completed": "yes",
        },
    )
    assert bad.status_code == 422
    assert error_links(bad.text) == ["website_url", "contact_email"]
    assert 'value="javascript:alert(1)"' in bad.text  # kept to correct
    too_long = post(lead, path, {"name": "Chatbot", "description": "x" * 20_001})
    assert too_long.status_code == 422
    assert "at most 20,000 characters" in too_long.text

    incomplete = post(lead, path, {"name": "Chatbot", "description": SCRIPT, "completed": "yes"})
    assert incomplete.status_code == 422
    assert error_links(incomplete.text) == ["contact_email"]
    task_list = lead.get(f"/register/{key}/edit").text
    assert "Still needs: Contact email" in task_list

    done = post(
        lead,
        path,
        {
            "name": "Chatbot",
            "description": SCRIPT,
            "contact_email": "p@a.gov.uk",
            "completed": "yes",
        },
    )
    assert done.status_code == 303
    page = lead.get(f"/register/{key}/edit").text
    summary_row = page[page.index('id="section-summary-status"') :][:80]
    assert "Completed" in summary_row
    for shown in (lead.get(f"/register/{key}").text, lead.get(f"/register/{key}/preview").text):
        assert SCRIPT not in shown
        assert "&lt;script&gt;alert(&#39;editor&#39;)&lt;/script&gt;" in shown
    with reading(engine) as session:
        saved = session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_key == key, AuditEvent.action == "register.section_saved"
            )
        ).all()
    assert len(saved) == 2  # the refused submit changed nothing


def test_publishing_is_refused_naming_the_missing_fields_then_the_record_is_public(
    app: Any, lead: TestClient
) -> None:
    key = register(lead)

    refused = post(lead, f"/register/{key}/publish", {}, form=f"/register/{key}/edit")
    assert refused.status_code == 422
    assert error_links(refused.text) == ["publish"]
    assert "Contact email" in refused.text
    assert "Senior responsible owner" in refused.text

    answers = complete_answers()
    answers["metadata"]["title"] = answers["summary"]["name"] = DETAILS["title"]
    answers["summary"]["description"] = DETAILS["description"]
    for slug, values in answers.items():
        response = post(lead, f"/register/{key}/edit/{slug}", form_data(values))
        assert response.status_code == 303, (slug, error_links(response.text))
    page = lead.get(f"/register/{key}/edit").text
    assert "Every required field is answered" in page
    assert page.count("Completed") == len(answers)
    preview = lead.get(f"/register/{key}/preview")
    assert "This is how the record will look once published" in preview.text

    published = post(lead, f"/register/{key}/publish", {}, form=f"/register/{key}/edit")
    assert published.status_code == 303
    with TestClient(app) as visitor:
        public = visitor.get(f"/register/{key}")
        assert public.status_code == 200
        assert "Draft" not in public.text
        assert '<a class="govuk-link" href="https://github.com/example/parking"' in public.text
        assert key in visitor.get("/register", params={"q": "parking permit"}).text


def test_the_ethics_assessment_saves_and_the_task_list_shows_what_is_missing(
    lead: TestClient,
) -> None:
    key = register(lead)
    path = f"/register/{key}/ethics"

    bad = post(lead, path, {"transparency.diverse-expertise.score": "9"})
    assert bad.status_code == 422
    assert error_links(bad.text) == ["transparency-diverse-expertise-score"]

    saved = post(
        lead,
        path,
        {
            "transparency.public-benefit-and-user-need.score": "3",
            "transparency.public-benefit-and-user-need.notes": "User research with residents.",
            "fairness.data-quality-and-limitations.score": "1",
        },
    )
    assert saved.status_code == 303
    page = lead.get(f"/register/{key}/edit").text
    assert "1 of 15 answered" in page
    assert "Fairness in data quality and limitations: notes" in page
    assert "1 answer needs action" in page
    again = lead.get(path).text
    assert "User research with residents." in again


def test_details_change_after_registering(lead: TestClient, engine: Engine) -> None:
    key = register(lead)
    with reading(engine) as session:
        skill = session.scalars(select(SkillRecord.key).limit(1)).one()

    response = post(
        lead,
        f"/register/{key}/edit/details",
        {
            "kind": "challenge",
            "users": "Staff",
            "team": "",
            "skills": f"{skill}, expert",
            "links": "",
        },
    )

    assert response.status_code == 303
    page = lead.get(f"/register/{key}/edit").text
    assert "Challenge" in page
    assert ": expert" in page
