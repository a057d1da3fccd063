"""The crosswalk rule, proved against a plain re-statement of it on small random matrices."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.skills.crosswalk import (
    CrosswalkRule,
    Found,
    Link,
    Review,
    build_crosswalk,
    map_to_framework,
)

SCORES = st.sampled_from([0.0, 0.2, 0.5, 0.55, 0.6, 0.6, 0.7, 0.9, 1.0])


@st.composite
def matrices(draw: st.DrawFn) -> tuple[list[str], list[str], np.ndarray]:
    rows = draw(st.integers(0, 6))
    columns = draw(st.integers(0, 5))
    values = draw(st.lists(SCORES, min_size=rows * columns, max_size=rows * columns))
    matrix = np.array(values, dtype=np.float64).reshape(rows, columns)
    return [f"esco-{i}" for i in range(rows)], [f"skill-{j}" for j in range(columns)], matrix


RULES = st.builds(
    CrosswalkRule,
    threshold=st.sampled_from([0.0, 0.5, 0.6, 0.95]),
    per_esco=st.integers(1, 3),
    tie=st.just(1e-6),
)


def _by_rule(esco: list[str], skills: list[str], matrix: np.ndarray, rule: CrosswalkRule) -> set:
    """The rule said plainly: candidates at the threshold, the best per_esco, ties kept."""
    chosen = set()
    for i, e in enumerate(esco):
        candidates = sorted(
            (float(matrix[i, j]) for j in range(len(skills)) if matrix[i, j] >= rule.threshold),
            reverse=True,
        )
        if not candidates:
            continue
        floor = candidates[min(rule.per_esco, len(candidates)) - 1] - rule.tie
        for j, s in enumerate(skills):
            if matrix[i, j] >= rule.threshold and matrix[i, j] >= floor:
                chosen.add((e, s))
    return chosen


@given(matrices(), RULES)
def test_computed_links_follow_the_rule(
    drawn: tuple[list[str], list[str], np.ndarray], rule: CrosswalkRule
) -> None:
    esco, skills, matrix = drawn
    crosswalk = build_crosswalk(esco, skills, matrix, rule=rule)
    assert {(link.esco_key, link.skill_key) for link in crosswalk.links} == _by_rule(
        esco, skills, matrix, rule
    )
    assert all(link.source == "computed" and link.accepted for link in crosswalk.links)
    assert all(
        link.score == matrix[esco.index(link.esco_key), skills.index(link.skill_key)]
        for link in crosswalk.links
    )


@given(matrices(), RULES, st.randoms(use_true_random=False))
def test_the_order_skills_are_listed_in_changes_nothing(
    drawn: tuple[list[str], list[str], np.ndarray], rule: CrosswalkRule, random: object
) -> None:
    esco, skills, matrix = drawn
    rows = list(range(len(esco)))
    columns = list(range(len(skills)))
    random.shuffle(rows)  # type: ignore[attr-defined]
    random.shuffle(columns)  # type: ignore[attr-defined]
    shuffled = matrix[np.ix_(rows, columns)] if rows and columns else matrix
    first = build_crosswalk(esco, skills, matrix, rule=rule)
    second = build_crosswalk(
        [esco[i] for i in rows], [skills[j] for j in columns], shuffled, rule=rule
    )
    assert first == second


@given(matrices(), RULES, st.data())
def test_reviews_win_over_the_computed_links(
    drawn: tuple[list[str], list[str], np.ndarray], rule: CrosswalkRule, data: st.DataObject
) -> None:
    esco, skills, matrix = drawn
    if not esco or not skills:
        return
    pairs = st.tuples(st.sampled_from(esco), st.sampled_from(skills), st.booleans())
    decisions = data.draw(st.lists(pairs, max_size=6))
    reviews = [Review(e, s, accepted) for e, s, accepted in decisions]
    crosswalk = build_crosswalk(esco, skills, matrix, reviews, rule)
    final = {(e, s): accepted for e, s, accepted in decisions}  # the last decision stands
    links = {(link.esco_key, link.skill_key): link for link in crosswalk.links}
    assert len(links) == len(crosswalk.links)  # one link per pair
    for pair, accepted in final.items():
        assert links[pair].source == "reviewed"
        assert links[pair].accepted is accepted
    computed = {pair for pair, link in links.items() if link.source == "computed"}
    assert computed == _by_rule(esco, skills, matrix, rule) - set(final)


def test_reviews_of_skills_the_matrix_lacks_are_reported_not_applied() -> None:
    review = Review("esco-unknown", "skill-0", True)
    crosswalk = build_crosswalk(["esco-0"], ["skill-0"], np.array([[0.9]]), [review])
    assert crosswalk.unmatched_reviews == (review,)
    assert [(link.esco_key, link.source) for link in crosswalk.links] == [("esco-0", "computed")]


def test_one_esco_skill_may_stand_for_several_framework_skills_and_ties_are_kept() -> None:
    matrix = np.array([[0.8, 0.8, 0.8, 0.3], [0.9, 0.1, 0.0, 0.0]])
    crosswalk = build_crosswalk(
        ["e-a", "e-b"], ["s-1", "s-2", "s-3", "s-4"], matrix, rule=CrosswalkRule(0.5, 1)
    )
    assert [(link.esco_key, link.skill_key) for link in crosswalk.links] == [
        ("e-a", "s-1"),
        ("e-a", "s-2"),
        ("e-a", "s-3"),
        ("e-b", "s-1"),
    ]


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        (np.zeros((2, 2)), "shape"),
        (np.array([[np.nan]]), "finite"),
    ],
)
def test_bad_matrices_are_refused(matrix: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_crosswalk(["e"], ["s"], matrix)


def test_bad_rules_are_refused() -> None:
    with pytest.raises(ValueError, match="threshold"):
        CrosswalkRule(threshold=1.5)
    with pytest.raises(ValueError, match="per_esco"):
        CrosswalkRule(per_esco=0)


FOUND = st.builds(
    Found,
    esco_key=st.sampled_from(["e-1", "e-2", "e-3", "e-4"]),
    esco_label=st.just("label"),
    score=st.floats(0, 1),
    start=st.integers(0, 50),
    end=st.just(60),
)
LINKS = st.builds(
    Link,
    esco_key=st.sampled_from(["e-1", "e-2", "e-3"]),
    skill_key=st.sampled_from(["s-1", "s-2"]),
    score=st.floats(0, 1),
    source=st.sampled_from(["computed", "reviewed"]),
    accepted=st.booleans(),
)


@given(st.lists(FOUND, max_size=8), st.lists(LINKS, max_size=6))
def test_text_maps_to_each_skill_through_its_best_supported_link(
    found: list[Found], links: list[Link]
) -> None:
    mapping = map_to_framework(found, links)
    accepted = [link for link in links if link.accepted]
    expected: dict[str, float] = {}
    for item in found:
        for link in accepted:
            if link.esco_key == item.esco_key:
                strength = 1.0 if link.source == "reviewed" else link.score
                expected[link.skill_key] = max(
                    expected.get(link.skill_key, 0.0), item.score * strength
                )
    assert {m.skill_key: m.score for m in mapping.skills} == expected
    assert [m.score for m in mapping.skills] == sorted(
        (m.score for m in mapping.skills), reverse=True
    )
    covered = {link.esco_key for link in accepted}
    assert {f.esco_key for f in mapping.uncovered} == {
        f.esco_key for f in found if f.esco_key not in covered
    }
    assert map_to_framework(list(reversed(found)), list(reversed(links))) == mapping
