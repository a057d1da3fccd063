"""Heuristic team formation: a draft in which teams take turns to pick, then swap search.

The search always works on the worst team: for each of its members it scores, in one vectorised
step, swapping them with every person outside it, using a people × teams affinity matrix that each
swap updates in O(people). It accepts the swap that most raises the lower of the two teams' new
scores (after first removing isolation), and perturbs from the best solution when stuck.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from mobilise.core.teams.problem import FloatArray, IntArray, TeamProblem
from mobilise.core.teams.score import TeamsQuality, assess

EPSILON = 1e-12
# How many of the lowest-scoring teams a descent step tries; lifting teams far above the worst
# rarely helps the worst and costs a scan each.
LEXIMIN_TEAMS = 8
# Random swaps that kick the search out of a local optimum before it descends again.
KICK_SWAPS = 2


def construct(problem: TeamProblem, rng: np.random.Generator) -> IntArray:
    n, sizes = problem.people, np.array(problem.team_sizes, dtype=np.int64)
    team_of = np.full(n, -1, dtype=np.int64)
    room = sizes.copy()
    # Protected groups go in first, two or more to a team, so no member starts alone.
    for g in np.argsort(-problem.protected.sum(axis=1), kind="stable"):
        members = [i for i in np.flatnonzero(problem.protected[g]) if team_of[i] < 0]
        rng.shuffle(members)
        while len(members) >= 2:
            t = int(np.argmax(room))
            take = 3 if len(members) == 3 else 2
            if room[t] < take:
                break
            for i in members[:take]:
                team_of[i] = t
            room[t] -= take
            members = members[take:]
        for i in members:
            t = int(np.argmax(room))
            team_of[i] = t
            room[t] -= 1
    # A draft for everyone else: teams take turns, least filled first, each taking whoever fits
    # its members best, so no team is left with only the people nobody else picked.
    remaining = [int(i) for i in rng.permutation(np.flatnonzero(team_of < 0))]
    affinity = problem.affinity
    while remaining:
        pool = np.array(remaining, dtype=np.int64)
        open_teams = np.flatnonzero(room > 0)
        fill = sizes[open_teams] - room[open_teams]
        # Teams furthest from full pick first, so teams grow together.
        t = int(open_teams[np.argmin(fill)])
        current = np.flatnonzero(team_of == t)
        if len(current):
            gains = affinity[np.ix_(pool, current)].mean(axis=1)
            choice = int(np.argmax(gains))
        else:
            choice = 0
        person = int(pool[choice])
        team_of[person] = t
        room[t] -= 1
        remaining.pop(choice)
    return team_of


class SwapSearch:
    def __init__(self, problem: TeamProblem, team_of: IntArray) -> None:
        self.problem = problem
        self.team_of = team_of.copy()
        n, teams = problem.people, problem.teams
        onehot = np.zeros((n, teams), dtype=np.float64)
        onehot[np.arange(n), team_of] = 1.0
        self.to_team = problem.affinity @ onehot  # to_team[i, t]: i's summed affinity to team t
        self.sums = (onehot * self.to_team).sum(axis=0) / 2.0
        sizes = onehot.sum(axis=0)
        self.pairs = np.maximum(sizes * (sizes - 1) / 2.0, 1.0)
        self.groups = problem.protected.astype(np.int64)  # g × n
        self.counts = self.groups @ onehot.astype(np.int64)  # g × teams

    def scores(self) -> FloatArray:
        scores: FloatArray = self.sums / self.pairs
        return scores

    def isolated(self) -> int:
        return int((self.counts == 1).sum())

    def quality(self) -> TeamsQuality:
        scores = self.scores()
        return TeamsQuality(float(scores.min()), float(scores.mean()), self.isolated())

    def swap(self, i: int, j: int) -> None:
        a, b = int(self.team_of[i]), int(self.team_of[j])
        affinity = self.problem.affinity
        self.sums[a] += self.to_team[j, a] - affinity[j, i] - self.to_team[i, a]
        self.sums[b] += self.to_team[i, b] - affinity[i, j] - self.to_team[j, b]
        self.to_team[:, a] += affinity[:, j] - affinity[:, i]
        self.to_team[:, b] += affinity[:, i] - affinity[:, j]
        self.counts[:, a] += self.groups[:, j] - self.groups[:, i]
        self.counts[:, b] += self.groups[:, i] - self.groups[:, j]
        self.team_of[i], self.team_of[j] = b, a

    def best_move_for(self, team: int, *, fix_isolation: bool) -> tuple[int, int] | None:
        """The best swap of a member of `team`: one that isolates fewer people (`fix_isolation`),
        or one that isolates no more and raises the lower score of the two teams it touches."""
        affinity = self.problem.affinity
        scores = self.scores()
        outside = np.flatnonzero(self.team_of != team)
        if not len(outside):
            return None
        others = self.team_of[outside]
        best: tuple[tuple[int, float, float], int, int] | None = None
        for i in np.flatnonzero(self.team_of == team):
            new_w = (
                self.sums[team]
                + self.to_team[outside, team]
                - affinity[outside, i]
                - self.to_team[i, team]
            ) / self.pairs[team]
            new_t = (
                self.sums[others]
                - self.to_team[outside, others]
                + self.to_team[i, others]
                - affinity[i, outside]
            ) / self.pairs[others]
            gi = self.groups[:, i][:, None]
            gj = self.groups[:, outside]
            cw, ct = self.counts[:, team][:, None], self.counts[:, others]
            cw2, ct2 = cw - gi + gj, ct - gj + gi
            d_isolated = ((cw2 == 1).astype(np.int64) - (cw == 1) + (ct2 == 1) - (ct == 1)).sum(
                axis=0
            )
            lower = np.minimum(new_w, new_t)
            gain = new_w + new_t - scores[team] - scores[others]
            if fix_isolation:
                better = d_isolated < 0
            else:
                # Leximin: the lower of the two teams must rise. The worst team is tried first,
                # but lifting a near-worst team is progress too and often unblocks the worst one.
                before = np.minimum(scores[team], scores[others])
                better = (d_isolated <= 0) & (lower > before + EPSILON)
            if not better.any():
                continue
            candidates = np.flatnonzero(better)
            order = np.lexsort((-gain[candidates], -lower[candidates], d_isolated[candidates]))
            k = int(candidates[order[0]])
            key = (int(d_isolated[k]), -float(lower[k]), -float(gain[k]))
            if best is None or key < best[0]:
                best = (key, int(i), int(outside[k]))
        return None if best is None else (best[1], best[2])

    def improve(self) -> None:
        """Swap while a swap isolates fewer people or lifts the worst team.

        Each accepted swap lowers isolation, or keeps it and improves the sorted list of team
        scores in leximin order (the lower of the two changed scores rises), so the loop ends.
        """
        while True:
            move = None
            if self.isolated():
                scores = self.scores()
                isolated_teams = np.flatnonzero((self.counts == 1).any(axis=0))
                for team in isolated_teams[np.argsort(scores[isolated_teams], kind="stable")]:
                    move = self.best_move_for(int(team), fix_isolation=True)
                    if move is not None:
                        break
            if move is None:
                for team in np.argsort(self.scores(), kind="stable")[:LEXIMIN_TEAMS]:
                    move = self.best_move_for(int(team), fix_isolation=False)
                    if move is not None:
                        break
            if move is None:
                return
            self.swap(*move)


@dataclass(frozen=True)
class TeamsOutcome:
    team_of: IntArray
    quality: TeamsQuality
    # Perturbation rounds done; re-running with this many and no time limit reproduces the teams.
    rounds: int


def form_teams(
    problem: TeamProblem, *, seed: int = 0, rounds: int = 300, seconds: float | None = None
) -> TeamsOutcome:
    """The best teams after a descent and up to `rounds` kick-and-descend rounds, stopping early
    when `seconds` have passed. The same seed and rounds give the same teams."""
    if problem.people == 0:
        return TeamsOutcome(np.zeros(0, dtype=np.int64), TeamsQuality(0.0, 0.0, 0), 0)
    rng = np.random.default_rng(seed)
    deadline = None if seconds is None else time.perf_counter() + seconds
    search = SwapSearch(problem, construct(problem, rng))
    # Descent follows leximin, which can trade a little of the mean for the lower teams; the
    # construction stays a candidate so the result is never worse by (isolated, worst, mean).
    best, best_quality = search.team_of.copy(), search.quality()
    search.improve()
    if search.quality().key() > best_quality.key():
        best, best_quality = search.team_of.copy(), search.quality()
    done = 0
    while problem.teams > 1 and done < rounds:
        if deadline is not None and time.perf_counter() >= deadline:
            break
        done += 1
        search = SwapSearch(problem, best)
        for _ in range(KICK_SWAPS):
            i, j = rng.choice(problem.people, 2, replace=False)
            if search.team_of[i] != search.team_of[j]:
                search.swap(int(i), int(j))
        search.improve()
        quality = search.quality()
        if quality.key() > best_quality.key():
            best, best_quality = search.team_of.copy(), quality
    return TeamsOutcome(best, assess(problem, best), done)
