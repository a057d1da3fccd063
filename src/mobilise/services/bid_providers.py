"""TechTrack bids name a training provider per role: each bid is an apprenticeship opportunity
for one role, and its owners name the organisation that will train its apprentices. The
provider's programme admins see the bids that name them (no applicants: those stay with the
owners)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor, Role
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.opportunities import find_opportunity, owns_organisation
from mobilise.store.database import reading, transaction
from mobilise.store.models import BidProvider, Opportunity, Organisation


@dataclass(frozen=True)
class ProvidedBid:
    key: str
    title: str
    role: str | None
    owner_name: str
    capacity: int


def name_bid_provider(
    engine: Engine, actor: Actor, opportunity_key: str, provider_key: str | None
) -> None:
    """The bid's owners name its training provider (None: no provider), audited."""
    key = (provider_key or "").strip() or None
    with transaction(engine) as session:
        opportunity, _ = find_opportunity(session, opportunity_key)
        if not owns_organisation(actor, opportunity.organisation_id):
            raise NotPermitted("only the bid's owners may name its training provider")
        provider_id = None
        if key is not None:
            provider_id = session.scalar(select(Organisation.id).where(Organisation.key == key))
            if provider_id is None:
                raise InvalidInput(
                    [
                        Problem(
                            f"provider of {opportunity_key}",
                            None,
                            "provider",
                            key,
                            "is not an organisation key",
                        )
                    ]
                )
        named = session.get(BidProvider, opportunity.id)
        before = None
        if named is not None:
            before = session.scalar(
                select(Organisation.key).where(Organisation.id == named.provider_id)
            )
            session.delete(named)
            session.flush()
        if provider_id is not None:
            session.add(BidProvider(opportunity_id=opportunity.id, provider_id=provider_id))
        record_event(
            session,
            actor,
            "opportunity.provider_named",
            entity_type="opportunity",
            entity_key=opportunity.key,
            organisation_id=opportunity.organisation_id,
            before={"provider": before},
            after={"provider": key},
        )


def bids_provided(engine: Engine, actor: Actor) -> list[ProvidedBid]:
    """The bids that name one of the actor's organisations (where they are a programme admin)
    as their training provider, by title."""
    delivering = actor.organisations_where(Role.PROGRAMME_ADMIN)
    if not delivering:
        return []
    with reading(engine) as session:
        rows = session.execute(
            select(Opportunity, Organisation.name)
            .join(BidProvider, BidProvider.opportunity_id == Opportunity.id)
            .join(Organisation, Organisation.id == Opportunity.organisation_id)
            .where(BidProvider.provider_id.in_(delivering))
            .order_by(Opportunity.title, Opportunity.key)
        ).all()
        return [ProvidedBid(o.key, o.title, o.role, owner, o.capacity) for o, owner in rows]
