"""The application and cohort state machines, property-tested: a simulated cohort driven by
random actions never has more offers than places, moves its waiting list in order, and every
refused action is refused without changing anything."""

from __future__ import annotations

from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from mobilise.core.problems import InvalidInput
from mobilise.core.programmes import (
    APPLICATION_TRANSITIONS,
    COHORT_TRANSITIONS,
    FINAL_STATES,
    ApplicationAction,
    ApplicationState,
    CohortAction,
    CohortState,
    allowed_actions,
    initial_state,
    next_cohort_state,
    next_on_waiting_list,
    next_state,
    split_selection,
)

S = ApplicationState
A = ApplicationAction


def _reachable(start: set[ApplicationState]) -> set[ApplicationState]:
    seen, todo = set(start), deque(start)
    while todo:
        state = todo.popleft()
        for action in allowed_actions(state):
            target = APPLICATION_TRANSITIONS[(state, action)]
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_every_state_is_reachable_and_every_path_can_end() -> None:
    assert _reachable({initial_state(True), initial_state(False)}) == set(ApplicationState)
    for state in ApplicationState:
        assert _reachable({state}) & FINAL_STATES, state


def test_final_states_allow_nothing_and_others_something() -> None:
    for state in ApplicationState:
        assert (not allowed_actions(state)) == (state in FINAL_STATES)


def test_no_manager_means_no_release_step() -> None:
    assert initial_state(has_manager=False) is S.RELEASED
    assert initial_state(has_manager=True) is S.AWAITING_RELEASE


@given(st.sampled_from(list(ApplicationState)), st.sampled_from(list(ApplicationAction)))
def test_a_refused_action_names_the_state_and_what_is_allowed(
    state: ApplicationState, action: ApplicationAction
) -> None:
    if (state, action) in APPLICATION_TRANSITIONS:
        assert next_state(state, action) is APPLICATION_TRANSITIONS[(state, action)]
        return
    with pytest.raises(InvalidInput) as refused:
        next_state(state, action, subject="application x1")
    (problem,) = refused.value.problems
    assert problem.source == "application x1"
    assert problem.value == action.value
    assert state.value in problem.rule
    for allowed in allowed_actions(state):
        assert allowed.value in problem.rule


@given(st.sampled_from(list(CohortState)), st.sampled_from(list(CohortAction)))
def test_cohort_actions_follow_the_table(state: CohortState, action: CohortAction) -> None:
    if (state, action) in COHORT_TRANSITIONS:
        assert next_cohort_state(state, action) is COHORT_TRANSITIONS[(state, action)]
    else:
        with pytest.raises(InvalidInput, match=state.value):
            next_cohort_state(state, action)


class CohortJourney(RuleBasedStateMachine):
    """A cohort of `capacity` places and its applications, driven only through the core's rules
    in the way services.applications drives them."""

    @initialize(
        capacity=st.integers(0, 4),
        managers=st.lists(st.booleans(), min_size=0, max_size=9),
        waiting_size=st.integers(0, 5),
    )
    def start(self, capacity: int, managers: list[bool], waiting_size: int) -> None:
        self.capacity = capacity
        self.waiting_size = waiting_size
        self.states = {f"a{i}": initial_state(m) for i, m in enumerate(managers)}
        self.cohort = CohortState.OPEN
        self.waiting: dict[str, int] = {}
        self.offered_from_waiting: list[str] = []

    def _act(self, app: str, action: ApplicationAction) -> None:
        before = self.states[app]
        try:
            self.states[app] = next_state(before, action)
        except InvalidInput:
            assert (before, action) not in APPLICATION_TRANSITIONS
            assert self.states[app] is before
        else:
            assert (before, action) in APPLICATION_TRANSITIONS
            if before is S.WAITING_LIST:
                del self.waiting[app]

    def _fill_freed_place(self) -> None:
        if self.cohort is not CohortState.OFFERS_PUBLISHED:
            return
        taken = sum(s in (S.OFFERED, S.ACCEPTED) for s in self.states.values())
        while taken < self.capacity:
            app = next_on_waiting_list(self.waiting)
            if app is None:
                return
            self._act(app, A.OFFER)
            self.offered_from_waiting.append(app)
            taken += 1

    @rule(data=st.data(), action=st.sampled_from([A.RELEASE, A.REFUSE_RELEASE, A.WITHDRAW]))
    def before_selection(self, data: st.DataObject, action: ApplicationAction) -> None:
        if not self.states:
            return
        app = data.draw(st.sampled_from(sorted(self.states)))
        self._act(app, action)
        self._fill_freed_place()

    @precondition(lambda self: self.cohort is CohortState.OPEN)
    @rule()
    def close(self) -> None:
        self.cohort = next_cohort_state(self.cohort, CohortAction.CLOSE)

    @precondition(lambda self: self.cohort is CohortState.CLOSED)
    @rule(data=st.data())
    def select(self, data: st.DataObject) -> None:
        self.cohort = next_cohort_state(self.cohort, CohortAction.SELECT)
        for app, state in self.states.items():
            if state is S.AWAITING_RELEASE:
                self._act(app, A.LAPSE)
        released = sorted(a for a, s in self.states.items() if s is S.RELEASED)
        ranking = data.draw(st.permutations(released))
        placed = data.draw(
            st.lists(st.sampled_from(released), unique=True, max_size=self.capacity)
            if released
            else st.just([])
        )
        outcome = split_selection(ranking, placed, self.waiting_size)
        for app in outcome.offered:
            self._act(app, A.OFFER)
        for position, app in enumerate(outcome.waiting, start=1):
            self._act(app, A.WAIT)
            self.waiting[app] = position
        for app in outcome.not_selected:
            self._act(app, A.REJECT)
        self.order = list(outcome.waiting)

    @precondition(lambda self: self.cohort is CohortState.OFFERS_PUBLISHED)
    @rule(data=st.data(), action=st.sampled_from([A.ACCEPT, A.DECLINE, A.WITHDRAW]))
    def answer(self, data: st.DataObject, action: ApplicationAction) -> None:
        app = data.draw(st.sampled_from(sorted(self.states))) if self.states else None
        if app is not None:
            self._act(app, action)
            self._fill_freed_place()

    @invariant()
    def offers_never_exceed_places(self) -> None:
        taken = sum(s in (S.OFFERED, S.ACCEPTED) for s in self.states.values())
        assert taken <= self.capacity

    @invariant()
    def the_waiting_list_moves_in_its_order(self) -> None:
        if hasattr(self, "order"):
            promoted = self.offered_from_waiting
            # Those offered from the list were, each time, ahead of everyone still waiting.
            assert promoted == [a for a in self.order if a in set(promoted)]
            for app in self.waiting:
                assert all(self.order.index(p) < self.order.index(app) for p in promoted)

    @invariant()
    def nothing_is_released_after_selection(self) -> None:
        if self.cohort is CohortState.OFFERS_PUBLISHED:
            assert S.AWAITING_RELEASE not in self.states.values()
            assert S.RELEASED not in self.states.values()


TestCohortJourney = CohortJourney.TestCase
TestCohortJourney.settings = settings(max_examples=150, stateful_step_count=30)
