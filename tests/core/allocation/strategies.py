"""Random allocation problems for property tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st


@st.composite
def problem_documents(
    draw: st.DrawFn, max_applicants: int = 12, max_opportunities: int = 6
) -> dict[str, Any]:
    n_app = draw(st.integers(1, max_applicants))
    n_opp = draw(st.integers(1, max_opportunities))
    apps = [f"a{i}" for i in range(n_app)]
    opps = [f"o{j}" for j in range(n_opp)]
    prefs = [
        draw(st.permutations(opps)).__getitem__(slice(0, draw(st.integers(0, n_opp)))) for _ in apps
    ]
    applicants = [{"id": a, "preferences": list(p)} for a, p in zip(apps, prefs, strict=True)]
    opportunities = []
    for o in opps:
        wanting = [a for a, p in zip(apps, prefs, strict=True) if o in p]
        others = [a for a in apps if a not in wanting]
        extra = draw(st.lists(st.sampled_from(others), unique=True)) if others else []
        ranking = draw(st.permutations(wanting + extra))
        opportunities.append(
            {"id": o, "capacity": draw(st.integers(0, 4)), "ranking": list(ranking)}
        )
    return {"applicants": applicants, "opportunities": opportunities}


REGIONS = ("London", "North East", "Wales")


@st.composite
def attributed_documents(
    draw: st.DrawFn, max_applicants: int = 6, max_opportunities: int = 3
) -> dict[str, Any]:
    """Problems whose applicants carry a region and a group code, and some opportunities score.

    A scored opportunity keeps its ranking half the time and otherwise gives scores alone, so both
    ways of deriving fits (and rankings) are exercised.
    """
    document = draw(problem_documents(max_applicants, max_opportunities))
    for applicant in document["applicants"]:
        applicant["attributes"] = {
            "region": draw(st.sampled_from(REGIONS)),
            "group": draw(st.sampled_from(("g1", "g2"))),
        }
    for opportunity in document["opportunities"]:
        if draw(st.booleans()):
            ranked = opportunity["ranking"]
            values = draw(st.lists(st.integers(0, 5), min_size=len(ranked), max_size=len(ranked)))
            opportunity["scores"] = {a: v / 5 for a, v in zip(ranked, values, strict=True)}
            if draw(st.booleans()):
                del opportunity["ranking"]
    return document
