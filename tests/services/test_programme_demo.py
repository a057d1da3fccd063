"""The demo programmes: four programmes, the first AI Accelerator cohort run end to end."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from mobilise.services.actors import command_line_actor
from mobilise.services.demo import generate_demo
from mobilise.services.programme_demo import generate_demo_programmes, programmes_are_empty
from mobilise.services.programme_views import get_cohort, list_programmes
from mobilise.store.database import reading
from mobilise.store.models import Application, OutboxMessage


def test_the_demo_runs_a_cohort_through_every_step(sqlite_engine: Engine) -> None:
    generate_demo(sqlite_engine, people=3000, seed=7, history=False)
    assert programmes_are_empty(sqlite_engine)
    applied = generate_demo_programmes(sqlite_engine, seed=7)

    operator = command_line_actor()
    programmes = {p.key: p for p in list_programmes(sqlite_engine, operator)}
    assert set(programmes) == {
        "ai-accelerator",
        "techtrack",
        "council-digital-academy",
        "digital-leaders",
    }
    assert programmes["techtrack"].target_people == 2000
    first = get_cohort(sqlite_engine, operator, "ai-accelerator-1")
    assert first.summary.state.value == "running"
    assert first.selection_run_key is not None
    assert first.curriculum[0].mandatory
    assert "ethics" in first.curriculum[0].title
    assert first.counts["accepted"] == first.summary.capacity
    assert first.counts["declined"] == 1
    with reading(sqlite_engine) as session:
        assert session.scalar(select(func.count(Application.id))) == applied
        assert (session.scalar(select(func.count(OutboxMessage.id))) or 0) > applied
    assert not programmes_are_empty(sqlite_engine)
