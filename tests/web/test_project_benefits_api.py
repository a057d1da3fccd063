"""The benefits API: a project's team records a claim with evidence; bad input is a 422 naming
the field; others cannot see a draft's claims."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.support.register_projects import a_draft_project
from tests.support.workforce import add_workforce
from tests.web.journeys import api_signed_in

CLAIM = {
    "kind": "cash_saving",
    "amount_pence": 500_000_00,
    "period_start": "2025-04-01",
    "period_end": "2026-03-31",
    "evidence": "Finance team's monthly reports.",
    "evidence_url": "https://example.gov.uk/report",
}


def test_the_team_records_and_reads_claims_others_cannot(
    client: TestClient, engine: Engine
) -> None:
    add_workforce(engine)
    key = a_draft_project(engine)
    headers = api_signed_in(client, "lead")
    made = client.post(f"/api/v1/register/{key}/benefits", json=CLAIM, headers=headers)
    assert made.status_code == 201, made.text
    (listed,) = client.get(f"/api/v1/register/{key}/benefits").json()
    assert listed["amount_pence"] == 500_000_00
    assert listed["evidence_url"] == CLAIM["evidence_url"]
    refused = client.post(
        f"/api/v1/register/{key}/benefits", json=CLAIM | {"amount_pence": -5}, headers=headers
    )
    assert refused.status_code == 422
    assert "amount_pence" in refused.text
    # A draft's claims are not summed for anyone, nor visible outside its organisation.
    assert client.get("/api/v1/benefits").json() == []
    api_signed_in(client, "stranger")
    assert client.get(f"/api/v1/register/{key}/benefits").status_code == 404
