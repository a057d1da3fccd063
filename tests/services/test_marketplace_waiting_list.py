"""The marketplace's waiting list: an applicant the run placed nowhere waits, in the order of the
opportunity's ranking in the stored run; a declined offer goes to the first waiting in the same
transaction (nothing is re-run, they are told); accepting a place takes a person off the round's
other lists; starting the round ends them."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.programmes import ApplicationState, CohortAction
from mobilise.services.actors import Role
from mobilise.services.marketplace_applications import act, apply, get_application
from mobilise.services.marketplace_rounds import change_round
from mobilise.services.marketplace_waiting_list import waiting_positions
from mobilise.services.outbox import messages_for
from mobilise.services.round_allocation import allocate_round
from mobilise.store.database import reading
from mobilise.store.models import AllocationRunRecord
from tests.support.marketplace import ROUND, MarketplaceSetup, add_marketplace

S = ApplicationState


@pytest.fixture
def setup(engine: Engine) -> MarketplaceSetup:
    return add_marketplace(engine)


def _allocated(engine: Engine, setup: MarketplaceSetup) -> tuple[str, str, str]:
    """The analyst (full fit) and outsider (0.4) apply for the loan's one place; the analyst also
    for the firm's placement."""
    analyst, outsider = setup.actor(engine, "analyst"), setup.actor(engine, "outsider")
    loan = apply(engine, analyst, "data-loan", "Pipelines.", ["skills"], consent=True)
    second = apply(engine, analyst, "firm-placement", "Products.", [], consent=False)
    rival = apply(engine, outsider, "data-loan", "Me too.", ["skills"], consent=True)
    lead = setup.actor(engine, "lead")
    act(engine, lead, loan, "release")
    act(engine, lead, second, "release")
    runner = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    change_round(engine, runner, ROUND, CohortAction.CLOSE)
    outcome = allocate_round(engine, runner, ROUND)
    assert outcome.offered == [loan]
    assert outcome.waiting == [rival]
    return loan, second, rival


def test_a_declined_offer_goes_to_the_first_waiting_without_a_new_run(
    engine: Engine, setup: MarketplaceSetup
) -> None:
    loan, _, rival = _allocated(engine, setup)
    outsider = setup.actor(engine, "outsider")
    waiting = get_application(engine, outsider, rival)
    assert waiting.summary.state is S.WAITING_LIST
    assert "Number 1" in waiting.reason
    with reading(engine) as session:
        runs = session.scalar(select(func.count(AllocationRunRecord.id)))

    act(engine, setup.actor(engine, "analyst"), loan, "decline")

    assert get_application(engine, outsider, rival).summary.state is S.OFFERED
    messages, _ = messages_for(engine, outsider)
    assert messages[0].subject.startswith("You are offered a place")
    with reading(engine) as session:
        assert session.scalar(select(func.count(AllocationRunRecord.id))) == runs
    # The place is taken again: declining that offer leaves nobody else to offer it to.
    act(engine, outsider, rival, "decline")
    assert get_application(engine, outsider, rival).summary.state is S.DECLINED


def test_accepting_keeps_the_place_and_starting_ends_the_waiting_list(
    engine: Engine, setup: MarketplaceSetup
) -> None:
    loan, _, rival = _allocated(engine, setup)
    act(engine, setup.actor(engine, "analyst"), loan, "accept")
    outsider = setup.actor(engine, "outsider")
    assert get_application(engine, outsider, rival).summary.state is S.WAITING_LIST
    change_round(
        engine, setup.actor(engine, "admin", Role.PROGRAMME_ADMIN), ROUND, CohortAction.START
    )
    ended = get_application(engine, outsider, rival).summary
    assert ended.state is S.NOT_SELECTED
    assert "started before a place came free" in get_application(engine, outsider, rival).reason


def test_positions_follow_each_opportunitys_ranking_among_the_unplaced() -> None:
    document = {
        "opportunities": [
            {"id": "x", "ranking": ["a", "b", "c", "d"]},
            {"id": "y", "ranking": ["d", "b"]},
        ]
    }
    assert waiting_positions(document, {"a", "c"}) == {
        ("b", "x"): 1,
        ("d", "x"): 2,
        ("d", "y"): 1,
        ("b", "y"): 2,
    }
