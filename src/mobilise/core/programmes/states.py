"""The application and cohort state machines: which action is allowed from which state.

Every change of state in a programme goes through `next_state`, so an action that the journey does
not allow from the current state is refused with an error that names the state, the action and the
actions that are allowed, and nothing changes.
"""

from __future__ import annotations

from enum import StrEnum

from mobilise.core.problems import refused_action


class ApplicationState(StrEnum):
    AWAITING_RELEASE = "awaiting_release"  # the line manager has still to endorse and release
    RELEASED = "released"  # released (or no manager): the panel scores it, selection considers it
    OFFERED = "offered"
    WAITING_LIST = "waiting_list"
    NOT_SELECTED = "not_selected"
    ACCEPTED = "accepted"  # a participant of the cohort
    DECLINED = "declined"  # declined the offer
    WITHDRAWN = "withdrawn"  # by the applicant, or because the manager declined the release
    COMPLETED = "completed"
    LEFT = "left"  # left the cohort without completing it

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATES


FINAL_STATES = frozenset(
    {
        ApplicationState.NOT_SELECTED,
        ApplicationState.DECLINED,
        ApplicationState.WITHDRAWN,
        ApplicationState.COMPLETED,
        ApplicationState.LEFT,
    }
)


class ApplicationAction(StrEnum):
    RELEASE = "release"  # the line manager endorses and releases
    REFUSE_RELEASE = "refuse_release"  # the line manager declines, with a reason: withdraws
    WITHDRAW = "withdraw"  # the applicant
    LAPSE = "lapse"  # selection ran before the manager answered
    OFFER = "offer"  # selection (or the waiting list moving up) offers a place
    WAIT = "wait"  # selection puts it on the waiting list
    REJECT = "reject"  # selection does not select it
    ACCEPT = "accept"
    DECLINE = "decline"
    COMPLETE = "complete"
    LEAVE = "leave"


A = ApplicationAction
S = ApplicationState
APPLICATION_TRANSITIONS: dict[tuple[ApplicationState, ApplicationAction], ApplicationState] = {
    (S.AWAITING_RELEASE, A.RELEASE): S.RELEASED,
    (S.AWAITING_RELEASE, A.REFUSE_RELEASE): S.WITHDRAWN,
    (S.AWAITING_RELEASE, A.WITHDRAW): S.WITHDRAWN,
    (S.AWAITING_RELEASE, A.LAPSE): S.NOT_SELECTED,
    (S.RELEASED, A.WITHDRAW): S.WITHDRAWN,
    (S.RELEASED, A.OFFER): S.OFFERED,
    (S.RELEASED, A.WAIT): S.WAITING_LIST,
    (S.RELEASED, A.REJECT): S.NOT_SELECTED,
    (S.WAITING_LIST, A.OFFER): S.OFFERED,
    (S.WAITING_LIST, A.WITHDRAW): S.WITHDRAWN,
    (S.WAITING_LIST, A.REJECT): S.NOT_SELECTED,  # the cohort started before a place came free
    (S.OFFERED, A.ACCEPT): S.ACCEPTED,
    (S.OFFERED, A.DECLINE): S.DECLINED,
    (S.ACCEPTED, A.COMPLETE): S.COMPLETED,
    (S.ACCEPTED, A.LEAVE): S.LEFT,
}
# Actions that need a reason a person can read later (the applicant is told it).
ACTIONS_NEEDING_A_REASON = frozenset({A.REFUSE_RELEASE, A.LEAVE})


def initial_state(has_manager: bool) -> ApplicationState:
    """A person with no line manager (a candidate, a partner's staff) skips the release step."""
    return S.AWAITING_RELEASE if has_manager else S.RELEASED


def allowed_actions(state: ApplicationState) -> list[ApplicationAction]:
    return [action for (source, action) in APPLICATION_TRANSITIONS if source == state]


def next_state(
    state: ApplicationState, action: ApplicationAction, *, subject: str = "application"
) -> ApplicationState:
    """The state after `action`, or InvalidInput naming what is allowed from `state`."""
    target = APPLICATION_TRANSITIONS.get((state, action))
    if target is None:
        raise refused_action(
            subject,
            action.value,
            state=f"the application is {state.value}",
            allowed=[a.value for a in allowed_actions(state)],
            none="none (it is final)",
        )
    return target


class CohortState(StrEnum):
    OPEN = "open"  # taking applications
    CLOSED = "closed"  # no new applications; releases and panel scoring go on
    OFFERS_PUBLISHED = "offers_published"  # selected by one stored run; never re-run
    RUNNING = "running"  # started: attendance and modules
    FINISHED = "finished"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class CohortAction(StrEnum):
    CLOSE = "close"
    SELECT = "select"
    START = "start"
    FINISH = "finish"


C = CohortState
COHORT_TRANSITIONS: dict[tuple[CohortState, CohortAction], CohortState] = {
    (C.OPEN, CohortAction.CLOSE): C.CLOSED,
    (C.CLOSED, CohortAction.SELECT): C.OFFERS_PUBLISHED,
    (C.OFFERS_PUBLISHED, CohortAction.START): C.RUNNING,
    (C.RUNNING, CohortAction.FINISH): C.FINISHED,
}


def next_cohort_state(
    state: CohortState, action: CohortAction, *, subject: str = "cohort"
) -> CohortState:
    target = COHORT_TRANSITIONS.get((state, action))
    if target is None:
        raise refused_action(
            subject,
            action.value,
            state=f"the cohort is {state.value}",
            allowed=[a.value for (source, a) in COHORT_TRANSITIONS if source == state],
            none="none (it is finished)",
        )
    return target
