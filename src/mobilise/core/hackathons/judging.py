"""Judging: each judge's totals standardised (z-scores) before averaging, then ranked results.

A judge's total for a team is the weighted share of the rubric's points they gave (0 to 100, as
core/programmes/rubric.py computes it). Judges differ in how hard they mark and in how much of
the scale they use, and each judge sees only some teams. So each judge's totals are turned into
z-scores against that judge's own mean and spread, and a team's score is the mean of its z-scores:
a judge who marks every team 20 points lower, or who squeezes every total into half the range,
changes no team's place (property-tested).

Fallback: a judge's mean and spread cannot be estimated from fewer than
MIN_SHEETS_TO_STANDARDISE totals, and a judge who gave every team the same total has no spread.
Such a judge's totals are put on the z scale against a fixed reference instead: the middle of the
0-100 scale and the spread of totals spread evenly over it (100/√12). Their severity is then not
removed, but their scores stay comparable in size, and the reference does not depend on the other
judges, so standardised judges stay unaffected by them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from mobilise.core.programmes.rubric import SheetTotal

MIN_SHEETS_TO_STANDARDISE = 3
REFERENCE_MEAN = 50.0
REFERENCE_SPREAD = 100.0 / math.sqrt(12.0)
# Spreads below this count as none (floating-point noise over equal totals).
NO_SPREAD = 1e-9
# Scores equal to this many decimal places share a rank.
RANK_DECIMALS = 9


@dataclass(frozen=True)
class JudgeScale:
    judge: str
    sheets: int
    mean: float
    spread: float
    standardised: bool  # False: the fixed reference was used (the fallback)


@dataclass(frozen=True)
class TeamScore:
    team: str
    score: float  # mean z-score over the team's sheets
    mean_total: float  # mean raw total, for reading (and the second tie-break)
    sheets: int


@dataclass(frozen=True)
class RankedTeam:
    team: str
    rank: int | None  # None: no judge scored it
    score: float | None
    mean_total: float | None
    sheets: int


def judge_scales(totals: Iterable[SheetTotal]) -> dict[str, JudgeScale]:
    """Each judge's mean and spread (population standard deviation), or the fixed reference."""
    by_judge: dict[str, list[float]] = defaultdict(list)
    for sheet in totals:
        by_judge[sheet.judge].append(sheet.total)
    scales: dict[str, JudgeScale] = {}
    for judge, values in by_judge.items():
        mean = math.fsum(values) / len(values)
        spread = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))
        if len(values) >= MIN_SHEETS_TO_STANDARDISE and spread > NO_SPREAD:
            scales[judge] = JudgeScale(judge, len(values), mean, spread, True)
        else:
            scales[judge] = JudgeScale(judge, len(values), REFERENCE_MEAN, REFERENCE_SPREAD, False)
    return scales


def standardised_scores(totals: Iterable[SheetTotal]) -> dict[str, TeamScore]:
    """Each scored team's mean z-score (see the module for the fallback)."""
    sheets = list(totals)
    scales = judge_scales(sheets)
    z_by_team: dict[str, list[float]] = defaultdict(list)
    raw_by_team: dict[str, list[float]] = defaultdict(list)
    for sheet in sheets:
        scale = scales[sheet.judge]
        z_by_team[sheet.application].append((sheet.total - scale.mean) / scale.spread)
        raw_by_team[sheet.application].append(sheet.total)
    return {
        team: TeamScore(
            team,
            math.fsum(z) / len(z),
            math.fsum(raw_by_team[team]) / len(z),
            len(z),
        )
        for team, z in z_by_team.items()
    }


def rank_teams(scores: Mapping[str, TeamScore], teams: Sequence[str]) -> list[RankedTeam]:
    """Best first, ranked 1, 2, 2, 4 ... where scores tie; teams no judge scored come last,
    unranked, in the order `teams` gives them (which also orders equal scores)."""
    position = {team: index for index, team in enumerate(teams)}
    scored = sorted(
        (team for team in teams if team in scores),
        key=lambda team: (-round(scores[team].score, RANK_DECIMALS), position[team]),
    )
    ranked: list[RankedTeam] = []
    previous: float | None = None
    rank = 0
    for index, team in enumerate(scored):
        value = round(scores[team].score, RANK_DECIMALS)
        if previous is None or value != previous:
            rank = index + 1
            previous = value
        found = scores[team]
        ranked.append(RankedTeam(team, rank, found.score, found.mean_total, found.sheets))
    ranked.extend(RankedTeam(team, None, None, None, 0) for team in teams if team not in scores)
    return ranked
