"""Similar-project detection: ranking, exclusions and the reasons given."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mobilise.core.register.similarity import ProjectText, SimilarityIndex, Weights, best_passage

PROJECTS = [
    ProjectText(
        "a-chatbot",
        "Org A",
        "Org A: webchat chatbot",
        "A chatbot answering the public's questions.",
        "The chatbot answers questions about council tax on the website.",
    ),
    ProjectText(
        "b-chatbot",
        "Org B",
        "Org B: customer chatbot",
        "A chatbot for customers' questions.",
        "Customers ask the chatbot questions about their savings.",
    ),
    ProjectText(
        "b-forecast",
        "Org B",
        "Org B: spending forecast",
        "Forecasts spending.",
        "A statistical model forecasts next year's expenditure.",
    ),
    ProjectText(
        "c-imagery",
        "Org C",
        "Org C: habitat mapping",
        "Maps habitats from satellite imagery.",
        "Deep learning on satellite imagery maps habitats.",
    ),
]


def test_the_same_kind_of_tool_ranks_first_with_shared_terms_and_a_passage() -> None:
    index = SimilarityIndex(PROJECTS)
    found = index.similar_to_project("a-chatbot", limit=3)
    assert found[0].key == "b-chatbot"
    assert "chatbot" in found[0].shared_terms
    assert "chatbot" in found[0].passage.lower()
    assert "a-chatbot" not in [f.key for f in found]


def test_other_organisations_only_leaves_out_the_projects_own_organisation() -> None:
    index = SimilarityIndex(PROJECTS)
    found = index.similar_to_project("b-chatbot", limit=5, other_organisations=True)
    assert found[0].key == "a-chatbot"
    assert all(
        PROJECTS[[p.key for p in PROJECTS].index(f.key)].organisation != "Org B" for f in found
    )


def test_a_new_text_finds_the_projects_it_duplicates() -> None:
    index = SimilarityIndex(PROJECTS)
    found = index.similar_to(
        "A webchat chatbot on our website for questions about council tax", limit=1
    )
    assert [f.key for f in found] == ["a-chatbot"]


def test_dense_vectors_are_blended_in() -> None:
    dense = np.eye(4)
    index = SimilarityIndex(PROJECTS, weights=Weights(0.0, 0.0, 1.0), dense=dense)
    # Only the dense space scores: the query's own vector points at the habitat project.
    found = index.similar_to("anything at all", limit=1, dense=dense[3])
    assert [f.key for f in found] == ["c-imagery"]
    with pytest.raises(ValueError, match="one dense vector per project"):
        SimilarityIndex(PROJECTS, weights=Weights(dense=1.0))


def test_an_empty_register_finds_nothing() -> None:
    assert SimilarityIndex([]).similar_to("chatbot") == []


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=120), st.integers(min_value=1, max_value=6))
def test_results_are_ranked_bounded_and_never_excluded(text: str, limit: int) -> None:
    index = SimilarityIndex(PROJECTS)
    found = index.similar_to(text, limit=limit, exclude=frozenset({"b-chatbot"}))
    assert len(found) <= min(limit, len(PROJECTS) - 1)
    assert "b-chatbot" not in [f.key for f in found]
    scores = [f.score for f in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1.0001 for s in scores)


def test_best_passage_prefers_the_sentence_with_most_terms() -> None:
    project = ProjectText(
        "k",
        None,
        "T",
        "First sentence about cats.",
        "Dogs and chatbots. Chatbots answer questions.",
    )
    assert best_passage(project, ["chatbots", "questions"]) == "Chatbots answer questions."
