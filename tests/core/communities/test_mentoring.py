"""Mentors' fit to mentees: in [0, 1], zero where the mentor offers none of the asked-for skills
above the mentee's level, full where they offer all two levels above; explanations name what
is covered."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mobilise.core.communities import covered_skills, explain_match, mentoring_fits

SKILLS = 4


def _side(rows: int) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray]]:
    return st.tuples(
        arrays(np.bool_, (rows, SKILLS)),
        arrays(np.int8, (rows, SKILLS), elements=st.integers(0, 4)),
    )


@given(_side(3), _side(2))
def test_fits_are_shares_of_the_asked_for_skills(
    mentees: tuple[np.ndarray, np.ndarray], mentors: tuple[np.ndarray, np.ndarray]
) -> None:
    wanted, mentee_levels = mentees
    offered, mentor_levels = mentors
    fits = mentoring_fits(wanted, mentee_levels, offered, mentor_levels)
    assert fits.shape == (3, 2)
    assert ((fits >= 0) & (fits <= 1)).all()
    for i in range(3):
        for j in range(2):
            covered = covered_skills(
                ["a", "b", "c", "d"], wanted[i], mentee_levels[i], offered[j], mentor_levels[j]
            )
            assert (fits[i, j] > 0) == bool(covered)
            # Each covered skill adds a half or a whole share of the asked-for skills.
            asked = int(wanted[i].sum())
            if asked:
                assert len(covered) / (2 * asked) <= fits[i, j] + 1e-9
                assert fits[i, j] <= len(covered) / asked + 1e-9


def test_two_levels_above_on_every_asked_skill_is_a_full_fit() -> None:
    wanted = np.array([[True, True, False, False]])
    mentee = np.array([[1, 2, 0, 0]], dtype=np.int8)
    offered = np.array([[True, True, True, False], [True, False, False, False]])
    mentor = np.array([[3, 4, 4, 0], [2, 4, 0, 0]], dtype=np.int8)
    fits = mentoring_fits(wanted, mentee, offered, mentor)
    assert fits.tolist() == [[1.0, 0.25]]


def test_the_explanation_names_the_mentor_the_skills_and_the_choice() -> None:
    covered = covered_skills(
        ["Data analysis", "Ethics"],
        np.array([True, True]),
        np.array([2, 0], dtype=np.int8),
        np.array([True, False]),
        np.array([4, 4], dtype=np.int8),
    )
    text = explain_match("Lead", 0.5, covered, 2, 3)
    assert text.startswith("Matched with Lead, fit 50%: your 2nd best fit of 3.")
    assert "Data analysis (expert; you: working)" in text
    assert "Ethics" not in text
