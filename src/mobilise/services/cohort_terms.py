"""A cohort's terms: whether people outside government may apply, which organisation delivers
it (a training provider) and who pays for it (the apprenticeship levy, a department's budget, …).

A cohort with no terms recorded is open only to people in an organisation: outsiders apply to a
cohort its programme admins have opened to them. With no line manager an outsider's application
skips the release step and goes straight to the panel (core/programmes `initial_state`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor
from mobilise.services.audit import record_event
from mobilise.services.programmes import find_cohort, require_owner
from mobilise.store.database import reading, transaction
from mobilise.store.models import Cohort, CohortTerms, Organisation, Person
from mobilise.store.models.people_beyond import FUNDING_SOURCES

FUNDING_LABELS = {
    "apprenticeship_levy": "Apprenticeship levy",
    "department_budget": "Department budget",
    "central_funding": "Central funding",
    "self_funded": "Self-funded",
}
CLOSED_TO_OUTSIDERS = "the cohort is open only to people who work in an organisation"


@dataclass(frozen=True)
class TermsView:
    cohort_key: str
    open_to_outsiders: bool
    provider_key: str | None
    provider_name: str | None
    funding_source: str | None


def outsider_reasons(session: Session, cohort: Cohort, person: Person) -> list[str]:
    """Why a person may not apply to the cohort for being outside government (empty: they may)."""
    if person.organisation_id is not None:
        return []
    terms = session.get(CohortTerms, cohort.id)
    return [] if terms is not None and terms.open_to_outsiders else [CLOSED_TO_OUTSIDERS]


def _view(session: Session, cohort: Cohort) -> TermsView:
    terms = session.get(CohortTerms, cohort.id)
    provider = None
    if terms is not None and terms.provider_id is not None:
        provider = session.get(Organisation, terms.provider_id)
    return TermsView(
        cohort_key=cohort.key,
        open_to_outsiders=bool(terms and terms.open_to_outsiders),
        provider_key=provider.key if provider else None,
        provider_name=provider.name if provider else None,
        funding_source=terms.funding_source if terms else None,
    )


def cohort_terms(engine: Engine, cohort_key: str) -> TermsView:
    """The cohort's terms (public, as the cohort is)."""
    with reading(engine) as session:
        cohort, _ = find_cohort(session, cohort_key)
        return _view(session, cohort)


def set_cohort_terms(
    engine: Engine,
    actor: Actor,
    cohort_key: str,
    *,
    open_to_outsiders: bool,
    provider_key: str | None,
    funding_source: str | None,
) -> TermsView:
    """Set the cohort's terms (its programme's admins); bad keys change nothing and are named."""
    source = f"terms of {cohort_key}"
    provider_key = (provider_key or "").strip() or None
    funding_source = (funding_source or "").strip() or None
    problems: list[Problem] = []
    if funding_source is not None and funding_source not in FUNDING_SOURCES:
        problems.append(
            Problem(
                source,
                None,
                "funding_source",
                funding_source,
                "is not one of " + ", ".join(FUNDING_SOURCES),
            )
        )
    with transaction(engine) as session:
        cohort, programme = find_cohort(session, cohort_key)
        require_owner(actor, programme)
        provider_id = None
        if provider_key is not None:
            provider_id = session.scalar(
                select(Organisation.id).where(Organisation.key == provider_key)
            )
            if provider_id is None:
                problems.append(
                    Problem(source, None, "provider", provider_key, "is not an organisation key")
                )
        if problems:
            raise InvalidInput(problems)
        before = _view(session, cohort)
        terms = session.get(CohortTerms, cohort.id)
        if terms is None:
            terms = CohortTerms(cohort_id=cohort.id)
            session.add(terms)
        terms.open_to_outsiders = open_to_outsiders
        terms.provider_id = provider_id
        terms.funding_source = funding_source
        session.flush()
        after = _view(session, cohort)
        record_event(
            session,
            actor,
            "cohort.terms_set",
            entity_type="cohort",
            entity_key=cohort.key,
            organisation_id=programme.organisation_id,
            before={
                "open_to_outsiders": before.open_to_outsiders,
                "provider": before.provider_key,
                "funding_source": before.funding_source,
            },
            after={
                "open_to_outsiders": after.open_to_outsiders,
                "provider": after.provider_key,
                "funding_source": after.funding_source,
            },
        )
        return after
