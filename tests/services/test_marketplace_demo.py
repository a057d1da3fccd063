"""The demo marketplace: a past round run through allocation to the moves, an open round to
browse and apply to, and partner-firm staff for secondments into government."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from mobilise.core.programmes import CohortState
from mobilise.services.actors import command_line_actor
from mobilise.services.allocation_runs import replay_run
from mobilise.services.demo import generate_demo
from mobilise.services.marketplace_demo import generate_demo_marketplace, marketplace_is_empty
from mobilise.services.marketplace_rounds import list_rounds, moves_of
from mobilise.services.opportunities import browse
from mobilise.services.organisations import ensure_default_organisations
from mobilise.store.database import reading
from mobilise.store.models import OpportunityApplication, Position


def test_the_demo_runs_a_round_to_the_moves_and_leaves_one_open(sqlite_engine: Engine) -> None:
    ensure_default_organisations(sqlite_engine)
    generate_demo(sqlite_engine, people=2000, seed=7, history=False)
    assert marketplace_is_empty(sqlite_engine)
    made = generate_demo_marketplace(sqlite_engine, seed=7)
    assert made.rounds == 2
    assert made.opportunities == 16

    operator = command_line_actor()
    rounds = {r.key: r for r in list_rounds(sqlite_engine, operator)}
    assert rounds["autumn-2026"].state is CohortState.RUNNING
    assert rounds["spring-2027"].state is CohortState.OPEN
    assert rounds["autumn-2026"].applications.get("accepted", 0) >= 3
    assert replay_run(sqlite_engine, rounds["autumn-2026"].allocation_run_key or "").identical
    moves = moves_of(sqlite_engine, operator, "autumn-2026")
    assert len(moves) >= 3
    assert rounds["spring-2027"].applications.get("awaiting_release", 0) > 0
    assert rounds["spring-2027"].applications.get("released", 0) > 0
    kinds = {o.kind.value for o in browse(sqlite_engine, operator, limit=100)[0]}
    assert {"loan", "secondment_in", "secondment_out", "mentoring"} <= kinds
    with reading(sqlite_engine) as session:
        assert session.scalar(select(func.count(OpportunityApplication.id))) == made.applications
        assert session.scalar(
            select(func.count(Position.id)).where(Position.started_on == moves[0].started_on)
        )
    assert not marketplace_is_empty(sqlite_engine)
