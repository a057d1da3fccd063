from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.records.hierarchy import find_cycles


def _none(_key: str) -> str | None:
    return None


def test_a_tree_has_no_cycles() -> None:
    assert find_cycles({"a": None, "b": "a", "c": "b", "d": "a"}, _none) == []


def test_cycles_are_found_once_each() -> None:
    cycles = find_cycles({"a": "b", "b": "a", "c": "a", "d": "d", "e": "f", "f": "g"}, _none)
    assert cycles == [("a", "b"), ("d",)]


@given(st.dictionaries(st.integers(0, 12), st.none() | st.integers(0, 12)))
def test_a_key_is_on_a_reported_cycle_exactly_when_following_links_returns_to_it(
    links: dict[int, int | None],
) -> None:
    parents = {str(k): (None if v is None else str(v)) for k, v in links.items()}
    on_cycle = {k for cycle in find_cycles(parents, _none) for k in cycle}
    for start in parents:
        key = parents[start]
        for _ in range(len(parents) + 1):
            if key is None or key == start:
                break
            key = parents.get(key)
        assert (key == start) == (start in on_cycle)
