"""Vectorised gaps agree with a plain-Python reference, cell by cell."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mobilise.core.problems import InvalidInput
from mobilise.core.profiles.gaps import (
    SkillAxis,
    gaps_of_people,
    gaps_to_role_levels,
    level_row,
    nearest_role_levels,
    profile_matrix,
    requirement_matrix,
    skill_gaps,
)
from mobilise.core.profiles.precedence import ClaimFact, derive_profile


@st.composite
def instances(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    people = draw(st.integers(1, 8))
    skills = draw(st.integers(1, 10))
    role_levels = draw(st.integers(1, 8))
    levels = draw(hnp.arrays(np.int8, (people, skills), elements=st.integers(0, 4)))
    validated = draw(hnp.arrays(np.bool_, (people, skills))) & (levels > 0)
    requirements = draw(hnp.arrays(np.int8, (role_levels, skills), elements=st.integers(0, 4)))
    return levels, validated, requirements


def reference_gap(
    person: list[int], checked: list[bool], required: list[int]
) -> tuple[list[int], int, int, int]:
    shortfall = []
    unverified = 0
    for have, need, sure in zip(person, required, checked, strict=True):
        shortfall.append(need - have if need > have else 0)
        if need > 0 and have >= need and not sure:
            unverified += 1
    return shortfall, sum(shortfall), sum(1 for s in shortfall if s > 0), unverified


@given(instances())
def test_one_person_to_every_role_level_matches_the_reference(
    instance: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    levels, validated, requirements = instance
    for p in range(levels.shape[0]):
        gaps = gaps_to_role_levels(levels[p], requirements, validated[p])
        for r in range(requirements.shape[0]):
            shortfall, total, short, unverified = reference_gap(
                levels[p].tolist(), validated[p].tolist(), requirements[r].tolist()
            )
            assert gaps.shortfall[r].tolist() == shortfall
            assert (int(gaps.total[r]), int(gaps.short[r]), int(gaps.unverified[r])) == (
                total,
                short,
                unverified,
            )


@given(instances())
def test_many_people_to_one_role_level_matches_the_reference(
    instance: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    levels, validated, requirements = instance
    for r in range(requirements.shape[0]):
        gaps = gaps_of_people(levels, requirements[r], validated)
        required_columns = [c for c, need in enumerate(requirements[r].tolist()) if need > 0]
        assert gaps.columns.tolist() == required_columns
        for p in range(levels.shape[0]):
            shortfall, total, short, unverified = reference_gap(
                levels[p].tolist(), validated[p].tolist(), requirements[r].tolist()
            )
            assert gaps.shortfall[p].tolist() == [shortfall[c] for c in required_columns]
            assert (int(gaps.total[p]), int(gaps.short[p]), int(gaps.unverified[p])) == (
                total,
                short,
                unverified,
            )


@given(instances(), st.integers(0, 10), st.sets(st.integers(0, 7), max_size=3))
def test_nearest_role_levels_rank_by_gap_then_skills_short_then_demand_then_row(
    instance: tuple[np.ndarray, np.ndarray, np.ndarray], k: int, exclude: set[int]
) -> None:
    levels, _, requirements = instance
    person = levels[0].tolist()
    keyed = []
    for r, required in enumerate(requirements.tolist()):
        if r in exclude:
            continue
        _, total, short, _ = reference_gap(person, [False] * len(person), required)
        keyed.append(((total, short, -sum(required), r), r))
    expected = [r for _, r in sorted(keyed)][:k]
    nearest = nearest_role_levels(levels[0], requirements, k, exclude=exclude)
    assert nearest.rows.tolist() == expected
    full = gaps_to_role_levels(levels[0], requirements)
    assert nearest.total.tolist() == full.total[expected].tolist()
    assert nearest.short.tolist() == full.short[expected].tolist()


def test_equally_near_role_levels_put_the_more_demanding_first() -> None:
    requirements = np.array([[1, 1, 0], [3, 2, 0], [1, 0, 4]], dtype=np.int8)
    person = np.array([3, 2, 0], dtype=np.int8)
    assert nearest_role_levels(person, requirements, 3).rows.tolist() == [1, 0, 2]


def test_matrices_from_profiles_and_requirements_share_the_axis() -> None:
    axis = SkillAxis((30, 10, 20))
    day = date(2026, 1, 1)
    profiles = [
        derive_profile(
            [
                ClaimFact(10, 3, "manager", "active", day),
                ClaimFact(20, 2, "self", "active", day),
                ClaimFact(99, 4, "self", "active", day),  # another version's skill: left out
            ],
            day,
        ),
        derive_profile([], day),
    ]
    matrix = profile_matrix(axis, profiles)
    assert matrix.levels.tolist() == [[0, 3, 2], [0, 0, 0]]
    assert matrix.validated.tolist() == [[False, True, False], [False, False, False]]
    row, checked = level_row(axis, profiles[0].levels(), profiles[0].validated_skills())
    assert row.tolist() == matrix.levels[0].tolist()
    assert checked.tolist() == matrix.validated[0].tolist()
    requirements = requirement_matrix(axis, [{10: 3, 20: 3}, {30: 1}])
    assert requirements.tolist() == [[0, 3, 3], [1, 0, 0]]
    gaps = skill_gaps(axis, matrix.levels[0], matrix.validated[0], requirements[0])
    assert [(g.skill_id, g.required, g.current, g.shortfall) for g in gaps] == [
        (10, 3, 3, 0),
        (20, 3, 2, 1),
    ]
    assert [(g.met, g.met_by_self_claim_only) for g in gaps] == [(True, False), (False, False)]
    self_only = skill_gaps(axis, matrix.levels[0], matrix.validated[0], requirements[0] // 3)
    assert [g.met_by_self_claim_only for g in self_only] == [False, True]


def test_requirements_from_another_version_or_off_the_scale_are_refused() -> None:
    axis = SkillAxis((1, 2))
    with pytest.raises(InvalidInput) as raised:
        requirement_matrix(axis, [{1: 2}, {7: 1, 2: 5}])
    found = [(p.row, p.column, p.value) for p in raised.value.problems]
    assert found == [(2, "skill", "7"), (2, "level", "5")]


def test_an_axis_names_each_skill_once_and_shapes_must_agree() -> None:
    with pytest.raises(ValueError, match="once"):
        SkillAxis((1, 1))
    with pytest.raises(ValueError, match="skill axis"):
        gaps_to_role_levels(np.zeros(3, np.int8), np.zeros((2, 4), np.int8))
    with pytest.raises(ValueError, match="skill axis"):
        gaps_of_people(np.zeros((2, 3), np.int8), np.zeros(4, np.int8))
