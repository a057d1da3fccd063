"""The state machines of an event registration and of a mentoring.

Registration: a person registers and gets a place while there is room, or joins the waiting list;
a cancelled place goes to the first person waiting (PROMOTE); after the event the organiser marks
those with a place as attended or absent (and may correct either). A cancelled registration may
register again, at the back of the queue. Mentoring: active until either side ends it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from mobilise.core.problems import refused_action


class RegistrationState(StrEnum):
    REGISTERED = "registered"
    WAITING = "waiting"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    ABSENT = "absent"

    @property
    def label(self) -> str:
        return {"waiting": "On the waiting list"}.get(self.value, self.value.capitalize())

    @property
    def holds_a_place(self) -> bool:
        return self in (RegistrationState.REGISTERED, RegistrationState.ATTENDED)


class RegistrationAction(StrEnum):
    REGISTER = "register"  # a place: there is room
    QUEUE = "queue"  # no room: the waiting list
    CANCEL = "cancel"
    PROMOTE = "promote"  # a place came free and they were first waiting
    MARK_ATTENDED = "mark_attended"
    MARK_ABSENT = "mark_absent"


R = RegistrationState
RA = RegistrationAction

REGISTRATION_TRANSITIONS: dict[tuple[RegistrationState | None, RegistrationAction], R] = {
    (None, RA.REGISTER): R.REGISTERED,
    (None, RA.QUEUE): R.WAITING,
    (R.CANCELLED, RA.REGISTER): R.REGISTERED,
    (R.CANCELLED, RA.QUEUE): R.WAITING,
    (R.REGISTERED, RA.CANCEL): R.CANCELLED,
    (R.WAITING, RA.CANCEL): R.CANCELLED,
    (R.WAITING, RA.PROMOTE): R.REGISTERED,
    (R.REGISTERED, RA.MARK_ATTENDED): R.ATTENDED,
    (R.REGISTERED, RA.MARK_ABSENT): R.ABSENT,
    (R.ABSENT, RA.MARK_ATTENDED): R.ATTENDED,
    (R.ATTENDED, RA.MARK_ABSENT): R.ABSENT,
}


class MentoringState(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class MentoringAction(StrEnum):
    END = "end"


MENTORING_TRANSITIONS: dict[tuple[MentoringState, MentoringAction], MentoringState] = {
    (MentoringState.ACTIVE, MentoringAction.END): MentoringState.ENDED,
}


def registration_actions(state: RegistrationState | None) -> list[RegistrationAction]:
    return [a for (s, a) in REGISTRATION_TRANSITIONS if s == state]


def next_registration_state(
    state: RegistrationState | None,
    action: RegistrationAction,
    *,
    subject: str = "registration",
) -> RegistrationState:
    """The state after `action`, or InvalidInput naming what is allowed from `state`."""
    target = REGISTRATION_TRANSITIONS.get((state, action))
    if target is None:
        allowed = [a.value for a in registration_actions(state)]
        raise refused_action(
            subject, action.value, state=f"it is {state.value if state else 'new'}", allowed=allowed
        )
    return target


def next_mentoring_state(
    state: MentoringState, action: MentoringAction, *, subject: str = "mentoring"
) -> MentoringState:
    target = MENTORING_TRANSITIONS.get((state, action))
    if target is None:
        allowed = [a.value for (s, a) in MENTORING_TRANSITIONS if s == state]
        raise refused_action(subject, action.value, state=f"it is {state.value}", allowed=allowed)
    return target


def first_waiting(waiting: Mapping[str, int]) -> str | None:
    """The registration waiting longest (the lowest queue number; ties by key, for determinism)."""
    if not waiting:
        return None
    return min(waiting, key=lambda key: (waiting[key], key))


def joins_as(places_taken: int, capacity: int) -> RegistrationAction:
    """A place while there is room, else the waiting list."""
    return RA.REGISTER if places_taken < capacity else RA.QUEUE
