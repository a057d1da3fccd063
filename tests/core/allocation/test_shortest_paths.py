"""The welfare kernel: the same optimum as OR-Tools' min-cost flow, for any non-negative costs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mobilise.core.allocation.problem import IntArray
from mobilise.core.allocation.shortest_paths import BUCKETS, min_cost_max_flow
from mobilise.core.allocation.welfare import reference_min_cost_max_flow

Network = tuple[IntArray, IntArray, IntArray, IntArray]


@st.composite
def networks(
    draw: st.DrawFn, max_applicants: int = 40, max_opportunities: int = 12, max_cost: int = 19
) -> Network:
    """Applicants with distinct opportunity lists, any costs (not only ranks), any capacities."""
    n_app = draw(st.integers(1, max_applicants))
    n_opp = draw(st.integers(1, max_opportunities))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, n_opp + 1, n_app)
    pref_ptr = np.zeros(n_app + 1, dtype=np.int64)
    np.cumsum(lengths, out=pref_ptr[1:])
    pref_opp = np.concatenate(
        [rng.permutation(n_opp)[:k] for k in lengths] + [np.zeros(0, dtype=np.int64)]
    ).astype(np.int64)
    if draw(st.booleans()):
        # Ranks: 0 for a first choice, as the rank objective gives.
        cost = np.arange(len(pref_opp), dtype=np.int64) - np.repeat(pref_ptr[:-1], lengths)
    else:
        cost = rng.integers(0, max_cost + 1, len(pref_opp)).astype(np.int64)
    capacity = rng.integers(0, draw(st.integers(1, 6)), n_opp).astype(np.int64)
    return pref_ptr, pref_opp, cost, capacity


def value(network: Network, assigned: IntArray) -> tuple[int, int]:
    """(placed, total cost), checking the matching keeps to the edges and the capacities."""
    pref_ptr, pref_opp, cost, capacity = network
    app = np.repeat(np.arange(len(pref_ptr) - 1), np.diff(pref_ptr))
    held = pref_opp == assigned[app]
    placed = assigned >= 0
    assert held.sum() == placed.sum(), "an applicant was placed on no edge of theirs"
    load = np.bincount(assigned[placed], minlength=len(capacity))
    assert (load <= capacity).all(), "over capacity"
    return int(held.sum()), int(cost[held].sum())


@settings(max_examples=300, deadline=None)
@given(networks())
def test_same_optimum_as_or_tools(network: Network) -> None:
    ours, _ = min_cost_max_flow(*network)
    assert value(network, ours) == value(network, reference_min_cost_max_flow(*network))


@settings(max_examples=60, deadline=None)
@given(networks(max_applicants=300, max_opportunities=40, max_cost=3 * BUCKETS))
def test_costs_wider_than_the_bucket_window(network: Network) -> None:
    # Fits are scaled to 0..10,000: distances then overflow the window of buckets.
    ours, _ = min_cost_max_flow(*network)
    assert value(network, ours) == value(network, reference_min_cost_max_flow(*network))


@pytest.mark.parametrize("seed", range(4))
def test_larger_instances_search_both_ways(seed: int) -> None:
    # Popular first choices over scarce places: many rounds, so both search directions run.
    rng = np.random.default_rng(seed)
    n_app, n_opp, k = 3_000, 150, 8
    pref_opp = np.concatenate(
        [rng.choice(n_opp, k, replace=False, p=_popularity(rng, n_opp)) for _ in range(n_app)]
    ).astype(np.int64)
    pref_ptr = np.arange(0, n_app * k + 1, k, dtype=np.int64)
    cost = np.tile(np.arange(k, dtype=np.int64), n_app)
    capacity = rng.integers(1, 30, n_opp).astype(np.int64)
    network = (pref_ptr, pref_opp, cost, capacity)
    ours, searches = min_cost_max_flow(*network)
    assert searches > 2
    assert value(network, ours) == value(network, reference_min_cost_max_flow(*network))
    assert np.array_equal(ours, min_cost_max_flow(*network)[0]), "not deterministic"


def _popularity(rng: np.random.Generator, n: int) -> np.ndarray:
    weights = rng.pareto(1.5, n) + 1.0
    return weights / weights.sum()


def test_no_edges_and_no_places() -> None:
    empty = np.zeros(0, dtype=np.int64)
    ptr = np.zeros(3, dtype=np.int64)
    assigned, _ = min_cost_max_flow(ptr, empty, empty, np.array([0, 2], dtype=np.int64))
    assert assigned.tolist() == [-1, -1]
    network = (
        np.array([0, 1, 2], dtype=np.int64),
        np.array([0, 0], dtype=np.int64),
        np.array([3, 5], dtype=np.int64),
        np.array([0], dtype=np.int64),
    )
    assert min_cost_max_flow(*network)[0].tolist() == [-1, -1]


def test_places_more_before_placing_cheaper() -> None:
    # a0 alone on o0 costs 0, but then a1 (only o0) is unplaced: both placed costs 7 + 1.
    network = (
        np.array([0, 2, 3], dtype=np.int64),
        np.array([0, 1, 0], dtype=np.int64),
        np.array([0, 7, 1], dtype=np.int64),
        np.array([1, 1], dtype=np.int64),
    )
    assigned, _ = min_cost_max_flow(*network)
    assert assigned.tolist() == [1, 0]
    assert value(network, assigned) == (2, 8)
