"""Applicant-proposing deferred acceptance with capacities (Gale and Shapley; Roth's hospitals).

Each opportunity holds its best applicants so far in a max-heap keyed by its rank of them, so a
proposal costs O(log capacity). The outcome does not depend on the order of proposals: it is the
unique applicant-optimal stable matching. Compiled with numba (ADR 0007): a Python loop over tens of
millions of proposals would take minutes.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from mobilise.core.allocation.problem import AllocationProblem, IntArray

UNMATCHED = -1


@njit(cache=True, nogil=True)
def _defer_acceptance(
    pref_ptr: IntArray, pref_opp: IntArray, pref_rank: IntArray, capacity: IntArray
) -> IntArray:  # pragma: no cover - compiled; exercised through stable_matching
    n_app = pref_ptr.shape[0] - 1
    n_opp = capacity.shape[0]
    offset = np.zeros(n_opp + 1, dtype=np.int64)
    for o in range(n_opp):
        offset[o + 1] = offset[o] + capacity[o]
    heap_rank = np.empty(offset[n_opp], dtype=np.int64)
    heap_app = np.empty(offset[n_opp], dtype=np.int64)
    size = np.zeros(n_opp, dtype=np.int64)
    next_edge = pref_ptr[:-1].copy()
    assigned = np.full(n_app, -1, dtype=np.int64)
    stack = np.empty(n_app, dtype=np.int64)
    top = 0
    for a in range(n_app - 1, -1, -1):
        stack[top] = a
        top += 1
    while top > 0:
        top -= 1
        a = stack[top]
        while next_edge[a] < pref_ptr[a + 1]:
            e = next_edge[a]
            next_edge[a] += 1
            o = pref_opp[e]
            r = pref_rank[e]
            base = offset[o]
            if size[o] < capacity[o]:
                # Sift up the new holder in o's max-heap.
                i = size[o]
                size[o] += 1
                while i > 0:
                    parent = (i - 1) // 2
                    if heap_rank[base + parent] >= r:
                        break
                    heap_rank[base + i] = heap_rank[base + parent]
                    heap_app[base + i] = heap_app[base + parent]
                    i = parent
                heap_rank[base + i] = r
                heap_app[base + i] = a
                assigned[a] = o
                break
            if size[o] > 0 and heap_rank[base] > r:
                evicted = heap_app[base]
                assigned[evicted] = -1
                stack[top] = evicted
                top += 1
                # Replace the worst holder and sift down.
                n = size[o]
                i = 0
                while True:
                    child = 2 * i + 1
                    if child >= n:
                        break
                    if child + 1 < n and heap_rank[base + child + 1] > heap_rank[base + child]:
                        child += 1
                    if heap_rank[base + child] <= r:
                        break
                    heap_rank[base + i] = heap_rank[base + child]
                    heap_app[base + i] = heap_app[base + child]
                    i = child
                heap_rank[base + i] = r
                heap_app[base + i] = a
                assigned[a] = o
                break
    return assigned


def stable_matching(problem: AllocationProblem) -> IntArray:
    """The opportunity index of each applicant in the applicant-optimal stable matching, or -1."""
    return _defer_acceptance(
        problem.pref_ptr, problem.pref_opp, problem.pref_rank, problem.capacity
    )
