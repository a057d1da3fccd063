"""The hackathon state machine, property-tested: every action sequence follows the table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.hackathons import (
    HackathonAction,
    HackathonState,
    allowed_hackathon_actions,
    next_hackathon_state,
)
from mobilise.core.hackathons.states import HACKATHON_TRANSITIONS
from mobilise.core.problems import InvalidInput

JOURNEY = [
    HackathonAction.OPEN_SIGN_UP,
    HackathonAction.PUBLISH_TEAMS,
    HackathonAction.OPEN_SUBMISSIONS,
    HackathonAction.START_JUDGING,
    HackathonAction.PUBLISH_RESULTS,
]


def test_the_journey_runs_from_draft_to_published_results() -> None:
    state = HackathonState.DRAFT
    seen = [state]
    for action in JOURNEY:
        state = next_hackathon_state(state, action)
        seen.append(state)
    assert seen == list(HackathonState)
    assert allowed_hackathon_actions(state) == []


def test_a_refusal_names_the_state_the_action_and_what_is_allowed() -> None:
    with pytest.raises(InvalidInput) as refused:
        next_hackathon_state(HackathonState.DRAFT, HackathonAction.PUBLISH_RESULTS)
    problem = refused.value.problems[0]
    assert problem.value == "publish_results"
    assert "while the hackathon is draft" in problem.rule
    assert problem.rule.endswith("allowed: open_sign_up")
    with pytest.raises(InvalidInput) as finished:
        next_hackathon_state(HackathonState.RESULTS_PUBLISHED, HackathonAction.OPEN_SIGN_UP)
    assert "none (its results are published)" in finished.value.problems[0].rule


@given(st.lists(st.sampled_from(list(HackathonAction)), max_size=12))
def test_any_sequence_of_actions_moves_only_along_the_table(
    actions: list[HackathonAction],
) -> None:
    state = HackathonState.DRAFT
    order = list(HackathonState)
    for action in actions:
        allowed = action in allowed_hackathon_actions(state)
        try:
            after = next_hackathon_state(state, action)
        except InvalidInput:
            assert not allowed
            continue
        assert allowed
        assert after == HACKATHON_TRANSITIONS[(state, action)]
        # Always exactly one step forward: nothing is skipped and nothing goes back.
        assert order.index(after) == order.index(state) + 1
        state = after


@given(st.sampled_from(list(HackathonState)))
def test_each_state_but_the_last_allows_exactly_one_action(state: HackathonState) -> None:
    expected = 0 if state is HackathonState.RESULTS_PUBLISHED else 1
    assert len(allowed_hackathon_actions(state)) == expected
