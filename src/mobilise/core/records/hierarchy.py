"""Cycles in a tree given as child → parent links (people's managers, organisations' parents)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

_ON_PATH = 1
_DONE = 2


def find_cycles(
    parents: Mapping[str, str | None], parent_outside: Callable[[str], str | None]
) -> list[tuple[str, ...]]:
    """Every cycle reachable from the keys of `parents`, each once, in the order first met.

    `parents` are the links of the file; `parent_outside(key)` gives the link of a key the file does
    not mention (what the store holds), so a file that closes a loop through stored rows is caught.
    Each key has one parent, so following links from each key finds every cycle in linear time.
    """
    state: dict[str, int] = {}
    cycles: list[tuple[str, ...]] = []
    for start in parents:
        path: list[str] = []
        key: str | None = start
        while key is not None and key not in state:
            state[key] = _ON_PATH
            path.append(key)
            key = parents[key] if key in parents else parent_outside(key)
        if key is not None and state[key] == _ON_PATH:
            cycles.append(tuple(path[path.index(key) :]))
        for visited in path:
            state[visited] = _DONE
    return cycles


def describe_cycle(cycle: tuple[str, ...]) -> str:
    return " → ".join((*cycle, cycle[0]))
