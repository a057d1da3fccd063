"""Pathways are optimal (against every subset of a small catalogue), valid and deterministic."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mobilise.core.framework.levels import SkillLevel
from mobilise.core.learning.catalogue import CatalogueItem, prepare_catalogue
from mobilise.core.learning.pathway import (
    COST,
    HOURS,
    Objective,
    Pathway,
    PathwayRequest,
    plan_pathway,
    plan_pathways,
)

SKILLS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Instance:
    items: list[CatalogueItem]
    current: dict[int, int]
    required: dict[int, int]
    completed: frozenset[int]


@st.composite
def instances(draw: st.DrawFn, max_items: int = 10) -> Instance:
    n = draw(st.integers(1, max_items))
    ids = draw(st.lists(st.integers(1, 99), min_size=n, max_size=n, unique=True))
    items = []
    for k, id_ in enumerate(ids):
        # Prerequisites among earlier items of the drawn order: acyclic whatever the ids are.
        earlier = ids[:k]
        prerequisites = (
            draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True)) if earlier else []
        )
        teaches = draw(
            st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 4), min_size=1, max_size=3)
        )
        hours = Decimal(draw(st.integers(1, 40))) / 4  # quarter hours, as a catalogue has
        cost = draw(st.sampled_from([0, 0, 1500, 2500, 9900, 45000]))
        items.append(CatalogueItem(id_, hours, cost, teaches, tuple(prerequisites), f"i{id_}"))
    # Mostly below what is required, so that most instances have gaps to close.
    current = draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 3), max_size=3))
    required = draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(2, 4), min_size=1))
    completed = frozenset(draw(st.lists(st.sampled_from(ids), max_size=2)))
    return Instance(items, current, required, completed)


objectives = st.sampled_from([HOURS, COST, Objective(0.5), Objective(0.25, pence_per_hour=1000)])


def measures(items: list[CatalogueItem], objective: Objective) -> tuple[int, int, int]:
    """(weight, other measure, items) in exact integers: hours are whole quarters here, and the
    mix is scaled by 1000 × 4 so that alpha's three decimals stay whole too."""
    quarters = sum(int(i.hours * 4) for i in items)
    cost = sum(i.cost_pence for i in items)
    if objective.name == "hours":
        return (quarters, cost, len(items))
    if objective.name == "cost":
        return (cost, quarters, len(items))
    a = objective.steps
    mixed = a * quarters * objective.pence_per_hour + (1000 - a) * cost * 4
    return (mixed, quarters, len(items))


def closable_gaps(instance: Instance) -> dict[int, int]:
    gaps = {
        s: level for s, level in instance.required.items() if level > instance.current.get(s, 0)
    }
    open_items = [i for i in instance.items if i.id not in instance.completed]
    return {
        s: level
        for s, level in gaps.items()
        if any(i.teaches.get(s, 0) >= level for i in open_items)
    }


def feasible(chosen: list[CatalogueItem], instance: Instance, gaps: Mapping[int, int]) -> bool:
    ids = {i.id for i in chosen}
    if any(p not in ids and p not in instance.completed for i in chosen for p in i.prerequisites):
        return False
    return all(any(i.teaches.get(s, 0) >= level for i in chosen) for s, level in gaps.items())


def brute_force(instance: Instance, objective: Objective) -> tuple[int, int, int]:
    open_items = [i for i in instance.items if i.id not in instance.completed]
    gaps = closable_gaps(instance)
    best = None
    for size in range(len(open_items) + 1):
        for subset in itertools.combinations(open_items, size):
            if feasible(list(subset), instance, gaps):
                key = measures(list(subset), objective)
                best = key if best is None or key < best else best
    assert best is not None  # every closable gap has an item whose prerequisites can be taken
    return best


def plan(instance: Instance, objective: Objective) -> Pathway[CatalogueItem]:
    catalogue = prepare_catalogue(instance.items)
    return plan_pathway(
        catalogue, instance.current, instance.required, instance.completed, objective
    )


@settings(max_examples=150, deadline=None)
@given(instances(), objectives)
def test_the_pathway_is_the_best_of_every_subset(instance: Instance, objective: Objective) -> None:
    pathway = plan(instance, objective)
    assert pathway.status == "optimal"
    chosen = list(pathway.items)
    gaps = closable_gaps(instance)
    assert feasible(chosen, instance, gaps)
    # Least weight, then the other measure, then fewest items: all three proven against brute force.
    assert measures(chosen, objective) == brute_force(instance, objective)
    assert pathway.hours == sum((i.hours for i in chosen), Decimal(0))
    assert pathway.cost_pence == sum(i.cost_pence for i in chosen)


@settings(max_examples=100, deadline=None)
@given(instances(), objectives)
def test_the_pathway_is_in_order_and_reports_every_gap(
    instance: Instance, objective: Objective
) -> None:
    pathway = plan(instance, objective)
    seen: set[int] = set(instance.completed)
    for step in pathway.steps:
        assert step.item.id not in instance.completed
        assert set(step.item.prerequisites) <= seen
        seen.add(step.item.id)
        chosen_ids = {i.id for i in pathway.items}
        assert step.required_by == tuple(
            sorted(i.id for i in pathway.items if step.item.id in i.prerequisites)
        )
        assert all(i in chosen_ids for i in step.required_by)
        assert step.closes == tuple(
            g.skill_id for g in pathway.closed if step.item.teaches.get(g.skill_id, 0) >= g.required
        )
    gaps = {
        s: level for s, level in instance.required.items() if level > instance.current.get(s, 0)
    }
    assert sorted(g.skill_id for g in pathway.closed) == sorted(closable_gaps(instance))
    assert sorted(g.skill_id for g in (*pathway.closed, *pathway.unclosable)) == sorted(gaps)
    open_items = [i for i in instance.items if i.id not in instance.completed]
    for gap in (*pathway.closed, *pathway.unclosable):
        assert (gap.current, gap.required) == (
            instance.current.get(gap.skill_id, 0),
            instance.required[gap.skill_id],
        )
        assert gap.best_taught == max(
            (i.teaches.get(gap.skill_id, 0) for i in open_items), default=0
        )


@settings(max_examples=50, deadline=None)
@given(instances(), objectives, st.randoms(use_true_random=False))
def test_the_catalogues_order_changes_nothing(
    instance: Instance, objective: Objective, rnd: random.Random
) -> None:
    shuffled = list(instance.items)
    rnd.shuffle(shuffled)
    reordered = Instance(shuffled, instance.current, instance.required, instance.completed)
    assert plan(reordered, objective) == plan(instance, objective)


@settings(max_examples=30, deadline=None)
@given(st.lists(instances(max_items=8), min_size=1, max_size=4), objectives)
def test_a_batch_gives_what_each_person_alone_gets(
    people: list[Instance], objective: Objective
) -> None:
    catalogue = prepare_catalogue(people[0].items)
    requests = [PathwayRequest(p.current, p.required, p.completed) for p in people]
    alone = [
        plan_pathway(catalogue, r.current, r.required, r.completed, objective) for r in requests
    ]
    assert plan_pathways(catalogue, requests, objective) == alone


def test_people_who_completed_different_prerequisites_do_not_share_a_solve() -> None:
    items = [
        CatalogueItem(1, Decimal(10), 0, {}, (), "foundations"),
        CatalogueItem(2, Decimal(2), 0, {7: 3}, (1,), "advanced"),
        CatalogueItem(3, Decimal(5), 0, {7: 3}, (), "standalone"),
    ]
    catalogue = prepare_catalogue(items)
    fresh = PathwayRequest({}, {7: 3})
    prepared = PathwayRequest({}, {7: 3}, completed=(1,))
    first, second = plan_pathways(catalogue, [fresh, prepared])
    assert [i.key for i in first.items] == ["standalone"]
    assert [i.key for i in second.items] == ["advanced"]


def test_prerequisites_come_first_and_ties_go_to_the_cheaper() -> None:
    items = [
        CatalogueItem(5, Decimal("3.5"), 30000, {1: 3}, (2,), "python-advanced"),
        CatalogueItem(2, Decimal("1.5"), 0, {1: 1}, (), "python-basics"),
        CatalogueItem(8, Decimal(5), 45000, {1: 3}, (), "python-bootcamp"),
        CatalogueItem(9, Decimal(6), 0, {1: 3}, (), "python-free-course"),
        CatalogueItem(4, Decimal(2), 1000, {2: 4}, (), "unrelated"),
    ]
    catalogue = prepare_catalogue(items)
    by_hours = plan_pathway(catalogue, {1: 1}, {1: 3, 3: 2})
    assert [s.item.key for s in by_hours.steps] == ["python-basics", "python-advanced"]
    assert [s.required_by for s in by_hours.steps] == [(5,), ()]
    assert [s.closes for s in by_hours.steps] == [(), (1,)]
    assert (by_hours.hours, by_hours.cost_pence) == (Decimal(5), 30000)
    assert [(g.skill_id, g.best_taught) for g in by_hours.unclosable] == [(3, 0)]
    # The bootcamp takes 5 hours too, but costs more: the tie went to the cheaper way.
    by_cost = plan_pathway(catalogue, {1: 1}, {1: 3}, objective=COST)
    assert [s.item.key for s in by_cost.steps] == ["python-free-course"]
    done = plan_pathway(catalogue, {1: 1}, {1: 3}, completed=[2])
    assert [s.item.key for s in done.steps] == ["python-advanced"]
    nothing = plan_pathway(catalogue, {1: 3}, {1: 3})
    assert (nothing.steps, nothing.closed, nothing.unclosable, nothing.status) == (
        (),
        (),
        (),
        "optimal",
    )


def test_a_mix_weighs_an_hour_at_its_price() -> None:
    items = [
        CatalogueItem(1, Decimal(10), 0, {1: 2}, (), "slow-free"),
        CatalogueItem(2, Decimal(2), 20000, {1: 2}, (), "fast-paid"),
    ]
    catalogue = prepare_catalogue(items)
    # Half of (10 h × £30 + £0) = £150 against half of (2 h × £30 + £200) = £130.
    assert [i.key for i in plan_pathway(catalogue, {}, {1: 2}, (), Objective(0.5)).items] == [
        "fast-paid"
    ]
    cheap_time = Objective(0.5, pence_per_hour=1000)
    assert [i.key for i in plan_pathway(catalogue, {}, {1: 2}, (), cheap_time).items] == [
        "slow-free"
    ]
    assert (HOURS.name, COST.name, Objective(0.5).name) == ("hours", "cost", "mix")


def test_an_objective_outside_its_range_is_refused() -> None:
    with pytest.raises(ValueError, match="alpha"):
        Objective(1.5)
    with pytest.raises(ValueError, match="pence_per_hour"):
        Objective(0.5, pence_per_hour=-1)


@pytest.mark.parametrize("seed", range(25))
def test_ten_item_catalogues_with_chains_of_prerequisites_match_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    items = [
        CatalogueItem(
            k,
            Decimal(rng.randint(1, 24)) / 2,
            rng.choice([0, 1000, 5000]),
            {s: rng.randint(1, 4) for s in rng.sample(SKILLS, rng.randint(1, 2))},
            tuple(rng.sample(range(1, k), min(k - 1, rng.randint(0, 2)))),
            f"i{k}",
        )
        for k in range(1, 11)
    ]
    instance = Instance(items, {1: 1}, {1: 3, 2: 3, 3: 2, 4: 4}, frozenset({rng.randint(1, 10)}))
    for objective in (HOURS, COST, Objective(0.5)):
        pathway = plan(instance, objective)
        assert measures(list(pathway.items), objective) == brute_force(instance, objective)


@dataclass(frozen=True)
class StoredItem:
    """An item shaped as the catalogue service hands it over, with fields the solver ignores."""

    id: int
    key: str
    title: str
    hours: Decimal
    cost_pence: int
    teaches: dict[int, SkillLevel]
    prerequisites: frozenset[int]


def test_any_item_with_the_solvers_fields_plans_and_comes_back_whole() -> None:
    basics = StoredItem(
        1, "sql-basics", "SQL basics", Decimal("2.5"), 0, {3: SkillLevel.WORKING}, frozenset()
    )
    deeper = StoredItem(
        2,
        "sql-deeper",
        "SQL in depth",
        Decimal(6),
        12000,
        {3: SkillLevel.PRACTITIONER},
        frozenset({1}),
    )
    pathway = plan_pathway(prepare_catalogue([deeper, basics]), {}, {3: 3})
    assert [step.item.title for step in pathway.steps] == ["SQL basics", "SQL in depth"]
    assert (pathway.hours, pathway.cost_pence) == (Decimal("8.5"), 12000)
