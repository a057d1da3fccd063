"""The registration and mentoring state machines, property-tested: any sequence of actions is
either applied as the table says or refused with the allowed actions named, never half-done;
a place is held only between a place being given and a cancellation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.communities import states
from mobilise.core.communities.states import (
    REGISTRATION_TRANSITIONS,
    MentoringAction,
    MentoringState,
    RegistrationAction,
    RegistrationState,
    next_registration_state,
    registration_actions,
)
from mobilise.core.problems import InvalidInput

R = RegistrationState
RA = RegistrationAction


@given(st.lists(st.sampled_from(list(RegistrationAction)), max_size=30))
def test_any_sequence_follows_the_table_or_is_refused_naming_what_is_allowed(
    actions: list[RegistrationAction],
) -> None:
    state: RegistrationState | None = None
    for action in actions:
        allowed = registration_actions(state)
        if action in allowed:
            after = next_registration_state(state, action)
            assert after is REGISTRATION_TRANSITIONS[(state, action)]
            state = after
        else:
            with pytest.raises(InvalidInput) as refused:
                next_registration_state(state, action)
            rule = refused.value.problems[0].rule
            assert all(a.value in rule for a in allowed)
            assert refused.value.problems[0].value == action.value


@given(st.lists(st.sampled_from(list(RegistrationAction)), max_size=30))
def test_a_place_is_held_only_after_one_is_given_and_before_cancelling(
    actions: list[RegistrationAction],
) -> None:
    state: RegistrationState | None = None
    for action in actions:
        if action not in registration_actions(state):
            continue
        before = state
        state = next_registration_state(state, action)
        if state.holds_a_place and not (before and before.holds_a_place):
            assert action in (RA.REGISTER, RA.PROMOTE, RA.MARK_ATTENDED)
        if action is RA.CANCEL:
            assert state is R.CANCELLED
        # Attendance is marked only for those who had a place.
        if action in (RA.MARK_ATTENDED, RA.MARK_ABSENT):
            assert before in (R.REGISTERED, R.ATTENDED, R.ABSENT)


def test_nothing_is_allowed_once_attendance_is_settled_but_its_correction() -> None:
    assert registration_actions(R.ATTENDED) == [RA.MARK_ABSENT]
    assert registration_actions(R.ABSENT) == [RA.MARK_ATTENDED]
    assert set(registration_actions(R.CANCELLED)) == {RA.REGISTER, RA.QUEUE}


@given(st.lists(st.sampled_from(list(MentoringAction)), min_size=1, max_size=5))
def test_a_mentoring_ends_once(actions: list[MentoringAction]) -> None:
    state = MentoringState.ACTIVE
    state = states.next_mentoring_state(state, actions[0])
    assert state is MentoringState.ENDED
    for action in actions[1:]:
        with pytest.raises(InvalidInput, match="none"):
            states.next_mentoring_state(state, action)


@given(st.integers(0, 50), st.integers(1, 50))
def test_a_place_while_there_is_room(taken: int, capacity: int) -> None:
    assert (states.joins_as(taken, capacity) is RA.REGISTER) == (taken < capacity)


@given(st.dictionaries(st.text(min_size=1, max_size=5), st.integers(1, 100), max_size=20))
def test_the_first_waiting_is_the_one_waiting_longest(waiting: dict[str, int]) -> None:
    chosen = states.first_waiting(waiting)
    if not waiting:
        assert chosen is None
        return
    assert chosen is not None
    assert waiting[chosen] == min(waiting.values())
    assert chosen == min(k for k, v in waiting.items() if v == waiting[chosen])
