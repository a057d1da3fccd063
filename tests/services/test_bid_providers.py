"""A bid's owners name its training provider; the provider's admins see the bids naming them;
others may not name one and an unknown provider changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services.actors import Role
from mobilise.services.audit import NotPermitted
from mobilise.services.bid_providers import bids_provided, name_bid_provider
from mobilise.store.database import reading
from mobilise.store.models import BidProvider
from tests.support.marketplace import add_marketplace


def test_owners_name_a_provider_that_then_sees_the_bid(engine: Engine) -> None:
    setup = add_marketplace(engine)
    owner = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    provider = setup.actor(engine, "b-admin", Role.PROGRAMME_ADMIN)
    with pytest.raises(NotPermitted):
        name_bid_provider(engine, provider, "gds-secondment", "agency-b")
    with pytest.raises(InvalidInput):
        name_bid_provider(engine, owner, "gds-secondment", "no-such-org")
    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(BidProvider)) == 0
    name_bid_provider(engine, owner, "gds-secondment", "agency-b")
    assert [b.key for b in bids_provided(engine, provider)] == ["gds-secondment"]
    assert bids_provided(engine, setup.actor(engine, "stranger")) == []
    name_bid_provider(engine, owner, "gds-secondment", None)
    assert bids_provided(engine, provider) == []
