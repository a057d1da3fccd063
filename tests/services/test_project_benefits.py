"""Benefits and savings claimed by register projects: recorded with evidence, audited, checked,
kept to the project's team while a draft, and summed per organisation once published."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, select

from mobilise.core.problems import InvalidInput
from mobilise.services.accounts import development_sign_in
from mobilise.services.catalogue import UnknownKey
from mobilise.services.project_benefits import (
    BenefitClaim,
    benefits_by_organisation,
    project_benefits,
    record_benefit,
)
from mobilise.store.database import reading, transaction
from mobilise.store.models import AIProject, AuditEvent, ProjectBenefit
from tests.support.register_projects import a_draft_project
from tests.support.workforce import add_workforce

CLAIM = BenefitClaim(
    "cash_saving",
    1_250_000_00,
    date(2025, 4, 1),
    date(2026, 3, 31),
    "Fewer calls to the contact centre, from its monthly reports.",
    "https://example.gov.uk/report",
)


@pytest.fixture
def project(engine: Engine) -> str:
    add_workforce(engine)
    return a_draft_project(engine)


def test_the_team_records_claims_that_are_audited_and_summed_once_published(
    engine: Engine, project: str
) -> None:
    lead = development_sign_in(engine, "lead", [])
    stranger = development_sign_in(engine, "stranger", [])
    record_benefit(engine, lead, project, CLAIM)
    record_benefit(
        engine,
        lead,
        project,
        BenefitClaim("time_saving", 40_000_00, date(2025, 4, 1), date(2025, 9, 30), "Timesheets."),
    )
    # Latest period first; the later record first within a period.
    assert [b.claim.kind for b in project_benefits(engine, lead, project)] == [
        "time_saving",
        "cash_saving",
    ]
    with reading(engine) as session:
        events = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_key == project)
        ).all()
    assert events.count("project.benefit_recorded") == 2
    # A draft's claims are its team's business, and only its team records them.
    with pytest.raises(UnknownKey):
        project_benefits(engine, stranger, project)
    with pytest.raises(UnknownKey):
        record_benefit(engine, stranger, project, CLAIM)
    assert benefits_by_organisation(engine) == []

    with transaction(engine) as session:
        row = session.scalars(select(AIProject).where(AIProject.key == project)).one()
        row.status = "published"
    (summed,) = benefits_by_organisation(engine)
    assert summed.total_pence == 1_250_000_00 + 40_000_00
    assert summed.claims == 2
    assert summed.projects == 1
    assert summed.by_kind == {"cash_saving": 1_250_000_00, "time_saving": 40_000_00}
    assert len(project_benefits(engine, stranger, project)) == 2


@pytest.mark.parametrize(
    ("claim", "column"),
    [
        (BenefitClaim("windfall", 1, date(2025, 1, 1), date(2025, 1, 2), "x"), "kind"),
        (BenefitClaim("income", 0, date(2025, 1, 1), date(2025, 1, 2), "x"), "amount_pence"),
        (BenefitClaim("income", 5, date(2025, 2, 1), date(2025, 1, 2), "x"), "period_end"),
        (BenefitClaim("income", 5, date(2025, 1, 1), date(2025, 1, 2), " "), "evidence"),
        (
            BenefitClaim("income", 5, date(2025, 1, 1), date(2025, 1, 2), "", "ftp://x"),
            "evidence_url",
        ),
    ],
)
def test_a_bad_claim_names_what_is_wrong_and_changes_nothing(
    engine: Engine, project: str, claim: BenefitClaim, column: str
) -> None:
    lead = development_sign_in(engine, "lead", [])
    with pytest.raises(InvalidInput) as refused:
        record_benefit(engine, lead, project, claim)
    assert [p.column for p in refused.value.problems] == [column]
    with reading(engine) as session:
        assert session.scalars(select(ProjectBenefit)).all() == []
