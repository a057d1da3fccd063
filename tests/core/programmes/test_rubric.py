"""Rubric scores and judge-severity normalisation."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mobilise.core.problems import InvalidInput
from mobilise.core.programmes import (
    Criterion,
    Rubric,
    SheetTotal,
    check_sheet,
    normalised_scores,
    rubric_from_document,
    selection_order,
    sheet_total,
)

RUBRIC = Rubric(
    (Criterion("motivation", "Motivation", 5, 1.0), Criterion("skills", "Skills", 10, 3.0))
)


def test_a_sheet_total_is_the_weighted_share_of_points() -> None:
    assert sheet_total(RUBRIC, {"motivation": 5, "skills": 10}) == 100.0
    assert sheet_total(RUBRIC, {"motivation": 0, "skills": 0}) == 0.0
    assert sheet_total(RUBRIC, {"motivation": 5, "skills": 0}) == 25.0


def test_a_sheet_must_score_every_criterion_within_its_points() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_sheet(RUBRIC, {"motivation": 6, "teamwork": 2})
    assert {(p.column, p.rule.split()[0]) for p in refused.value.problems} == {
        ("motivation", "must"),
        ("skills", "needs"),
        ("teamwork", "is"),
    }


def test_a_rubric_document_is_checked() -> None:
    with pytest.raises(InvalidInput):
        rubric_from_document([{"key": "a", "max_points": 0}, {"key": "a"}])
    assert rubric_from_document([{"key": "a"}]).criteria == (Criterion("a", "a", 5, 1.0),)


def test_a_hard_marker_does_not_sink_the_applications_they_marked() -> None:
    # Judge "hard" marks 30 below "easy" on the two applications both saw; x is seen only by
    # hard and y only by easy, and their raw totals differ only by that severity.
    sheets = [
        SheetTotal("a", "hard", 40),
        SheetTotal("a", "easy", 70),
        SheetTotal("b", "hard", 50),
        SheetTotal("b", "easy", 80),
        SheetTotal("x", "hard", 60),
        SheetTotal("y", "easy", 90),
    ]
    scores = normalised_scores(sheets)
    assert scores["x"] == pytest.approx(scores["y"])
    assert scores["a"] < scores["b"] < scores["x"]


totals = st.floats(0, 100, allow_nan=False)


@given(
    st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from("jkl"), totals), min_size=1),
    st.sampled_from("jkl"),
    st.floats(-30, 30, allow_nan=False),
)
def test_shifting_one_judge_changes_no_order(
    raw: list[tuple[str, str, float]], judge: str, shift: float
) -> None:
    # One sheet per (application, judge).
    sheets = {(app, j): total for app, j, total in raw}
    assume(any(j == judge for _, j in sheets))
    before = normalised_scores(SheetTotal(a, j, t) for (a, j), t in sheets.items())
    after = normalised_scores(
        SheetTotal(a, j, t + (shift if j == judge else 0.0)) for (a, j), t in sheets.items()
    )
    offset = {a: after[a] - before[a] for a in before}
    assert max(offset.values()) - min(offset.values()) == pytest.approx(0.0, abs=1e-7)


@given(st.dictionaries(st.sampled_from("abcdefgh"), st.floats(0, 100), min_size=1))
def test_the_selection_order_is_best_first_and_stable(scores: dict[str, float]) -> None:
    apps = sorted(scores)
    order = selection_order(scores, apps)
    assert sorted(order) == apps
    for first, second in itertools.pairwise(order):
        assert round(scores[first], 6) >= round(scores[second], 6)
        if round(scores[first], 6) == round(scores[second], 6):
            assert apps.index(first) < apps.index(second)
