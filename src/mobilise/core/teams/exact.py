"""Exact team formation for small groups: every possible team is enumerated and scored, then
CP-SAT picks disjoint teams that cover everyone with the best possible worst team, proven.

Enumerating teams (set partitioning) gives a far tighter model than pair-by-team variables, which
cannot even match a heuristic in minutes at 25 people. A known lower bound on the worst team (the
heuristic's) prunes every team that could not be part of an optimum. Single worker and a fixed
seed make it reproducible (DESIGN.md, Decisions).
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from math import comb

import numpy as np
from ortools.sat.python import cp_model

from mobilise.core.teams.problem import IntArray, TeamProblem
from mobilise.core.teams.score import TeamsQuality, assess

SCALE = 1_000_000
MAX_CANDIDATE_TEAMS = 2_000_000


@dataclass(frozen=True)
class ExactResult:
    team_of: IntArray
    quality: TeamsQuality
    proven_optimal: bool


def candidate_count(problem: TeamProblem) -> int:
    return sum(comb(problem.people, size) for size in set(problem.team_sizes))


def _teams_of_size(problem: TeamProblem, size: int) -> tuple[np.ndarray, np.ndarray]:
    members = np.array(list(itertools.combinations(range(problem.people), size)), dtype=np.int64)
    total = np.zeros(len(members), dtype=np.float64)
    for a, b in itertools.combinations(range(size), 2):
        total += problem.affinity[members[:, a], members[:, b]]
    pairs = size * (size - 1) / 2
    scores = total / pairs if pairs else np.zeros(len(members))
    # A team may not hold exactly one member of a protected group (unless that group has only one).
    allowed = np.ones(len(members), dtype=bool)
    for g in range(problem.protected.shape[0]):
        if problem.protected[g].sum() == 1:
            continue
        inside = problem.protected[g][members].sum(axis=1)
        allowed &= inside != 1
    return members[allowed], scores[allowed]


def form_teams_exactly(
    problem: TeamProblem, start: IntArray, *, seed: int = 0, seconds: float = 60.0
) -> ExactResult:
    """The optimal teams. `start` (e.g. the heuristic's teams) is a hint and, through its worst
    team, a lower bound that prunes every candidate team that cannot be in an optimum."""
    start_quality = assess(problem, start)
    # With isolation the start may break a rule the model enforces; then it cannot bound the model.
    lower_bound = start_quality.worst if start_quality.isolated == 0 else 0.0
    start_teams = {tuple(sorted(np.flatnonzero(start == t).tolist())) for t in range(problem.teams)}
    if candidate_count(problem) > MAX_CANDIDATE_TEAMS:
        raise ValueError(
            f"the exact mode enumerates teams and allows at most {MAX_CANDIDATE_TEAMS:,} candidates"
        )
    model = cp_model.CpModel()
    chosen: list[tuple[cp_model.IntVar, np.ndarray, int]] = []
    covering: list[list[cp_model.IntVar]] = [[] for _ in range(problem.people)]
    by_size: dict[int, list[cp_model.IntVar]] = {}
    worst = model.new_int_var(0, SCALE, "worst")
    for size in sorted(set(problem.team_sizes)):
        members, scores = _teams_of_size(problem, size)
        keep = scores >= lower_bound - 1e-9
        for team, score in zip(members[keep], scores[keep], strict=True):
            var = model.new_bool_var("")
            value = round(float(score) * SCALE)
            model.add(worst <= value).only_enforce_if(var)
            chosen.append((var, team, value))
            model.add_hint(var, tuple(team.tolist()) in start_teams)
            by_size.setdefault(size, []).append(var)
            for person in team:
                covering[int(person)].append(var)
    for person_vars in covering:
        model.add_exactly_one(person_vars)
    for size, count in Counter(problem.team_sizes).items():
        model.add(sum(by_size.get(size, [])) == count)
    ceiling = SCALE * problem.teams + 1
    model.maximize(worst * ceiling + sum(value * var for var, _, value in chosen))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = seconds
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise ValueError("no set of teams reaches the lower bound under the constraints")
    team_of = np.full(problem.people, -1, dtype=np.int64)
    for t, (_, team, _) in enumerate(item for item in chosen if solver.value(item[0])):
        team_of[team] = t
    return ExactResult(team_of, assess(problem, team_of), status == cp_model.OPTIMAL)
