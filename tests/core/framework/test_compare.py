"""Comparing two role levels' requirements lines every skill up exactly once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.framework import SkillLevel
from mobilise.core.framework.compare import Difference, compare_requirements

requirements = st.dictionaries(
    st.sampled_from([f"skill-{n}" for n in range(12)]), st.sampled_from(list(SkillLevel))
)


@given(requirements, requirements)
def test_every_required_skill_appears_once_in_its_group(
    a: dict[str, SkillLevel], b: dict[str, SkillLevel]
) -> None:
    result = compare_requirements(a, b)

    keys = [s.skill_key for s in result.skills]
    assert sorted(keys) == sorted(a.keys() | b.keys())
    assert {s.skill_key for s in result.in_both} == a.keys() & b.keys()
    assert {s.skill_key for s in result.only_in_a} == a.keys() - b.keys()
    assert {s.skill_key for s in result.only_in_b} == b.keys() - a.keys()
    assert list(result.skills) == [*result.in_both, *result.only_in_a, *result.only_in_b]
    for row in result.skills:
        assert row.level_a == a.get(row.skill_key)
        assert row.level_b == b.get(row.skill_key)


@given(requirements, requirements)
def test_swapping_the_role_levels_mirrors_every_difference(
    a: dict[str, SkillLevel], b: dict[str, SkillLevel]
) -> None:
    mirror = {
        Difference.SAME: Difference.SAME,
        Difference.HIGHER_IN_B: Difference.LOWER_IN_B,
        Difference.LOWER_IN_B: Difference.HIGHER_IN_B,
        Difference.ONLY_IN_A: Difference.ONLY_IN_B,
        Difference.ONLY_IN_B: Difference.ONLY_IN_A,
    }
    forward = {s.skill_key: s.difference for s in compare_requirements(a, b).skills}
    backward = {s.skill_key: s.difference for s in compare_requirements(b, a).skills}

    assert backward == {key: mirror[d] for key, d in forward.items()}


def test_differences_follow_the_order_of_levels() -> None:
    result = compare_requirements(
        {"x": SkillLevel.WORKING, "y": SkillLevel.EXPERT, "z": SkillLevel.AWARENESS},
        {"x": SkillLevel.EXPERT, "y": SkillLevel.WORKING, "z": SkillLevel.AWARENESS},
    )

    assert {s.skill_key: s.difference for s in result.skills} == {
        "x": Difference.HIGHER_IN_B,
        "y": Difference.LOWER_IN_B,
        "z": Difference.SAME,
    }


def test_rows_follow_the_given_order_within_each_group() -> None:
    a = {"k1": SkillLevel.WORKING, "k2": SkillLevel.WORKING, "k3": SkillLevel.WORKING}
    result = compare_requirements(a, a, order={"k1": "zebra", "k2": "apple", "k3": "mango"})

    assert [s.skill_key for s in result.skills] == ["k2", "k3", "k1"]
