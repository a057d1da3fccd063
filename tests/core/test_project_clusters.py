"""Clusters of similar projects: who lands together, what they share, and the linkage's promise."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mobilise.core.project_clusters import (
    DEFAULT_MIN_SIMILARITY,
    cluster_labels,
    cluster_projects,
    shared_terms,
    similarity_matrix,
    term_weights,
)
from mobilise.core.register.similarity import ProjectText, SimilarityIndex


def project(key: str, organisation: str, title: str, text: str) -> ProjectText:
    return ProjectText(key, organisation, title, text, text)


REGISTER = [
    project(
        "a-chatbot",
        "Org A",
        "Council tax chatbot",
        "A webchat chatbot answers residents' questions about council tax on the website.",
    ),
    project(
        "b-chatbot",
        "Org B",
        "Savings chatbot",
        "Customers ask the webchat chatbot questions about their savings accounts.",
    ),
    project(
        "c-chatbot",
        "Org C",
        "Benefits chatbot",
        "A chatbot on the website answers questions about benefits from the public.",
    ),
    project(
        "a-flood",
        "Org A",
        "Flood risk mapping",
        "Satellite imagery and river gauges map flood risk areas for flood defence planning.",
    ),
    project(
        "d-flood",
        "Org D",
        "Flood warnings from imagery",
        "Satellite imagery of rivers predicts flood risk for flood warnings.",
    ),
    project(
        "e-payroll",
        "Org E",
        "Payroll reconciliation",
        "Spreadsheets of monthly salaries are reconciled against pension deductions.",
    ),
]


def groups(
    projects: list[ProjectText], min_similarity: float = DEFAULT_MIN_SIMILARITY
) -> set[frozenset[str]]:
    return {
        frozenset(projects[i].key for i in cluster.members)
        for cluster in cluster_projects(projects, min_similarity=min_similarity)
    }


def test_chatbots_and_flood_maps_form_two_clusters_and_payroll_none() -> None:
    assert groups(REGISTER) == {
        frozenset({"a-chatbot", "b-chatbot", "c-chatbot"}),
        frozenset({"a-flood", "d-flood"}),
    }


def test_largest_cluster_first_with_the_terms_its_members_share() -> None:
    first, second = cluster_projects(REGISTER)
    assert [REGISTER[i].key for i in first.members] == ["a-chatbot", "b-chatbot", "c-chatbot"]
    assert first.shared_terms[0] == "chatbot"
    assert "flood" in second.shared_terms
    assert 0 < second.cohesion <= 1


def test_shared_terms_occur_in_at_least_two_members() -> None:
    register = term_weights([p.text for p in REGISTER])
    for cluster in cluster_projects(REGISTER):
        for term in cluster.shared_terms:
            users = [i for i in cluster.members if term in REGISTER[i].text.lower()]
            assert len(users) >= 2, term
        assert shared_terms(register, cluster.members[:1], 5) == ()


def test_the_order_of_the_register_does_not_change_the_clusters() -> None:
    assert groups(list(reversed(REGISTER))) == groups(REGISTER)
    assert cluster_projects(REGISTER) == cluster_projects(REGISTER)


def test_a_stricter_threshold_splits_clusters_and_a_looser_one_joins_them() -> None:
    assert groups(REGISTER, min_similarity=0.99) == set()
    joined = groups(REGISTER, min_similarity=0.001)
    assert frozenset(p.key for p in REGISTER) in joined


def test_empty_and_single_project_registers_have_no_clusters() -> None:
    assert cluster_projects([]) == []
    assert cluster_projects(REGISTER[:1]) == []


def test_threshold_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="min_similarity"):
        cluster_labels(np.eye(2), 0.0)
    with pytest.raises(ValueError, match="min_similarity"):
        cluster_labels(np.eye(2), 1.5)


def test_an_index_over_other_projects_is_refused() -> None:
    with pytest.raises(ValueError, match="same projects"):
        cluster_projects(REGISTER, index=SimilarityIndex(REGISTER[:3]))


def test_the_similarity_matrix_is_the_index_scores() -> None:
    index = SimilarityIndex(REGISTER)
    matrix = similarity_matrix(index)
    assert np.allclose(matrix, matrix.T)
    assert np.allclose(np.diag(matrix), 1.0)
    assert np.allclose(matrix[0], np.clip(index.scores(REGISTER[0].text), 0, 1).round(12))


def symmetric(square: np.ndarray) -> np.ndarray:
    """A similarity matrix from any square of values in 0-1: symmetric, 1 on the diagonal."""
    matrix: np.ndarray = (square + square.T) / 2
    np.fill_diagonal(matrix, 1.0)
    return matrix


def symmetric_similarities(size: int) -> st.SearchStrategy[np.ndarray]:
    return arrays(np.float64, (size, size), elements=st.floats(0, 1)).map(symmetric)


@settings(max_examples=60)
@given(
    st.integers(2, 9).flatmap(symmetric_similarities),
    st.floats(0.05, 0.95),
)
def test_no_two_clusters_are_on_average_as_alike_as_the_threshold(
    similarity: np.ndarray, min_similarity: float
) -> None:
    labels = cluster_labels(similarity, min_similarity)
    found = sorted(set(labels.tolist()))
    for a in found:
        members = np.flatnonzero(labels == a)
        if len(members) == 2:  # a pair is merged only when it is alike enough
            assert similarity[members[0], members[1]] > min_similarity - 1e-9
        for b in found:
            if a < b:
                others = np.flatnonzero(labels == b)
                between = similarity[np.ix_(members, others)].mean()
                assert between <= min_similarity + 1e-9


def test_a_phrase_always_used_together_replaces_its_words() -> None:
    register = term_weights(
        [
            "A large language model summarises letters from the public.",
            "A large language model answers staff questions about guidance.",
            "Spreadsheets of salaries are reconciled against pension deductions.",
            "Satellite imagery maps flood risk.",
        ]
    )
    terms = shared_terms(register, [0, 1], 6)
    assert "large language" in terms
    assert "large" not in terms
    assert "language" not in terms
    assert not any(len(set(t.split())) < len(t.split()) for t in terms)
