from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.impact import Unit, match_controls
from mobilise.core.problems import InvalidInput

units = st.lists(
    st.builds(
        Unit,
        id=st.integers(0, 10_000),
        participant=st.booleans(),
        stratum=st.sampled_from(["a", "b", "c"]),
        baseline=st.floats(0, 6, allow_nan=False),
        before=st.floats(0, 6, allow_nan=False),
        after=st.floats(0, 6, allow_nan=False),
    ),
    max_size=40,
    unique_by=lambda u: u.id,
)


@given(units, st.floats(0, 3))
def test_a_participant_is_only_ever_paired_with_the_nearest_non_participant_of_their_stratum(
    people: list[Unit], caliper: float
) -> None:
    matches, unmatched = match_controls(people, caliper)
    participants = [u for u in people if u.participant]
    assert len(matches) + len(unmatched) == len(participants)
    for m in matches:
        assert m.participant.participant
        assert not m.control.participant
        assert m.participant.stratum == m.control.stratum
        assert m.distance <= caliper
        pool = [u for u in people if not u.participant and u.stratum == m.participant.stratum]
        assert m.distance == min(abs(u.baseline - m.participant.baseline) for u in pool)
    for u in unmatched:
        pool = [p for p in people if not p.participant and p.stratum == u.stratum]
        assert all(abs(p.baseline - u.baseline) > caliper for p in pool)


def test_a_participant_with_nobody_like_them_goes_unmatched() -> None:
    people = [
        Unit(1, True, "org-a", 2.0, 2.0, 3.0),
        Unit(2, False, "org-b", 2.0, 2.0, 2.0),
        Unit(3, False, "org-a", 3.5, 3.5, 3.5),
    ]
    matches, unmatched = match_controls(people, 0.5)
    assert matches == []
    assert [u.id for u in unmatched] == [1]


def test_a_negative_caliper_is_refused() -> None:
    with pytest.raises(InvalidInput, match="caliper"):
        match_controls([], -1)
