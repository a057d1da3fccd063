"""Fit to an opportunity's required skills: bounded, exact at the ends, monotone in the person's
levels, the same whichever way round it is computed, and explained skill by skill."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mobilise.core.marketplace import (
    explain,
    fits_from_rows,
    fits_of_applicants,
    fits_of_opportunities,
    ranking,
    ranking_with_scores,
)
from mobilise.core.profiles.gaps import SkillAxis, level_row, requirement_matrix

SKILLS = 6
levels_row = arrays(np.int8, SKILLS, elements=st.integers(0, 4))
requirement_rows = st.integers(1, 5).flatmap(
    lambda n: arrays(np.int8, (n, SKILLS), elements=st.integers(0, 4))
)


@given(levels_row, requirement_rows)
def test_fit_lies_between_0_and_1_and_is_1_exactly_when_every_requirement_is_met(
    levels: np.ndarray, requirements: np.ndarray
) -> None:
    fits = fits_of_opportunities(levels, requirements)
    assert ((fits.score >= 0) & (fits.score <= 1)).all()
    met_all = (levels[None, :] >= requirements).all(axis=1)
    assert ((fits.score == 1) == met_all).all()
    assert ((fits.short == 0) == met_all).all()


@given(requirement_rows)
def test_no_skills_fits_0_and_requiring_nothing_fits_everyone(requirements: np.ndarray) -> None:
    fits = fits_of_opportunities(np.zeros(SKILLS, dtype=np.int8), requirements)
    demands = requirements.sum(axis=1)
    assert (fits.score[demands > 0] == 0).all()
    assert (fits.score[demands == 0] == 1).all()


@given(levels_row, requirement_rows, st.integers(0, SKILLS - 1))
def test_a_higher_level_never_lowers_fit(
    levels: np.ndarray, requirements: np.ndarray, skill: int
) -> None:
    better = levels.copy()
    better[skill] = min(4, int(better[skill]) + 1)
    assert (
        fits_of_opportunities(better, requirements).score
        >= fits_of_opportunities(levels, requirements).score
    ).all()


@given(
    st.integers(1, 5).flatmap(lambda n: arrays(np.int8, (n, SKILLS), elements=st.integers(0, 4))),
    arrays(np.int8, SKILLS, elements=st.integers(0, 4)),
)
def test_ranking_applicants_agrees_with_ranking_opportunities(
    people: np.ndarray, requirement: np.ndarray
) -> None:
    together = fits_of_applicants(people, requirement)
    for row, person in enumerate(people):
        alone = fits_of_opportunities(person, requirement[None, :])
        assert together.score[row] == alone.score[0]
        assert together.short[row] == alone.short[0]


@given(levels_row, requirement_rows)
def test_ranking_is_best_first_and_keeps_the_given_order_on_ties(
    levels: np.ndarray, requirements: np.ndarray
) -> None:
    fits = fits_of_opportunities(levels, requirements)
    order = ranking(fits).tolist()
    assert sorted(order) == list(range(len(requirements)))
    keys = [(-fits.score[i], fits.short[i], i) for i in order]
    assert keys == sorted(keys)


@given(levels_row, arrays(np.int8, SKILLS, elements=st.integers(0, 4)))
def test_the_explanation_names_each_required_skill_once_as_met_or_a_gap(
    levels: np.ndarray, requirement: np.ndarray
) -> None:
    axis = SkillAxis(tuple(range(100, 100 + SKILLS)))
    why = explain(axis, levels, np.zeros(SKILLS, dtype=np.bool_), requirement)
    named = [g.skill_id - 100 for g in why.met + why.gaps]
    assert sorted(named) == np.flatnonzero(requirement).tolist()
    assert all(g.current >= g.required for g in why.met)
    assert all(g.current < g.required for g in why.gaps)
    assert why.score == fits_of_opportunities(levels, requirement[None, :]).score[0]


@given(
    levels_row,
    requirement_rows.flatmap(
        lambda r: st.tuples(
            st.just(r),
            st.lists(st.none() | st.integers(0, 100), min_size=len(r), max_size=len(r)),
        )
    ),
)
def test_owners_scores_rank_first_and_fit_decides_the_rest(
    levels: np.ndarray, case: tuple[np.ndarray, list[int | None]]
) -> None:
    requirements, scores = case
    fits = fits_of_opportunities(levels, requirements)
    order = ranking_with_scores(fits, scores).tolist()
    scored = [i for i in order if scores[i] is not None]
    assert order[: len(scored)] == scored
    assert [scores[i] for i in scored] == sorted((scores[i] for i in scored), reverse=True)
    unscored = order[len(scored) :]
    by_fit = [i for i in ranking(fits).tolist() if scores[i] is None]
    assert unscored == by_fit
    if all(s is None for s in scores):
        assert order == ranking(fits).tolist()


@given(
    st.lists(
        st.dictionaries(st.integers(100, 130), st.integers(1, 4), max_size=6),
        min_size=1,
        max_size=8,
    ),
    st.dictionaries(st.integers(95, 135), st.integers(1, 4), max_size=20),
)
def test_fits_from_rows_are_the_fits_of_the_dense_matrix(
    needs: list[dict[int, int]], person: dict[int, int]
) -> None:
    triples = [
        (row, skill, level) for row, need in enumerate(needs) for skill, level in need.items()
    ]
    sparse = fits_from_rows(
        len(needs),
        [t[0] for t in triples],
        [t[1] for t in triples],
        [t[2] for t in triples],
        person,
    )
    axis = SkillAxis(tuple(sorted({s for need in needs for s in need} | {0})))
    dense = fits_of_opportunities(level_row(axis, person)[0], requirement_matrix(axis, needs))
    assert np.allclose(sparse.score, dense.score)
    assert (sparse.short == dense.short).all()
