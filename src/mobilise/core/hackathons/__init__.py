"""Hackathons: the event's state machine, judging with judge severity taken out, and the facts
the team-formation engine reads about each participant (no I/O)."""

from mobilise.core.hackathons.judging import (
    MIN_SHEETS_TO_STANDARDISE,
    RankedTeam,
    TeamScore,
    judge_scales,
    rank_teams,
    standardised_scores,
)
from mobilise.core.hackathons.mix import (
    TeamFacts,
    TeamMember,
    describe_team,
    hackathon_team_problem,
)
from mobilise.core.hackathons.states import (
    HackathonAction,
    HackathonState,
    allowed_hackathon_actions,
    next_hackathon_state,
)

__all__ = [
    "MIN_SHEETS_TO_STANDARDISE",
    "HackathonAction",
    "HackathonState",
    "RankedTeam",
    "TeamFacts",
    "TeamMember",
    "TeamScore",
    "allowed_hackathon_actions",
    "describe_team",
    "hackathon_team_problem",
    "judge_scales",
    "next_hackathon_state",
    "rank_teams",
    "standardised_scores",
]
