"""Min-cost max-flow for the welfare method: successive shortest paths on small integer costs.

The network is source → applicant (1) → opportunity (each preference edge, at its cost) →
sink (capacity). Its cheapest maximum flow is the welfare optimum: most applicants placed, then
least total cost. A general solver (OR-Tools' cost scaling, HiGHS' simplex) treats it as any
graph; this kernel exploits what is special about it (ADR 0007 allows compiled kernels):

- Costs are small non-negative integers (preference ranks 0..19, or fits scaled to 0..10,000),
  so Dijkstra's priority queue is an array of buckets (Dial), a window of BUCKETS distances
  at a time, with no heap.
- Placing every applicant on a cost-0 edge that has room (for ranks: their first choice) is
  already a cheapest flow of its size, with all potentials 0, so most applicants are placed
  before any search. (A placement on a costlier edge would not be: swapping that applicant
  for an unplaced one could save cost.)
- The primal-dual method: one Dijkstra updates the node potentials, then a depth-first pass
  augments along many shortest paths at once (arcs of reduced cost 0), before the next one.
- Dijkstra runs from the unplaced applicants forward, or from the sink backward, whichever
  scanned fewer arcs (search and augmenting pass) when last used: near the end, many applicants
  can never be placed and few places are left, and searching from the places, and augmenting
  only from the applicants that search reached, touches a smaller part of the graph. Arcs
  scanned, not seconds, so that the choice, and so the matching, is the same on every run.

Invariant: every residual arc (u, v) has reduced cost cost + pot[u] - pot[v] >= 0, with the
source's potential 0 and unplaced applicants' potential 0. So the flow is always a cheapest one
of its size (no negative residual cycle), and when no augmenting path is left it is a cheapest
maximum flow: exactly the lexicographic welfare objective. Deterministic: no randomness, and
applicants and edges are visited in index order.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

from mobilise.core.allocation.problem import IntArray

Int32Array = npt.NDArray[np.int32]

INFINITE = 1 << 60
# Width of the bucket window; distances beyond it wait in an overflow list (rarely used).
BUCKETS = 4096
FORWARD, BACKWARD = 0, 1


@njit(cache=True, nogil=True)
def _incoming(
    pref_ptr: IntArray, pref_opp: IntArray, cost: IntArray, n_opp: int
) -> tuple[IntArray, IntArray, IntArray]:  # pragma: no cover - compiled
    """Each opportunity's incoming edges (CSR by counting sort): applicant and cost."""
    n_app = pref_ptr.shape[0] - 1
    ptr = np.zeros(n_opp + 1, dtype=np.int64)
    for e in range(pref_opp.shape[0]):
        ptr[pref_opp[e] + 1] += 1
    for o in range(n_opp):
        ptr[o + 1] += ptr[o]
    fill = ptr[:-1].copy()
    in_app = np.empty(pref_opp.shape[0], dtype=np.int64)
    in_cost = np.empty(pref_opp.shape[0], dtype=np.int64)
    for a in range(n_app):
        for e in range(pref_ptr[a], pref_ptr[a + 1]):
            o = pref_opp[e]
            in_app[fill[o]] = a
            in_cost[fill[o]] = cost[e]
            fill[o] += 1
    return ptr, in_app, in_cost


@njit(cache=True, nogil=True)
def _settle_zero_cost(
    pref_ptr: IntArray,
    pref_opp: IntArray,
    cost: IntArray,
    capacity: IntArray,
    assigned: IntArray,
    assigned_slot: IntArray,
    load: IntArray,
    slot_app: IntArray,
    slot_cost: IntArray,
    slot_start: IntArray,
) -> None:  # pragma: no cover - compiled
    """Place each applicant, in index order, on its first cost-0 edge that still has room."""
    for a in range(pref_ptr.shape[0] - 1):
        for e in range(pref_ptr[a], pref_ptr[a + 1]):
            o = pref_opp[e]
            if cost[e] == 0 and load[o] < capacity[o]:
                s = slot_start[o] + load[o]
                slot_app[s] = a
                slot_cost[s] = 0
                load[o] += 1
                assigned[a] = o
                assigned_slot[a] = s
                break


@njit(cache=True, nogil=True, inline="always")
def _push(
    entry: Int32Array,
    bucket: IntArray,
    overflow: Int32Array,
    sizes: IntArray,
    base: int,
    d: int,
    node: int,
) -> None:  # pragma: no cover - compiled
    """Queue node at distance d: in its bucket if d is in the window, else in the overflow.

    entry rows: node, next entry (int32: the queue is the kernel's largest array); bucket rows:
    first and last entry of each bucket; sizes: entries used, overflow used. Buckets are first
    in, first out, so that within a distance nodes settle in breadth-first order (see _search).
    """
    b = d - base
    if b >= BUCKETS:
        overflow[sizes[1]] = node
        sizes[1] += 1
        return
    i = sizes[0]
    sizes[0] += 1
    entry[0, i] = node
    entry[1, i] = -1
    if bucket[0, b] < 0:
        bucket[0, b] = i
    else:
        entry[1, bucket[1, b]] = i
    bucket[1, b] = i


@njit(cache=True, nogil=True)
def _search(
    direction: int,
    pref_ptr: IntArray,
    pref_opp: IntArray,
    cost: IntArray,
    in_ptr: IntArray,
    in_app: IntArray,
    in_cost: IntArray,
    capacity: IntArray,
    assigned: IntArray,
    assigned_slot: IntArray,
    load: IntArray,
    slot_app: IntArray,
    slot_cost: IntArray,
    slot_start: IntArray,
    pot: IntArray,
    pot_sink: int,
    dist: IntArray,
    settled: IntArray,
    order: IntArray,
    phase: int,
    entry: Int32Array,
    bucket: IntArray,
    overflow: Int32Array,
) -> tuple[int, int]:  # pragma: no cover - compiled
    """Dijkstra on reduced costs: forward from the unplaced applicants, or backward from the
    sink. Returns the shortest augmenting path's reduced length (INFINITE if none is left) and
    the number of arcs scanned. Nodes are applicants then opportunities (pot, dist, order).

    dist is each node's distance from the unplaced applicants (forward) or to the sink
    (backward), exact up to the path's length. Nodes at the path's length are settled too, and
    each settled node gets its place in the order of settling: the arcs of reduced cost 0 that
    go the search's way in that order form an acyclic graph holding a shortest path from every
    settled unplaced applicant, which _augment walks. Breadth-first order within a distance
    lets far more shortest paths go that way than a depth-first order would.
    """
    n_app = pref_ptr.shape[0] - 1
    for v in range(dist.shape[0]):
        dist[v] = INFINITE
    bucket[0, :] = -1
    sizes = np.zeros(2, dtype=np.int64)
    base = 0
    if direction == FORWARD:
        for a in range(n_app):
            if assigned[a] < 0 and pref_ptr[a + 1] > pref_ptr[a]:
                dist[a] = 0
                _push(entry, bucket, overflow, sizes, base, 0, a)
    else:
        # The sink's arcs in: from each opportunity with room, at reduced cost pot[o] - pot_sink.
        # Starting at the smallest of them, so that every distance is in the window or above.
        lowest = INFINITE
        for o in range(capacity.shape[0]):
            if load[o] < capacity[o] and pot[n_app + o] - pot_sink < lowest:
                lowest = pot[n_app + o] - pot_sink
        base = lowest if lowest < INFINITE else 0
        for o in range(capacity.shape[0]):
            if load[o] < capacity[o]:
                dist[n_app + o] = pot[n_app + o] - pot_sink
                _push(entry, bucket, overflow, sizes, base, dist[n_app + o], n_app + o)
    path = INFINITE
    count = 0
    work = 0
    while True:
        for b in range(BUCKETS):
            d = base + b
            if d > path:
                return path, work
            while bucket[0, b] >= 0:
                i = bucket[0, b]
                bucket[0, b] = entry[1, i]
                v = int(entry[0, i])
                if settled[v] == phase or dist[v] != d:
                    continue  # a stale entry: v was reached more cheaply since
                settled[v] = phase
                order[v] = count
                count += 1
                if direction == FORWARD and v < n_app:
                    work += pref_ptr[v + 1] - pref_ptr[v]
                    # The applicant's arcs to each opportunity it is not placed with.
                    for e in range(pref_ptr[v], pref_ptr[v + 1]):
                        o = pref_opp[e]
                        w = n_app + o
                        nd = d + cost[e] + pot[v] - pot[w]
                        if o != assigned[v] and nd < dist[w] and nd <= path:
                            dist[w] = nd
                            _push(entry, bucket, overflow, sizes, base, nd, w)
                elif direction == FORWARD:
                    o = v - n_app
                    work += load[o] + 1
                    if load[o] < capacity[o] and d + pot[v] - pot_sink < path:
                        path = d + pot[v] - pot_sink
                    # The opportunity's arcs back to each applicant it holds.
                    for s in range(slot_start[o], slot_start[o] + load[o]):
                        a = slot_app[s]
                        nd = d - slot_cost[s] + pot[v] - pot[a]
                        if nd <= path and nd < dist[a]:
                            dist[a] = nd
                            _push(entry, bucket, overflow, sizes, base, nd, a)
                elif v < n_app:
                    work += 1
                    if assigned[v] < 0:
                        # An unplaced applicant: the source reaches it at reduced cost 0.
                        if d < path:
                            path = d
                        continue
                    # Placed: the only arc into it is from the opportunity holding it.
                    w = n_app + assigned[v]
                    nd = d - slot_cost[assigned_slot[v]] + pot[w] - pot[v]
                    if nd < dist[w] and nd <= path:
                        dist[w] = nd
                        _push(entry, bucket, overflow, sizes, base, nd, w)
                else:
                    # Arcs into the opportunity: from each applicant who lists it, not placed there.
                    o = v - n_app
                    work += in_ptr[o + 1] - in_ptr[o]
                    for i in range(in_ptr[o], in_ptr[o + 1]):
                        a = in_app[i]
                        nd = d + in_cost[i] + pot[a] - pot[v]
                        # Cheapest test first: most arcs fail it, and the others read
                        # two more arrays at a random applicant each.
                        if nd <= path and nd < dist[a] and assigned[a] != o:
                            dist[a] = nd
                            _push(entry, bucket, overflow, sizes, base, nd, a)
        # The window is spent: move on to the nearest distance waiting in the overflow list.
        nearest = INFINITE
        for i in range(sizes[1]):
            v = int(overflow[i])
            if settled[v] != phase and dist[v] < nearest:
                nearest = int(dist[v])
        if nearest > path or nearest >= INFINITE:
            return path, work
        base = nearest
        waiting = sizes[1]
        sizes[1] = 0
        for i in range(waiting):
            v = int(overflow[i])
            if settled[v] != phase:
                _push(entry, bucket, overflow, sizes, base, dist[v], v)


@njit(cache=True, nogil=True, inline="always")
def _along(
    direction: int, settled: IntArray, order: IntArray, phase: int, u: int, v: int
) -> bool:  # pragma: no cover - compiled
    """Whether the arc u -> v goes the last search's way in its order of settling."""
    if settled[v] != phase:
        return False
    return bool(order[v] > order[u]) if direction == FORWARD else bool(order[v] < order[u])


@njit(cache=True, nogil=True)
def _augment(
    direction: int,
    pref_ptr: IntArray,
    pref_opp: IntArray,
    cost: IntArray,
    capacity: IntArray,
    assigned: IntArray,
    assigned_slot: IntArray,
    load: IntArray,
    slot_app: IntArray,
    slot_cost: IntArray,
    slot_start: IntArray,
    pot: IntArray,
    pot_sink: int,
    settled: IntArray,
    order: IntArray,
    phase: int,
    visited: IntArray,
    dead: IntArray,
    scan: IntArray,
    stack_app: IntArray,
    stack_edge: IntArray,
    stack_slot: IntArray,
) -> tuple[int, int]:  # pragma: no cover - compiled
    """Augment along shortest paths from the unplaced applicants the search settled: a blocking
    flow of the arcs of reduced cost 0 that go the search's way. Returns the paths augmented and
    the arcs scanned.

    That graph is acyclic and augmenting only removes arcs from it (the reverse arcs go the
    other way), so a node that once leads nowhere never will in this pass: each applicant is
    entered at most once and a dead-end opportunity is marked dead, making a pass O(edges).
    Before going deeper from an applicant it looks for a tight opportunity with room: shorter
    paths block fewer applicants for the rest of the pass.
    """
    n_app = pref_ptr.shape[0] - 1
    paths = 0
    work = 0
    for o in range(capacity.shape[0]):
        scan[o] = slot_start[o]
    for start in range(n_app):
        if assigned[start] >= 0 or visited[start] == phase or settled[start] != phase:
            continue
        visited[start] = phase
        depth = 0
        stack_app[0] = start
        stack_edge[0] = pref_ptr[start]
        found = False
        while depth >= 0:
            work += 1
            a = stack_app[depth]
            if stack_edge[depth] == pref_ptr[a]:
                work += pref_ptr[a + 1] - pref_ptr[a]
                # Look ahead: a tight opportunity with room ends the path here.
                for e in range(pref_ptr[a], pref_ptr[a + 1]):
                    o = pref_opp[e]
                    w = n_app + o
                    if (
                        load[o] < capacity[o]
                        and pot[w] == pot_sink
                        and o != assigned[a]
                        and cost[e] + pot[a] == pot[w]
                        and _along(direction, settled, order, phase, a, w)
                    ):
                        stack_edge[depth] = e
                        found = True
                        break
                if found:
                    break
            e = stack_edge[depth]
            if e >= pref_ptr[a + 1]:
                depth -= 1  # a leads nowhere; it stays visited for the rest of the pass
                continue
            o = pref_opp[e]
            w = n_app + o
            if (
                o == assigned[a]
                or dead[o] == phase
                or cost[e] + pot[a] != pot[w]
                or not _along(direction, settled, order, phase, a, w)
            ):
                stack_edge[depth] = e + 1
                continue
            # Descend to the next applicant o holds through a tight backward arc.
            descended = False
            while scan[o] < slot_start[o] + load[o]:
                s = scan[o]
                scan[o] += 1
                b = slot_app[s]
                if (
                    visited[b] == phase
                    or pot[w] - slot_cost[s] != pot[b]
                    or not _along(direction, settled, order, phase, w, b)
                ):
                    continue
                visited[b] = phase
                stack_slot[depth] = s
                depth += 1
                stack_app[depth] = b
                stack_edge[depth] = pref_ptr[b]
                descended = True
                break
            if not descended:
                dead[o] = phase
                stack_edge[depth] = e + 1
        if found:
            # Each applicant on the path moves along its edge, taking the slot of the one it
            # displaces; the last takes a free slot.
            o = pref_opp[stack_edge[depth]]
            s = slot_start[o] + load[o]
            load[o] += 1
            for k in range(depth, -1, -1):
                b = stack_app[k]
                f = stack_edge[k]
                slot_app[s] = b
                slot_cost[s] = cost[f]
                assigned[b] = pref_opp[f]
                assigned_slot[b] = s
                if k > 0:
                    s = stack_slot[k - 1]
            paths += 1
    return paths, work


def min_cost_max_flow(
    pref_ptr: IntArray, pref_opp: IntArray, cost: IntArray, capacity: IntArray
) -> tuple[IntArray, int]:
    """Each applicant's opportunity (or -1) in a cheapest maximum matching, and the number of
    Dijkstra searches used. `cost` must be non-negative integers, one per preference edge.
    """
    n_app, n_opp = len(pref_ptr) - 1, len(capacity)
    assigned = np.full(n_app, -1, dtype=np.int64)
    assigned_slot = np.full(n_app, -1, dtype=np.int64)
    load = np.zeros(n_opp, dtype=np.int64)
    slot_start = np.zeros(n_opp + 1, dtype=np.int64)
    np.cumsum(capacity, out=slot_start[1:])
    slot_app = np.full(int(slot_start[-1]), -1, dtype=np.int64)
    slot_cost = np.zeros(int(slot_start[-1]), dtype=np.int64)
    _settle_zero_cost(
        pref_ptr, pref_opp, cost, capacity, assigned, assigned_slot, load, slot_app,
        slot_cost, slot_start,
    )  # fmt: skip
    in_ptr, in_app, in_cost = _incoming(pref_ptr, pref_opp, cost, n_opp)
    pot = np.zeros(n_app + n_opp, dtype=np.int64)
    pot_sink = 0
    dist = np.empty(n_app + n_opp, dtype=np.int64)
    settled = np.zeros(n_app + n_opp, dtype=np.int64)
    order = np.zeros(n_app + n_opp, dtype=np.int64)
    visited = np.zeros(n_app, dtype=np.int64)
    dead = np.zeros(n_opp, dtype=np.int64)
    scan = np.zeros(n_opp, dtype=np.int64)
    # Each settled node pushes each of its arcs at most once, plus the starting nodes.
    entries = len(pref_opp) + int(slot_start[-1]) + n_app + n_opp + 1
    if entries >= 2**31:
        raise ValueError(f"{entries:,} queue entries: more than the kernel's int32 indices hold")
    entry = np.empty((2, entries), dtype=np.int32)
    bucket = np.empty((2, BUCKETS), dtype=np.int64)
    overflow = np.empty(entries, dtype=np.int32)
    stack_app = np.empty(n_app + 1, dtype=np.int64)
    stack_edge = np.empty(n_app + 1, dtype=np.int64)
    stack_slot = np.empty(n_app + 1, dtype=np.int64)
    # Arcs each direction scanned when last used (each is tried once, forward first); the
    # cheaper goes on being used until it costs more than the other did.
    scanned = [0.0, 0.0]
    phase = 0
    while True:
        phase += 1
        direction = FORWARD if scanned[FORWARD] <= scanned[BACKWARD] else BACKWARD
        path, searched = _search(
            direction, pref_ptr, pref_opp, cost, in_ptr, in_app, in_cost, capacity, assigned,
            assigned_slot, load, slot_app, slot_cost, slot_start, pot, pot_sink, dist, settled,
            order, phase, entry, bucket, overflow,
        )  # fmt: skip
        if path >= INFINITE:
            return assigned, phase
        if direction == FORWARD:
            pot += np.minimum(dist, path)
        else:
            pot += path - np.minimum(dist, path)
        pot_sink += int(path)
        paths, walked = _augment(
            direction, pref_ptr, pref_opp, cost, capacity, assigned, assigned_slot, load,
            slot_app, slot_cost, slot_start, pot, pot_sink, settled, order, phase, visited, dead,
            scan, stack_app, stack_edge, stack_slot,
        )  # fmt: skip
        if paths == 0:  # pragma: no cover - a shortest path always goes the search's way
            raise RuntimeError("no shortest augmenting path found after a search")
        scanned[direction] = searched + walked
