"""Explanations state checkable facts about each outcome."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings

from mobilise.core.allocation.explain import Explainer, ordinal
from mobilise.core.allocation.problem import problem_from_document
from mobilise.core.allocation.stable import stable_matching
from tests.core.allocation.strategies import problem_documents


def explain_all(document: dict[str, Any]) -> dict[str, str]:
    problem = problem_from_document(document)
    explainer = Explainer(problem, stable_matching(problem), "stable")
    return {a: explainer.explain(i) for i, a in enumerate(problem.applicant_ids)}


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th",
    ]  # fmt: skip


def test_the_issue_example_sentence() -> None:
    document = {
        # p2 prefers y, so x's last pick is the applicant it ranked 4th.
        "applicants": [
            {"id": f"p{i}", "preferences": ["y", "x"] if i == 2 else ["x", "y"]} for i in range(8)
        ],
        "opportunities": [
            {"id": "x", "capacity": 3, "ranking": ["p0", "p1", "p2", "p4", "p5", "p3", "p6", "p7"]},
            {"id": "y", "capacity": 8, "ranking": [f"p{i}" for i in range(8)]},
        ],
    }
    text = explain_all(document)["p6"]
    assert text == (
        "You were placed with your 2nd choice, y. Your 1st choice, x, filled its 3 places with "
        "applicants it ranked higher; the last one it took was ranked 4th, you were 7th."
    )


def test_closed_opportunities_and_empty_lists_are_explained() -> None:
    document = {
        "applicants": [
            {"id": "a", "preferences": ["shut", "open"]},
            {"id": "b", "preferences": []},
        ],
        "opportunities": [
            {"id": "shut", "capacity": 0, "ranking": ["a"]},
            {"id": "open", "capacity": 1, "ranking": ["a"]},
        ],
    }
    explained = explain_all(document)
    assert explained["a"] == (
        "You were placed with your 2nd choice, open. Your 1st choice, shut, offered no places."
    )
    assert explained["b"] == "You were not placed: you listed no opportunities."


def test_long_lists_are_summarised_with_counts() -> None:
    opportunities = [{"id": f"o{j}", "capacity": 1, "ranking": ["star", "me"]} for j in range(6)]
    document = {
        "applicants": [
            {"id": "star", "preferences": [f"o{j}" for j in range(6)]},
            {"id": "me", "preferences": [f"o{j}" for j in range(6)]},
        ],
        "opportunities": opportunities,
    }
    # star takes o0; me gets o1 — make o0..o4 full with better applicants by adding more stars.
    document["applicants"] = [{"id": f"s{j}", "preferences": [f"o{j}"]} for j in range(5)] + [
        {"id": "me", "preferences": [f"o{j}" for j in range(6)]}
    ]
    for j, o in enumerate(opportunities):
        o["ranking"] = ([f"s{j}"] if j < 5 else []) + ["me"]
    text = explain_all(document)["me"]
    assert text.startswith("You were placed with your 6th choice, o5.")
    assert (
        "Of your other 2 choices above it: 2 filled their places with applicants they ranked"
        in text
    )


@settings(max_examples=200, deadline=None)
@given(problem_documents())
def test_every_stable_explanation_is_consistent_with_the_outcome(document: dict[str, Any]) -> None:
    problem = problem_from_document(document)
    assigned = stable_matching(problem)
    explainer = Explainer(problem, assigned, "stable")
    for a in range(problem.applicants):
        text = explainer.explain(a)
        o = int(assigned[a])
        if o >= 0:
            position = problem.preferences_of(a).tolist().index(o) + 1
            assert text.startswith(f"You were placed with your {ordinal(position)} choice, ")
        else:
            assert text.startswith("You were not placed")
        # A stable matching never needs the quota or objective reasons.
        assert "quota" not in text
        assert "method gave" not in text
        for you, last in re.findall(r"last one it took was ranked (\d+)\w\w, you were (\d+)", text):
            assert int(you) < int(last)
