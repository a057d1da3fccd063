"""TechTrack's places come from marketplace rounds that are its intakes: the programme's
target, funnels and spread count them (and cohort places), each person once per intake."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from mobilise.services.actors import command_line_actor
from mobilise.services.analytics.programmes import programme_funnels, programme_spread
from mobilise.services.demo import generate_demo
from mobilise.services.organisations import ensure_default_organisations
from mobilise.services.programme_demo import generate_demo_programmes
from mobilise.services.targets import target_progress
from mobilise.services.techtrack_demo import generate_demo_intakes
from mobilise.store.database import reading
from mobilise.store.models import (
    MarketplaceRound,
    Opportunity,
    OpportunityApplication,
    Person,
    Programme,
)

ACTOR = command_line_actor()


@pytest.fixture
def techtrack(sqlite_engine: Engine) -> Engine:
    """As `make run` makes it: a workforce, the demo programmes and TechTrack's two intakes."""
    ensure_default_organisations(sqlite_engine)
    generate_demo(sqlite_engine, people=1000, seed=7, history=False)
    generate_demo_programmes(sqlite_engine, seed=7)
    generate_demo_intakes(sqlite_engine, seed=7)
    return sqlite_engine


def _placed(engine: Engine) -> dict[int, str | None]:
    """Each person placed through a TechTrack round, and their region (the truth, by hand)."""
    with reading(engine) as session:
        rows = session.execute(
            select(OpportunityApplication.person_id, Person.region)
            .join(Opportunity, Opportunity.id == OpportunityApplication.opportunity_id)
            .join(MarketplaceRound, MarketplaceRound.id == Opportunity.round_id)
            .join(Programme, Programme.id == MarketplaceRound.programme_id)
            .join(Person, Person.id == OpportunityApplication.person_id)
            .where(
                Programme.key == "techtrack",
                OpportunityApplication.state.in_(("accepted", "completed", "left")),
            )
        ).all()
    return {int(person): region for person, region in rows}


def test_the_techtrack_target_counts_its_marketplace_intakes(techtrack: Engine) -> None:
    placed = _placed(techtrack)
    assert len(placed) >= 50  # 100 places offered, nine in ten accepted
    progress = target_progress(techtrack, ACTOR, "techtrack-apprentices-2030")
    # One intake has started (last September's): its places, once each.
    assert [row.figures[0] for row in progress.trajectory.rows] == [len(placed)]
    assert [o.value for o in progress.observations] == [len(placed)]
    share = target_progress(techtrack, ACTOR, "techtrack-outside-london")
    outside = sum(r is not None and r != "London" for r in placed.values())
    assert [o.value for o in share.observations] == [pytest.approx(outside / len(placed))]


def test_funnels_and_spread_show_the_intake_with_each_applicant_once(techtrack: Engine) -> None:
    placed = _placed(techtrack)
    funnels = programme_funnels(techtrack, ACTOR)
    with reading(techtrack) as session:
        # Last September's intake: the one allocated, whose offers were answered.
        last_round = session.scalar(
            select(MarketplaceRound.id)
            .where(MarketplaceRound.key.like("techtrack-%"))
            .order_by(MarketplaceRound.key)
            .limit(1)
        )
    (intake,) = [r for r in funnels.rows if r.key == f"round-{last_round}"]
    with reading(techtrack) as session:
        applicants = set(
            session.scalars(
                select(OpportunityApplication.person_id)
                .join(Opportunity, Opportunity.id == OpportunityApplication.opportunity_id)
                .join(MarketplaceRound, MarketplaceRound.id == Opportunity.round_id)
                .where(MarketplaceRound.id == last_round)
            )
        )
    assert intake.figures[0] == len(applicants)  # people, not their up to three applications
    assert intake.figures[2] in (None, len(placed))
    spread = programme_spread(techtrack, ACTOR)
    (row,) = [r for r in spread.rows if r.key == "techtrack"]
    assert row.figures[0] == len(placed)
