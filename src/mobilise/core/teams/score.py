"""How good a set of teams is: each team's mean pair affinity, and how many people are isolated."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mobilise.core.teams.problem import FloatArray, IntArray, TeamProblem


def team_scores(problem: TeamProblem, team_of: IntArray) -> FloatArray:
    """Mean affinity over each team's pairs (a team of one scores 0)."""
    onehot = np.zeros((problem.people, problem.teams), dtype=np.float64)
    onehot[np.arange(problem.people), team_of] = 1.0
    sums = ((problem.affinity @ onehot) * onehot).sum(axis=0) / 2.0
    sizes = onehot.sum(axis=0)
    pairs = sizes * (sizes - 1) / 2.0
    return np.where(pairs > 0, sums / np.maximum(pairs, 1.0), 0.0)


def isolated_count(problem: TeamProblem, team_of: IntArray) -> int:
    """People who are the only member of a protected group in their team."""
    if not problem.protected.size:
        return 0
    counts = np.zeros((problem.protected.shape[0], problem.teams), dtype=np.int64)
    for g in range(problem.protected.shape[0]):
        counts[g] = np.bincount(team_of[problem.protected[g]], minlength=problem.teams)
    return int((counts == 1).sum())


def unavoidable_isolation(problem: TeamProblem) -> int:
    """Groups with exactly one member: that person is alone in their group in any set of teams."""
    return int((problem.protected.sum(axis=1) == 1).sum())


@dataclass(frozen=True)
class TeamsQuality:
    worst: float
    mean: float
    isolated: int

    def key(self) -> tuple[int, float, float]:
        """Lexicographic goodness: fewer isolated, then a better worst team, then a better mean."""
        return (-self.isolated, round(self.worst, 12), round(self.mean, 12))


def assess(problem: TeamProblem, team_of: IntArray) -> TeamsQuality:
    scores = team_scores(problem, team_of)
    return TeamsQuality(
        worst=float(scores.min()) if len(scores) else 0.0,
        mean=float(scores.mean()) if len(scores) else 0.0,
        isolated=isolated_count(problem, team_of),
    )
