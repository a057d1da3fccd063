"""The benefits pages: the team records a claim through the form (errors first, nothing
changed), others see a draft's page as not found, and the organisation sums page."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.support.register_projects import a_draft_project
from tests.support.workforce import add_workforce
from tests.web.journeys import accessible, post_form, signed_in
from tests.web.page_checks import assert_accessible_page


def test_the_team_records_a_claim_in_the_form(client: TestClient, engine: Engine) -> None:
    add_workforce(engine)
    key = a_draft_project(engine)
    path = f"/register/{key}/benefits"
    signed_in(client, "lead")
    assert "No benefits or savings claimed yet" in accessible(client, path)
    form: dict[str, object] = {
        "kind": "cash_saving",
        "amount": "12,500.50",
        "period_start": "2025-04-01",
        "period_end": "2025-03-01",
        "evidence": "",
        "evidence_url": "",
    }
    refused = post_form(client, path, path, form)
    assert refused.status_code == 422
    assert_accessible_page(refused.text)
    assert "must not be before period_start" in refused.text
    assert "give the evidence as a text, a link or both" in refused.text
    assert "No benefits or savings claimed yet" in refused.text
    sent = post_form(
        client, path, path, form | {"period_end": "2026-03-31", "evidence": "Finance reports."}
    )
    assert sent.status_code == 303
    page = accessible(client, path)
    assert "£12,500.50" in page
    assert "Finance reports." in page
    assert "No published project" in accessible(client, "/benefits")
    signed_in(client, "stranger")
    accessible(client, path, 404)
