"""Team formation from files: PEOPLE.json in, TEAMS.json out (`mobilise teams`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.teams.exact import MAX_CANDIDATE_TEAMS, candidate_count, form_teams_exactly
from mobilise.core.teams.problem import TeamProblem, problem_from_document
from mobilise.core.teams.score import assess, team_scores, unavoidable_isolation
from mobilise.core.teams.search import form_teams
from mobilise.services.documents import naming_the_file, read_json_document, write_json_atomically


def teams_document(
    problem: TeamProblem, team_of: np.ndarray, *, method: str, seed: int, proven_optimal: bool
) -> dict[str, Any]:
    quality = assess(problem, team_of)
    scores = team_scores(problem, team_of)
    order = np.argsort(-scores, kind="stable")
    teams = [
        {
            "team": rank + 1,
            "score": round(float(scores[t]), 6),
            "members": [problem.person_ids[i] for i in np.flatnonzero(team_of == t)],
        }
        for rank, t in enumerate(order)
    ]
    return {
        "method": method,
        "seed": seed,
        "criteria": [
            {"attribute": c.attribute, "kind": c.kind, "weight": c.weight} for c in problem.criteria
        ],
        "never_isolate": list(problem.protected_labels),
        "teams": teams,
        "metrics": {
            "teams": problem.teams,
            "people": problem.people,
            "worst_team_score": round(quality.worst, 6),
            "mean_team_score": round(quality.mean, 6),
            "isolated": quality.isolated,
            "unavoidably_isolated": unavoidable_isolation(problem),
            "proven_optimal": proven_optimal,
        },
    }


def form_teams_from_file(
    people_path: Path,
    output: Path,
    *,
    size: int,
    similar: Sequence[str] = (),
    diverse: Sequence[str] = (),
    never_isolate: Sequence[str] = (),
    exact: bool = False,
    seed: int = 0,
    rounds: int = 300,
    seconds: float | None = 1.5,
) -> dict[str, Any]:
    """Form teams and write TEAMS.json atomically; bad input is named and writes nothing."""
    document = read_json_document(people_path)
    with naming_the_file(people_path, "people"):
        problem = problem_from_document(
            document, size=size, similar=similar, diverse=diverse, never_isolate=never_isolate
        )
    if exact and candidate_count(problem) > MAX_CANDIDATE_TEAMS:
        raise InvalidInput(
            [
                Problem(
                    people_path.name,
                    None,
                    "--exact",
                    str(problem.people),
                    f"the exact mode is for small groups (at most {MAX_CANDIDATE_TEAMS:,} possible "
                    "teams to enumerate); leave it off to use the heuristic",
                )
            ]
        )
    found = form_teams(problem, seed=seed, rounds=rounds, seconds=seconds)
    team_of, proven, method = found.team_of, False, "heuristic"
    if exact:
        result = form_teams_exactly(problem, team_of, seed=seed, seconds=max(seconds or 0.0, 60.0))
        team_of, proven, method = result.team_of, result.proven_optimal, "exact"
    outcome = teams_document(problem, team_of, method=method, seed=seed, proven_optimal=proven)
    # Recorded so that `--rounds N --seconds 0` reproduces a run the clock cut short.
    outcome["rounds"] = found.rounds
    write_json_atomically(output, outcome)
    return outcome
