"""Hackathon teams as the service forms them, against random teams measured in the same run.

    .venv/bin/python bench/hackathon_teams.py

Participants are synthetic: 30 organisations (one in ten people with none), skill sets of 2-6
from 60 skills, a first choice among 4 challenges, protected groups p1 (15%) and p2 (16%).
Ours: core/hackathons' problem and the team engine with the service's rounds for the size
(seed 0). Baseline: random teams of the same sizes (the best of 20 random draws by the same
quality key). Figures: the worst and mean team score (mean pair affinity, 0-1), people left
alone in a protected group, the share whose first choice is their team's challenge,
organisations per team, and time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[1]))

from mobilise.core.hackathons import TeamMember, describe_team, hackathon_team_problem
from mobilise.core.hackathons.mix import team_challenge
from mobilise.core.teams.score import TeamsQuality, assess
from mobilise.core.teams.search import form_teams
from mobilise.services.hackathon_teams import PROTECTED_CODES, search_rounds

CHALLENGES = ["c1", "c2", "c3", "c4"]


def participants(n: int, rng: np.random.Generator) -> list[TeamMember]:
    people = []
    for i in range(n):
        groups = {code for code, share in (("p1", 0.15), ("p2", 0.16)) if rng.random() < share}
        people.append(
            TeamMember(
                key=f"p{i}",
                organisation=None if rng.random() < 0.1 else f"org{rng.integers(30)}",
                skills=frozenset(
                    f"s{k}" for k in rng.choice(60, rng.integers(2, 7), replace=False)
                ),
                first_choice=str(rng.choice(CHALLENGES, p=[0.4, 0.3, 0.2, 0.1])),
                groups=frozenset(groups),
            )
        )
    return people


def summary(members: list[TeamMember], team_of: np.ndarray, quality: TeamsQuality) -> str:
    teams = [[members[i] for i in np.flatnonzero(team_of == t)] for t in range(team_of.max() + 1)]
    facts = [describe_team(t, team_challenge(t, CHALLENGES)) for t in teams]
    chose = sum(f.chose_challenge for f in facts) / len(members)
    organisations = np.mean([f.organisations + f.without_organisation for f in facts])
    return (
        f"worst {quality.worst:.3f}, mean {quality.mean:.3f}, isolated {quality.isolated}, "
        f"first choice kept {chose:.0%}, organisations per team {organisations:.2f}"
    )


def main() -> None:
    for n in (40, 200, 1000):
        rng = np.random.default_rng(n)
        members = participants(n, rng)
        problem = hackathon_team_problem(members, size=4, protected_codes=PROTECTED_CODES)
        started = time.perf_counter()
        rounds = search_rounds(n)
        found = form_teams(problem, seed=0, rounds=rounds, seconds=None)
        ours_seconds = time.perf_counter() - started
        ours = assess(problem, found.team_of)
        sizes = np.repeat(np.arange(problem.teams), problem.team_sizes)
        draws = [rng.permutation(sizes) for _ in range(20)]
        random_best = max(draws, key=lambda team_of: assess(problem, team_of).key())
        baseline = assess(problem, random_best)
        print(f"{n} participants → {problem.teams} teams, {rounds} rounds:")
        print(f"  ours     {summary(members, found.team_of, ours)}; {ours_seconds:.2f} s")
        print(f"  baseline {summary(members, random_best, baseline)} (best of 20 random)")
        print(f"  worst-team ratio ours/baseline {ours.worst / max(baseline.worst, 1e-9):.2f}")


if __name__ == "__main__":
    main()
