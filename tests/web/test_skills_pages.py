"""Paste a CV, see the skills it suggests with their passages, confirm some: in the browser's
forms, without JavaScript. Change requests for admins."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from mobilise.services.skill_crosswalk import import_reviews, shipped_reviews_file
from mobilise.store.database import reading
from mobilise.store.models import SkillClaim, SkillRecord
from mobilise.web.app import create_app
from tests.support.skill_texts import CV, HOSTILE
from tests.support.word_documents import with_part, word_cv
from tests.support.workforce import Workforce, add_workforce
from tests.web.page_checks import assert_accessible_page
from tests.web.signing_in import csrf_from, sign_in


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    people = add_workforce(engine)
    import_reviews(engine, None, shipped_reviews_file())
    return people


@pytest.fixture
def client(engine: Engine, workforce: Workforce) -> Iterator[TestClient]:
    with TestClient(create_app(engine=engine)) as test_client:
        yield test_client


def _claims(engine: Engine, person_id: int) -> dict[str, tuple[str, int]]:
    with reading(engine) as session:
        rows = session.execute(
            select(SkillRecord.key, SkillClaim.status, SkillClaim.level)
            .join(SkillRecord, SkillRecord.id == SkillClaim.skill_id)
            .where(SkillClaim.person_id == person_id, SkillClaim.source == "inferred")
        ).all()
    return {key: (status, level) for key, status, level in rows}


def test_paste_see_the_passages_confirm_one_and_find_it_on_the_profile(
    client: TestClient, engine: Engine, workforce: Workforce
) -> None:
    sign_in(client, "analyst")
    token = csrf_from(client, "/me/skills/from-text")
    found = client.post("/me/skills/from-text", data={"text": CV, "csrf_token": token})
    assert found.status_code == 200, found.text
    assert_accessible_page(found.text)
    assert '<mark class="mobilise-span">- Handled personal data under data protection law' in (
        found.text
    )
    assert 'value="data-ethics-and-privacy"' in found.text

    saved = client.post(
        "/me/skills/from-text/confirm",
        data={
            "text": CV,
            "skill": ["data-ethics-and-privacy"],
            "level-data-ethics-and-privacy": "3",
            "keep": "none",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert _claims(engine, workforce.people["analyst"]) == {
        "data-ethics-and-privacy": ("active", 3)
    }
    profile = client.get(saved.headers["location"])
    assert "Data ethics and privacy" in profile.text
    assert "Inferred from your CV" in profile.text


def test_an_uploaded_text_file_is_read_and_a_bad_one_explained(client: TestClient) -> None:
    sign_in(client, "analyst")
    token = csrf_from(client, "/me/skills/from-text")
    good = client.post(
        "/me/skills/from-text",
        data={"csrf_token": token},
        files={"file": ("cv.txt", CV.encode(), "text/plain")},
    )
    latin = client.post(
        "/me/skills/from-text",
        data={"csrf_token": token},
        files={"file": ("cv.txt", "Développeuse Python".encode("latin-1"), "text/plain")},
    )
    empty = client.post("/me/skills/from-text", data={"text": "  ", "csrf_token": token})
    assert good.status_code == 200
    assert "Data ethics and privacy" in good.text
    assert latin.status_code == 422
    assert "is not UTF-8 text" in latin.text
    assert 'href="#text"' in latin.text
    assert empty.status_code == 422
    assert "is empty" in empty.text
    assert_accessible_page(empty.text)


def test_hostile_text_is_shown_escaped_and_never_runs(client: TestClient) -> None:
    sign_in(client, "analyst")
    token = csrf_from(client, "/me/skills/from-text")
    text = CV + HOSTILE  # a CV that suggests skills, so the text is carried in the form
    page = client.post("/me/skills/from-text", data={"text": text, "csrf_token": token})
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;" in page.text


def test_the_form_needs_its_csrf_token_and_a_session(client: TestClient) -> None:
    assert client.get("/me/skills/from-text", follow_redirects=False).status_code == 303
    sign_in(client, "analyst")
    refused = client.post("/me/skills/from-text", data={"text": CV})
    assert refused.status_code == 403


def test_change_requests_page_for_admins_with_decisions_for_owners(
    client: TestClient, engine: Engine
) -> None:
    sign_in(client, "analyst")
    token = csrf_from(client, "/me/skills/from-text")
    client.post(
        "/me/skills/from-text/confirm", data={"text": CV, "keep": "rest", "csrf_token": token}
    )
    assert client.get("/skills/change-requests").status_code == 403

    sign_in(client, "b-admin", ("organisation_admin",))
    listed = client.get("/skills/change-requests")
    assert listed.status_code == 200
    assert_accessible_page(listed.text)
    assert 'action="/skills/change-requests/' not in listed.text  # admins read; owners decide

    sign_in(client, "boss", ("service_admin",))
    page = client.get("/skills/change-requests")
    first = re.search(r'action="/skills/change-requests/(\d+)"', page.text)
    assert first is not None
    token = csrf_from(client, "/skills/change-requests")
    decided = client.post(
        f"/skills/change-requests/{first.group(1)}",
        data={"decision": "decline", "note": "not digital", "csrf_token": token},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    declined = client.get("/skills/change-requests?status=declined")
    assert "not digital" in declined.text


def test_framework_owners_review_the_crosswalk_and_others_cannot(client: TestClient) -> None:
    sign_in(client, "b-admin", ("organisation_admin",))
    assert client.get("/skills/crosswalk").status_code == 403

    sign_in(client, "boss", ("service_admin",))
    page = client.get("/skills/crosswalk", params={"skill": "accessibility"})
    assert page.status_code == 200
    assert_accessible_page(page.text)
    assert "ICT accessibility standards" in page.text
    entry = re.search(r'action="/skills/crosswalk/(\d+)"', page.text)
    assert entry is not None
    token = csrf_from(client, "/skills/crosswalk")
    reviewed = client.post(
        f"/skills/crosswalk/{entry.group(1)}",
        data={"decision": "reject", "csrf_token": token},
        follow_redirects=False,
    )
    assert reviewed.status_code == 303
    after = client.get("/skills/crosswalk", params={"skill": "accessibility"})
    assert "Rejected" in after.text
    missing = client.post(
        "/skills/crosswalk/999999", data={"decision": "reject", "csrf_token": token}
    )
    assert missing.status_code == 404


def test_a_word_document_is_read_and_a_hostile_one_explained(client: TestClient) -> None:
    sign_in(client, "analyst")
    token = csrf_from(client, "/me/skills/from-text")
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    good = client.post(
        "/me/skills/from-text",
        data={"csrf_token": token},
        files={"file": ("cv.docx", word_cv(CV.splitlines()), docx)},
    )
    assert good.status_code == 200
    assert "Data ethics and privacy" in good.text
    macros = client.post(
        "/me/skills/from-text",
        data={"csrf_token": token},
        files={
            "file": ("cv.docx", with_part(word_cv(["Python"]), "word/vbaProject.bin", b"x"), docx)
        },
    )
    assert macros.status_code == 422
    assert "contains macros" in macros.text
    assert_accessible_page(macros.text)
    broken = client.post(
        "/me/skills/from-text",
        data={"csrf_token": token},
        files={"file": ("cv.docx", b"PK\x03\x04 broken", docx)},
    )
    assert broken.status_code == 422
    assert "may be damaged" in broken.text
