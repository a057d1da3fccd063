"""Judging: z-scores per judge, the fallback for judges with too few sheets, ranks."""

from __future__ import annotations

import itertools
import math
import random

from hypothesis import assume, given
from hypothesis import strategies as st

from mobilise.core.hackathons import (
    MIN_SHEETS_TO_STANDARDISE,
    judge_scales,
    rank_teams,
    standardised_scores,
)
from mobilise.core.hackathons.judging import REFERENCE_MEAN, REFERENCE_SPREAD
from mobilise.core.programmes import SheetTotal

TEAMS = [f"t{i}" for i in range(8)]
JUDGES = ["j0", "j1", "j2"]


@st.composite
def panels(draw: st.DrawFn) -> list[SheetTotal]:
    """Every judge scores at least MIN_SHEETS_TO_STANDARDISE teams, with some spread."""
    teams = TEAMS[: draw(st.integers(MIN_SHEETS_TO_STANDARDISE, len(TEAMS)))]
    sheets: list[SheetTotal] = []
    for judge in JUDGES[: draw(st.integers(1, len(JUDGES)))]:
        chosen = draw(
            st.lists(
                st.sampled_from(teams),
                min_size=MIN_SHEETS_TO_STANDARDISE,
                max_size=len(teams),
                unique=True,
            )
        )
        totals = draw(
            st.lists(st.integers(0, 100), min_size=len(chosen), max_size=len(chosen)).filter(
                lambda values: len(set(values)) > 1
            )
        )
        pairs = zip(chosen, totals, strict=True)
        sheets.extend(SheetTotal(team, judge, float(t)) for team, t in pairs)
    return sheets


def _order(sheets: list[SheetTotal]) -> list[tuple[str, int | None]]:
    ranked = rank_teams(standardised_scores(sheets), TEAMS)
    return [(r.team, r.rank) for r in ranked]


def _distinct(sheets: list[SheetTotal]) -> bool:
    values = sorted(s.score for s in standardised_scores(sheets).values())
    return all(b - a > 1e-6 for a, b in itertools.pairwise(values))


@given(panels(), st.data())
def test_a_uniformly_harsh_or_narrow_judge_changes_no_ranking(
    sheets: list[SheetTotal], data: st.DataObject
) -> None:
    assume(_distinct(sheets))
    judge = data.draw(st.sampled_from(sorted({s.judge for s in sheets})))
    shift = data.draw(st.floats(-60, 60))
    squeeze = data.draw(st.floats(0.1, 3.0))
    harsher = [
        SheetTotal(s.application, s.judge, s.total * squeeze + shift) if s.judge == judge else s
        for s in sheets
    ]
    before, after = standardised_scores(sheets), standardised_scores(harsher)
    for team, score in before.items():
        assert math.isclose(score.score, after[team].score, abs_tol=1e-9)
    assert _order(harsher) == _order(sheets)


@given(panels())
def test_a_standardised_judges_z_scores_have_mean_zero_and_spread_one(
    sheets: list[SheetTotal],
) -> None:
    scales = judge_scales(sheets)
    for judge, scale in scales.items():
        assert scale.standardised
        z = [(s.total - scale.mean) / scale.spread for s in sheets if s.judge == judge]
        mean = sum(z) / len(z)
        assert math.isclose(mean, 0.0, abs_tol=1e-9)
        assert math.isclose(sum((v - mean) ** 2 for v in z) / len(z), 1.0, rel_tol=1e-9)


@given(panels(), st.randoms())
def test_the_order_sheets_arrive_in_changes_nothing(
    sheets: list[SheetTotal], rng: random.Random
) -> None:
    shuffled = list(sheets)
    rng.shuffle(shuffled)
    assert _order(shuffled) == _order(sheets)


def test_a_judge_with_too_few_sheets_falls_back_to_the_fixed_reference() -> None:
    sheets = [
        SheetTotal("t0", "busy", 80.0),
        SheetTotal("t1", "busy", 60.0),
        SheetTotal("t2", "busy", 40.0),
        SheetTotal("t3", "brief", 90.0),  # one sheet: no mean or spread of its own
        SheetTotal("t3", "same", 70.0),
        SheetTotal("t4", "same", 70.0),
        SheetTotal("t5", "same", 70.0),  # three sheets but no spread
    ]
    scales = judge_scales(sheets)
    assert scales["busy"].standardised
    assert not scales["brief"].standardised
    assert not scales["same"].standardised
    assert (scales["brief"].mean, scales["brief"].spread) == (REFERENCE_MEAN, REFERENCE_SPREAD)
    scores = standardised_scores(sheets)
    assert math.isclose(scores["t0"].score, (80 - 60) / math.sqrt(800 / 3))
    expected_t3 = ((90 - 50) / REFERENCE_SPREAD + (70 - 50) / REFERENCE_SPREAD) / 2
    assert math.isclose(scores["t3"].score, expected_t3)
    assert scores["t3"].sheets == 2
    assert scores["t3"].mean_total == 80.0


def test_ties_share_a_rank_and_unscored_teams_come_last_unranked() -> None:
    sheets = [
        SheetTotal("a", "j", 90.0),
        SheetTotal("b", "j", 50.0),
        SheetTotal("c", "j", 50.0),
        SheetTotal("d", "j", 10.0),
    ]
    ranked = rank_teams(standardised_scores(sheets), ["e", "c", "b", "a", "d"])
    assert [(r.team, r.rank) for r in ranked] == [
        ("a", 1),
        ("c", 2),
        ("b", 2),
        ("d", 4),
        ("e", None),
    ]
    assert ranked[-1].score is None


def test_no_sheets_rank_no_one() -> None:
    assert standardised_scores([]) == {}
    assert [r.rank for r in rank_teams({}, ["a"])] == [None]
