"""Cycles in a tree given as child → parent links (people's managers, organisations' parents)."""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping, Sequence

from mobilise.core.records.problem_log import ProblemLog

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


def describe_cycle(cycle: Sequence[str]) -> str:
    return " → ".join((*cycle, cycle[0]))


class LinkedKeys:
    """The keys of a file's rows and the link each row makes to another key (a manager, a parent).

    Rules: a key appears once; a row may not link to itself; a link names a row of the file
    (earlier or later) or something stored; links may not form a cycle, counting stored links.
    """

    def __init__(
        self,
        log: ProblemLog,
        key_column: str,
        link_column: str,
        *,
        known: Container[str],
        stored_link: Callable[[str], str | None],
        target: str,
        own_rule: str,
        cycle_rule: str,
    ) -> None:
        self.log = log
        self.key_column = key_column
        self.link_column = link_column
        self.known = known
        self.stored_link = stored_link
        self.target = target
        self.own_rule = own_rule
        self.cycle_rule = cycle_rule
        self.rows_of: dict[str, int] = {}
        self.links: dict[str, str | None] = {}
        self._pending: list[tuple[int, str]] = []

    def record(self, row: int, key: str, link: str | None) -> None:
        if key:
            first = self.rows_of.get(key)
            if first is not None:
                self.log.add(row, self.key_column, key, f"duplicate key: already on row {first}")
            else:
                self.rows_of[key] = row
                self.links[key] = link
        if link is not None:
            if link == key:
                self.log.add(row, self.link_column, link, self.own_rule)
            elif link not in self.known and link not in self.rows_of:
                # It may still be a later row; `finish` decides.
                self._pending.append((row, link))

    def finish(self) -> None:
        for row, link in self._pending:
            if link not in self.rows_of:
                self.log.add(row, self.link_column, link, f"refers to no {self.target}")
        # A self-reference is reported on its row already; here it counts as no link.
        links = {k: (None if v == k else v) for k, v in self.links.items()}
        for cycle in find_cycles(links, self.stored_link):
            members = [k for k in cycle if k in self.rows_of]
            if not members:  # a loop the store held already; this file did not make it
                continue
            first = min(members, key=self.rows_of.__getitem__)
            self.log.add(
                self.rows_of[first],
                self.link_column,
                self.links[first],
                f"{self.cycle_rule}: {describe_cycle(cycle)}",
            )
