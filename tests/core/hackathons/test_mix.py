"""The engine's view of hackathon participants, and the aggregate make-up of a team."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mobilise.core.hackathons import TeamMember, describe_team, hackathon_team_problem
from mobilise.core.hackathons.mix import team_challenge
from mobilise.core.teams.score import assess
from mobilise.core.teams.search import form_teams


def test_people_from_different_organisations_and_skills_score_higher_together() -> None:
    members = [
        TeamMember("a", "org-1", frozenset({"python"}), "c1"),
        TeamMember("b", "org-1", frozenset({"python"}), "c1"),
        TeamMember("c", "org-2", frozenset({"design"}), "c1"),
        TeamMember("d", None, frozenset(), "c2"),
        TeamMember("e", None, frozenset(), "c2"),
    ]
    problem = hackathon_team_problem(members, size=2, protected_codes=[])
    same, mixed = problem.affinity[0, 1], problem.affinity[0, 2]
    assert mixed > same
    # Two people with no organisation are not "one organisation".
    assert problem.affinity[3, 4] > problem.affinity[0, 1] - 1e-12


@st.composite
def fields(draw: st.DrawFn) -> list[TeamMember]:
    n = draw(st.integers(6, 24))
    return [
        TeamMember(
            f"p{i}",
            draw(st.sampled_from(["o1", "o2", "o3", None])),
            frozenset(draw(st.lists(st.sampled_from("abcdef"), max_size=3))),
            draw(st.sampled_from(["c1", "c2", None])),
            frozenset({"p1"}) if draw(st.booleans()) and i % 3 == 0 else frozenset(),
        )
        for i in range(n)
    ]


@settings(max_examples=30, deadline=None)
@given(fields())
def test_no_member_of_a_protected_group_is_left_alone_when_it_can_be_avoided(
    members: list[TeamMember],
) -> None:
    problem = hackathon_team_problem(members, size=4, protected_codes=["p1"])
    in_group = int(problem.protected.sum())
    found = form_teams(problem, seed=0, rounds=30, seconds=None)
    assert sorted(np.bincount(found.team_of).tolist()) == sorted(problem.team_sizes)
    if in_group != 1:
        assert assess(problem, found.team_of).isolated == 0


def test_the_team_challenge_is_the_most_common_first_choice() -> None:
    members = [TeamMember("a", "o", first_choice="c2"), TeamMember("b", "o", first_choice="c1")]
    assert team_challenge(members, ["c1", "c2"]) == "c1"  # a tie: listed first wins
    members.append(TeamMember("c", "o", first_choice="c2"))
    assert team_challenge(members, ["c1", "c2"]) == "c2"
    assert team_challenge([TeamMember("d", "o")], ["c1"]) is None


def test_a_description_counts_and_never_names_groups() -> None:
    members = [
        TeamMember("a", "o1", frozenset({"x", "y"}), "c1", frozenset({"p1"})),
        TeamMember("b", "o2", frozenset({"y"}), "c1", frozenset({"p1"})),
        TeamMember("c", None, frozenset({"z"}), "c2"),
    ]
    facts = describe_team(members, "c1")
    assert (facts.size, facts.organisations, facts.without_organisation) == (3, 2, 1)
    assert (facts.skills, facts.chose_challenge, facts.notes) == (3, 2, [])
    assert "p1" not in repr(facts)
    alone = describe_team([TeamMember("a", "o1"), TeamMember("b", "o1")], None)
    assert alone.notes == ["Everyone is from one organisation.", "No one shared their skills."]
