"""Learning pathways through the store: the demo catalogue closes gaps, completions count, and bad
requests name the problem."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from mobilise.core.problems import InvalidInput
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import command_line_actor
from mobilise.services.gaps import gap_to, nearest_to
from mobilise.services.learning import ensure_demo_catalogue
from mobilise.services.learning_completions import record_completion
from mobilise.services.pathways import pathway_for
from mobilise.services.people import PersonNotFound
from tests.support.workforce import Workforce, add_workforce


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    add = add_workforce(engine)
    ensure_demo_catalogue(engine, seed=3, items=300)
    return add


def _target(engine: Engine) -> str:
    analyst = development_sign_in(engine, "analyst", [])
    return nearest_to(engine, analyst, "analyst", k=30)[-1].role_level.key


def test_a_pathway_closes_the_gaps_learning_can_close(engine: Engine, workforce: Workforce) -> None:
    analyst = development_sign_in(engine, "analyst", [])
    target = _target(engine)
    gap = gap_to(engine, analyst, "analyst", target)

    by_hours = pathway_for(engine, analyst, "analyst", target)
    by_cost = pathway_for(engine, analyst, "analyst", target, objective="cost")

    assert by_hours.optimal
    assert by_hours.items
    assert by_hours.closed + len(by_hours.unclosable) == gap.short
    assert by_hours.hours <= by_cost.hours
    assert by_cost.cost_pence <= by_hours.cost_pence
    position = {item.title: index for index, item in enumerate(by_hours.items)}
    for index, item in enumerate(by_hours.items):  # prerequisites first
        assert all(position[title] > index for title in item.needed_for)


def test_completed_items_are_not_planned_again(engine: Engine, workforce: Workforce) -> None:
    analyst = development_sign_in(engine, "analyst", [])
    target = _target(engine)
    first = pathway_for(engine, analyst, "analyst", target)

    record_completion(engine, command_line_actor(), "analyst", first.items[0].key)
    again = pathway_for(engine, analyst, "analyst", target)

    assert first.items[0].key not in {item.key for item in again.items}


def test_bad_requests_are_named(engine: Engine, workforce: Workforce) -> None:
    analyst = development_sign_in(engine, "analyst", [])
    target = _target(engine)

    for objective, alpha, column in (("fastest", None, "objective"), ("mix", 2.0, "alpha")):
        with pytest.raises(InvalidInput) as raised:
            pathway_for(engine, analyst, "analyst", target, objective=objective, alpha=alpha)
        assert raised.value.problems[0].column == column
    with pytest.raises(InvalidInput):
        pathway_for(engine, analyst, "analyst", "not-a-role-level")
    with pytest.raises(PersonNotFound):
        pathway_for(engine, development_sign_in(engine, "stranger", []), "analyst", target)
