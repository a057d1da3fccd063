"""A hackathon's state machine: which organiser action is allowed from which state.

draft → open (sign-up) → teams_formed → submissions_open → judging → results_published. Every
change goes through `next_hackathon_state`, so an action the journey does not allow from the
current state is refused with an error naming the state, the action and what is allowed, and
nothing changes.
"""

from __future__ import annotations

from enum import StrEnum

from mobilise.core.problems import refused_action


class HackathonState(StrEnum):
    DRAFT = "draft"  # only its organisers see it; challenges are written
    OPEN = "open"  # sign-up is open; organisers form (and re-form) draft teams
    TEAMS_FORMED = "teams_formed"  # teams published to their members
    SUBMISSIONS_OPEN = "submissions_open"  # each team submits its work
    JUDGING = "judging"  # submissions closed; judges score them against the rubric
    RESULTS_PUBLISHED = "results_published"  # ranked results on the public page

    @property
    def label(self) -> str:
        return {
            "open": "Open for sign-up",
            "teams_formed": "Teams formed",
            "submissions_open": "Submissions open",
            "results_published": "Results published",
        }.get(self.value, self.value.capitalize())


class HackathonAction(StrEnum):
    OPEN_SIGN_UP = "open_sign_up"
    PUBLISH_TEAMS = "publish_teams"
    OPEN_SUBMISSIONS = "open_submissions"
    START_JUDGING = "start_judging"
    PUBLISH_RESULTS = "publish_results"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


S = HackathonState
A = HackathonAction
HACKATHON_TRANSITIONS: dict[tuple[HackathonState, HackathonAction], HackathonState] = {
    (S.DRAFT, A.OPEN_SIGN_UP): S.OPEN,
    (S.OPEN, A.PUBLISH_TEAMS): S.TEAMS_FORMED,
    (S.TEAMS_FORMED, A.OPEN_SUBMISSIONS): S.SUBMISSIONS_OPEN,
    (S.SUBMISSIONS_OPEN, A.START_JUDGING): S.JUDGING,
    (S.JUDGING, A.PUBLISH_RESULTS): S.RESULTS_PUBLISHED,
}


def allowed_hackathon_actions(state: HackathonState) -> list[HackathonAction]:
    return [action for (source, action) in HACKATHON_TRANSITIONS if source == state]


def next_hackathon_state(
    state: HackathonState, action: HackathonAction, *, subject: str = "hackathon"
) -> HackathonState:
    """The state after `action`, or InvalidInput naming what is allowed from `state`."""
    target = HACKATHON_TRANSITIONS.get((state, action))
    if target is None:
        raise refused_action(
            subject,
            action.value,
            state=f"the hackathon is {state.value}",
            allowed=[a.value for a in allowed_hackathon_actions(state)],
            none="none (its results are published)",
        )
    return target
