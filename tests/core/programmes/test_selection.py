"""The selection outcome, the waiting list and what completion needs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.programmes import completion_blockers, next_on_waiting_list, split_selection


@given(st.data(), st.integers(0, 5))
def test_selection_splits_the_ranking_into_offers_waiting_and_rest(
    data: st.DataObject, waiting_size: int
) -> None:
    ranking = data.draw(st.permutations([f"a{i}" for i in range(8)]))
    placed = data.draw(st.sets(st.sampled_from(ranking), max_size=4))
    outcome = split_selection(ranking, placed, waiting_size)

    assert set(outcome.offered) == placed
    assert len(outcome.waiting) == min(waiting_size, len(ranking) - len(placed))
    assert outcome.offered + outcome.waiting + outcome.not_selected != []
    assert sorted(outcome.offered + outcome.waiting + outcome.not_selected) == sorted(ranking)
    unplaced = [a for a in ranking if a not in placed]
    assert outcome.waiting + outcome.not_selected == unplaced


def test_the_waiting_list_offers_the_lowest_position_first() -> None:
    assert next_on_waiting_list({"c": 3, "b": 2, "d": 4}) == "b"
    assert next_on_waiting_list({}) is None


def test_completion_needs_mandatory_modules_and_attendance() -> None:
    assert (
        completion_blockers(
            {"ethics"}, {"ethics", "ml"}, sessions=10, attended=8, min_attendance=0.8
        )
        == []
    )
    assert completion_blockers({"ethics"}, {"ml"}, sessions=10, attended=7, min_attendance=0.8) == [
        "mandatory module ethics is not completed",
        "attended 7 of 10 sessions; at least 80% are needed",
    ]
    assert completion_blockers(set(), set(), sessions=0, attended=0, min_attendance=0.8) == []
