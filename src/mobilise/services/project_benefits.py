"""Benefits and savings claimed by AI projects in the register, recorded with their evidence and
summed per organisation.

A project's team (members of its organisation, or an operator) records a claim: an amount of a
kind over a period, with evidence as a link, a text or both. Each claim is audited. Claims are
what the teams say, not audited figures: the sums say so wherever they are shown. Anyone signed
in may read the claims of published projects; a draft's claims are its team's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlparse

from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor
from mobilise.services.audit import record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.register_editing import may_change, team_project_row
from mobilise.store.database import reading, transaction
from mobilise.store.models import AIProject, Organisation, ProjectBenefit
from mobilise.store.models.impact import BENEFIT_KINDS

SOURCE = "benefit"
KIND_LABELS = {
    "cash_saving": "Cash saving",
    "time_saving": "Time saved (valued)",
    "cost_avoidance": "Cost avoided",
    "income": "Income",
    "other": "Other benefit",
}
MAX_PENCE = 10**14  # £1 trillion: anything larger is a typing mistake
MAX_EVIDENCE = 5000


@dataclass(frozen=True)
class BenefitClaim:
    kind: str
    amount_pence: int
    period_start: date
    period_end: date
    evidence: str = ""
    evidence_url: str | None = None


@dataclass(frozen=True)
class RecordedBenefit:
    id: int
    claim: BenefitClaim
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class OrganisationBenefits:
    organisation_key: str
    organisation_name: str
    projects: int
    claims: int
    total_pence: int
    by_kind: dict[str, int]


def check_claim(claim: BenefitClaim) -> None:
    problems: list[Problem] = []

    def bad(column: str, value: object, rule: str) -> None:
        problems.append(Problem(SOURCE, None, column, str(value), rule))

    if claim.kind not in BENEFIT_KINDS:
        bad("kind", claim.kind, f"must be one of {', '.join(BENEFIT_KINDS)}")
    if not 0 < claim.amount_pence <= MAX_PENCE:
        bad("amount_pence", claim.amount_pence, f"must be from 1 to {MAX_PENCE}")
    if claim.period_end < claim.period_start:
        bad("period_end", claim.period_end.isoformat(), "must not be before period_start")
    url = (claim.evidence_url or "").strip()
    if url:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 1000:
            bad("evidence_url", url, "must be an http(s) link of at most 1000 characters")
    if len(claim.evidence) > MAX_EVIDENCE:
        bad("evidence", f"{len(claim.evidence)} characters", f"must be at most {MAX_EVIDENCE}")
    if not claim.evidence.strip() and not url:
        bad("evidence", "", "give the evidence as a text, a link or both")
    if problems:
        raise InvalidInput(problems)


def record_benefit(engine: Engine, actor: Actor, project_key: str, claim: BenefitClaim) -> int:
    """Record a claim on a project of the actor's organisation; returns its id."""
    check_claim(claim)
    with transaction(engine) as session:
        project = team_project_row(session, actor, project_key)
        row = ProjectBenefit(
            project_id=project.id,
            kind=claim.kind,
            amount_pence=claim.amount_pence,
            period_start=claim.period_start,
            period_end=claim.period_end,
            evidence=claim.evidence.strip(),
            evidence_url=(claim.evidence_url or "").strip() or None,
            recorded_by=actor.display_name,
            recorded_at=datetime.now(UTC),
        )
        session.add(row)
        session.flush()
        record_event(
            session,
            actor,
            "project.benefit_recorded",
            entity_type="ai_project",
            entity_key=project.key,
            organisation_id=project.organisation_id,
            after={
                "benefit": row.id,
                "kind": claim.kind,
                "amount_pence": claim.amount_pence,
                "period": [claim.period_start.isoformat(), claim.period_end.isoformat()],
                "evidence_url": row.evidence_url,
            },
        )
        return row.id


def project_benefits(engine: Engine, actor: Actor, project_key: str) -> list[RecordedBenefit]:
    """A project's claims, newest first: any published project's, or a draft for its team."""
    with reading(engine) as session:
        project = session.scalar(select(AIProject).where(AIProject.key == project_key))
        if project is None or (
            project.status != "published" and not may_change(actor, project.organisation_id)
        ):
            raise UnknownKey("AI project", project_key)
        rows = session.scalars(
            select(ProjectBenefit)
            .where(ProjectBenefit.project_id == project.id)
            .order_by(ProjectBenefit.period_start.desc(), ProjectBenefit.id.desc())
        ).all()
        return [
            RecordedBenefit(
                r.id,
                BenefitClaim(
                    r.kind, r.amount_pence, r.period_start, r.period_end, r.evidence, r.evidence_url
                ),
                r.recorded_by,
                r.recorded_at,
            )
            for r in rows
        ]


def benefits_by_organisation(engine: Engine) -> list[OrganisationBenefits]:
    """Claimed benefits of published projects summed per organisation, largest first."""
    with reading(engine) as session:
        rows = session.execute(
            select(
                Organisation.key,
                Organisation.name,
                ProjectBenefit.kind,
                func.count(func.distinct(ProjectBenefit.project_id)),
                func.count(ProjectBenefit.id),
                func.sum(ProjectBenefit.amount_pence),
            )
            .join(AIProject, AIProject.id == ProjectBenefit.project_id)
            .join(Organisation, Organisation.id == AIProject.organisation_id)
            .where(AIProject.status == "published")
            .group_by(Organisation.key, Organisation.name, ProjectBenefit.kind)
        ).all()
        projects = dict(
            session.execute(
                select(Organisation.key, func.count(func.distinct(ProjectBenefit.project_id)))
                .join(AIProject, AIProject.organisation_id == Organisation.id)
                .join(ProjectBenefit, ProjectBenefit.project_id == AIProject.id)
                .where(AIProject.status == "published")
                .group_by(Organisation.key)
            ).all()
        )
    totals: dict[str, OrganisationBenefits] = {}
    for key, name, kind, _, claims, pence in rows:
        found = totals.get(key) or OrganisationBenefits(key, name, int(projects[key]), 0, 0, {})
        found.by_kind[kind] = int(pence)
        totals[key] = OrganisationBenefits(
            key,
            name,
            found.projects,
            found.claims + int(claims),
            found.total_pence + int(pence),
            found.by_kind,
        )
    return sorted(totals.values(), key=lambda o: (-o.total_pence, o.organisation_key))


def benefits_project(engine: Engine, actor: Actor, project_key: str) -> tuple[str, bool]:
    """The project's title and whether the actor may record its claims; UnknownKey if the
    actor may not see it (as project_benefits)."""
    with reading(engine) as session:
        project = session.scalar(select(AIProject).where(AIProject.key == project_key))
        mine = project is not None and may_change(actor, project.organisation_id)
        if project is None or (project.status != "published" and not mine):
            raise UnknownKey("AI project", project_key)
        return project.title, mine
