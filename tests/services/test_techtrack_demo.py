"""TechTrack's demo intakes: last September's allocated fairly with its quotas met and its
places counted towards the 2,000 target; next September's open to candidates."""

from __future__ import annotations

from sqlalchemy import Engine, select

from mobilise.core.programmes import CohortState
from mobilise.services.actors import command_line_actor
from mobilise.services.allocation_runs import get_run
from mobilise.services.demo import generate_demo
from mobilise.services.marketplace_rounds import list_rounds
from mobilise.services.organisations import ensure_default_organisations
from mobilise.services.programme_demo import generate_demo_programmes
from mobilise.services.programme_views import get_programme
from mobilise.services.techtrack_demo import generate_demo_intakes
from mobilise.store.database import reading
from mobilise.store.models import AllocationRunRecord


def test_the_demo_intakes_are_allocated_fairly_and_count_towards_the_target(
    sqlite_engine: Engine,
) -> None:
    ensure_default_organisations(sqlite_engine)
    generate_demo(sqlite_engine, people=1000, seed=7, history=False)
    generate_demo_programmes(sqlite_engine, seed=7)
    made = generate_demo_intakes(sqlite_engine, seed=7)
    assert (made.bids, made.candidates) == (24, 220)
    operator = command_line_actor()
    intakes = [r for r in list_rounds(sqlite_engine, operator) if r.programme_key == "techtrack"]
    assert sorted(r.state for r in intakes) == sorted(
        [CohortState.OFFERS_PUBLISHED, CohortState.OPEN]
    )
    last = next(r for r in intakes if r.state is CohortState.OFFERS_PUBLISHED)
    assert last.places == 100
    _, result = get_run(sqlite_engine, last.allocation_run_key or "")
    assert result["method"] == "fair"
    assert all(q["satisfied"] for q in result["fair"]["quotas"])
    assert result["metrics"]["matched"] == 100
    techtrack = get_programme(sqlite_engine, operator, "techtrack")
    assert techtrack.placed == made.placed
    assert 80 <= made.placed < 100
    with reading(sqlite_engine) as session:
        problem = session.scalars(
            select(AllocationRunRecord.problem).where(
                AllocationRunRecord.key == last.allocation_run_key
            )
        ).one()
    for label in ("White", "Asian", "Black", "candidate"):
        assert label not in problem
