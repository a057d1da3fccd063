"""Team formation: balanced sizes, no one isolated when avoidable, near the proven optimum."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mobilise.core.problems import InvalidInput
from mobilise.core.teams.exact import form_teams_exactly
from mobilise.core.teams.problem import problem_from_document, team_sizes
from mobilise.core.teams.score import assess, isolated_count, team_scores, unavoidable_isolation
from mobilise.core.teams.search import form_teams

ORGANISATIONS = ["dwp", "hmrc", "moj", "home-office", "dfe", "dsit", "leeds", "camden"]
SKILLS = ["python", "sql", "ml", "user-research", "product", "devops", "data-engineering"]


def people(n: int, seed: int, minority_share: float = 0.15) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    return [
        {
            "id": f"p{i}",
            "attributes": {
                "organisation": str(rng.choice(ORGANISATIONS)),
                "availability": int(rng.integers(5, 40)),
                "skills": [str(s) for s in rng.choice(SKILLS, 3, replace=False)],
                "group": "a" if rng.random() < minority_share else "b",
            },
        }
        for i in range(n)
    ]


def problem(n: int, seed: int, size: int = 5, minority_share: float = 0.15) -> Any:
    return problem_from_document(
        {"people": people(n, seed, minority_share)},
        size=size,
        similar=["availability"],
        diverse=["organisation", "skills"],
        never_isolate=["group=a"],
    )


@given(st.integers(1, 500), st.integers(2, 12))
def test_team_sizes_differ_by_at_most_one_and_cover_everyone(n: int, size: int) -> None:
    sizes = team_sizes(n, size)
    assert sum(sizes) == n
    assert max(sizes) - min(sizes) <= 1


def test_pair_affinity_follows_the_criteria() -> None:
    document = {
        "people": [
            {"id": "a", "attributes": {"org": "dwp", "hours": 10, "skills": ["x", "y"]}},
            {"id": "b", "attributes": {"org": "dwp", "hours": 30, "skills": ["x", "y"]}},
            {"id": "c", "attributes": {"org": "moj", "hours": 10, "skills": ["z"]}},
        ]
    }
    similar_hours = problem_from_document(document, size=2, similar=["hours"])
    assert similar_hours.affinity[0, 2] == 1.0
    assert similar_hours.affinity[0, 1] == 0.0
    diverse = problem_from_document(document, size=2, diverse=["org", "skills"])
    assert diverse.affinity[0, 1] == 0.0  # same organisation, same skills
    assert diverse.affinity[0, 2] == 1.0  # different organisation, disjoint skills


@settings(max_examples=40, deadline=None)
@given(st.integers(4, 60), st.integers(0, 10_000), st.integers(2, 6))
def test_no_one_is_isolated_when_it_can_be_avoided(n: int, seed: int, size: int) -> None:
    p = problem(n, seed, size=size, minority_share=0.3)
    found = form_teams(p, seed=seed, rounds=3)
    team_of, quality = found.team_of, found.quality
    assert sorted(np.bincount(team_of, minlength=p.teams).tolist(), reverse=True) == list(
        p.team_sizes
    )
    groups = int(p.protected.sum())
    # Isolation can be forced only by a group of one, or by more groups than pairs fit in teams.
    if unavoidable_isolation(p) == 0 and (groups == 0 or groups >= 2) and size >= 3:
        assert quality.isolated == 0
    assert quality.isolated == isolated_count(p, team_of)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_search_never_does_worse_than_its_own_construction(seed: int) -> None:
    from mobilise.core.teams.search import construct

    p = problem(40, seed)
    start = construct(p, np.random.default_rng(seed))
    quality = form_teams(p, seed=seed, rounds=2).quality
    assert quality.key() >= assess(p, start).key()


def test_same_seed_same_teams() -> None:
    p = problem(100, 3)
    first = form_teams(p, seed=9, rounds=5).team_of
    second = form_teams(p, seed=9, rounds=5).team_of
    assert np.array_equal(first, second)


@pytest.mark.parametrize("seed", [0, 2, 3, 10])
def test_heuristic_within_one_percent_of_the_proven_optimum_for_25_people(seed: int) -> None:
    p = problem(25, seed, minority_share=0.2)
    found = form_teams(p, seed=seed, rounds=300)
    team_of, quality = found.team_of, found.quality
    exact = form_teams_exactly(p, team_of, seconds=60)
    assert exact.proven_optimal
    assert exact.quality.isolated == 0
    assert exact.quality.worst >= quality.worst - 1e-9
    assert quality.worst >= 0.99 * exact.quality.worst


def test_exact_optimum_by_brute_force_on_a_tiny_instance() -> None:
    import itertools

    p = problem(8, 4, size=4, minority_share=0.4)
    best = -1.0
    for chosen in itertools.combinations(range(1, 8), 3):
        team_of = np.ones(8, dtype=np.int64)
        team_of[[0, *chosen]] = 0
        if isolated_count(p, team_of) == 0 or unavoidable_isolation(p):
            best = max(best, float(team_scores(p, team_of).min()))
    start = form_teams(p, seed=0, rounds=1).team_of
    exact = form_teams_exactly(p, start)
    assert exact.proven_optimal
    assert exact.quality.worst == pytest.approx(best)


@pytest.mark.parametrize(
    ("options", "column"),
    [
        ({"size": 1}, "--size"),
        ({"size": 3, "never_isolate": ["group"]}, "--never-isolate"),
        ({"size": 3, "similar": ["missing"]}, "people[0].attributes.missing"),
        ({"size": 3, "similar": ["org"], "diverse": ["org"]}, "criteria"),
    ],
)
def test_bad_options_and_attributes_are_named(options: dict[str, Any], column: str) -> None:
    document = {
        "people": [{"id": "a", "attributes": {"org": "x"}}, {"id": "b", "attributes": {"org": "y"}}]
    }
    with pytest.raises(InvalidInput) as raised:
        problem_from_document(document, **options)
    assert raised.value.problems[0].column == column


def test_mixed_attribute_kinds_are_rejected() -> None:
    document = {
        "people": [{"id": "a", "attributes": {"h": 3}}, {"id": "b", "attributes": {"h": "x"}}]
    }
    with pytest.raises(InvalidInput) as raised:
        problem_from_document(document, size=2, similar=["h"])
    assert "one kind for everyone" in raised.value.problems[0].rule
