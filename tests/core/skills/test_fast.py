"""The sparse fast path: the same cosines as separate TF-IDF indexes, and sensible rankings."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from mobilise.core.skills import TaxonomyEntry
from mobilise.core.skills.blend import PRIOR, Blend
from mobilise.core.skills.fast import (
    FAST_SCORERS,
    WORD_SCORERS,
    FastScorer,
    FastSkillInferencer,
    _row_tops,
)
from mobilise.core.skills.lexical import TfidfIndex, entry_words
from mobilise.core.skills.static import StaticModel

ENTRIES = [
    TaxonomyEntry(
        "py", "Python (computer programming)", ("Python",), "Writing programs in Python."
    ),
    TaxonomyEntry("sql", "SQL", ("structured query language",), "A language to query databases."),
    TaxonomyEntry(
        "team", "manage a team", ("lead a team",), "Lead and motivate a group of people."
    ),
    TaxonomyEntry("bake", "bake bread", ("baking",), "Make bread and pastry in an oven."),
    TaxonomyEntry("drive", "drive vehicles", ("driving",), "Drive cars, vans and lorries."),
]
SCORER = FastScorer(ENTRIES, common_share=None)
WORD_FEATURES = (*WORD_SCORERS, PRIOR)
WORDS = st.sampled_from(
    [
        "python",
        "sql",
        "team",
        "lead",
        "bread",
        "oven",
        "drive",
        "cars",
        "query",
        "language",
        "the",
        "of",
        "and",
        "data",
        "people",
    ]
)


@settings(max_examples=40)
@given(st.lists(st.lists(WORDS, max_size=8).map(" ".join), min_size=1, max_size=5))
def test_cosines_equal_separate_tfidf_indexes(passages: list[str]) -> None:
    separate = {
        "word_labels": TfidfIndex([entry_words(e) for e in ENTRIES], stop_words="english"),
        "word_label": TfidfIndex([e.label for e in ENTRIES], stop_words="english"),
        "word_description": TfidfIndex([e.description for e in ENTRIES], stop_words="english"),
    }
    fast = SCORER.scores(passages)
    for name, index in separate.items():
        assert np.allclose(fast[name], index.scores(passages), atol=1e-5), name


def test_words_in_most_skills_are_left_out_of_the_product_only() -> None:
    # "work" is in four of the five descriptions; "oven" in one.
    entries = [
        TaxonomyEntry(e.key, e.label, e.alt_labels, e.description + " Work.") for e in ENTRIES[:4]
    ] + [ENTRIES[4]]
    full = FastScorer(entries, common_share=None).scores(["work with an oven"])
    cut = FastScorer(entries, common_share=0.5).scores(["work with an oven"])
    assert (full["word_description"][0, :4] > 0).all()
    assert cut["word_description"][0, [0, 1, 2]].tolist() == [0.0, 0.0, 0.0]
    # The oven skill keeps its rare word's share, and only that: the norms are not changed.
    assert 0.0 < cut["word_description"][0, 3] < full["word_description"][0, 3]


def test_the_fast_inferencer_ranks_obvious_skills_first() -> None:
    blend = Blend(WORD_FEATURES, (3.0, 3.0, 1.0, 0.0), -2.0)
    found = FastSkillInferencer(ENTRIES, SCORER, blend).infer(
        ["I lead a team.", "SQL queries on our databases", "", "zzz"], top=2
    )
    assert found[0][0].key == "team"
    assert found[1][0].key == "sql"
    assert found[2] == []
    assert found[3] == []
    assert all(0.0 < s.score < 1.0 for row in found for s in row)


def test_the_fast_inferencer_refuses_features_it_cannot_compute() -> None:
    with pytest.raises(ValueError, match="fast path blends only"):
        FastSkillInferencer(ENTRIES, SCORER, Blend(("char_labels", PRIOR), (1.0, 1.0), 0.0))


@settings(max_examples=30)
@given(
    st.lists(st.lists(WORDS, max_size=8).map(" ".join), min_size=1, max_size=5),
    st.tuples(st.floats(-3, 3), st.floats(-3, 3), st.floats(-3, 3)),
)
def test_the_one_product_blend_is_the_weighted_sum_of_the_scores(
    passages: list[str], weights: tuple[float, float, float]
) -> None:
    named = {n: np.float32(w) for n, w in zip(("word_labels", "word_label", "word_description"),
                                              weights, strict=True)}  # fmt: skip
    separate = SCORER.sparse_scores(passages)
    expected = sum(separate[n].toarray() * w for n, w in named.items())
    assert np.allclose(SCORER.blended_scores(passages, named).toarray(), expected, atol=1e-5)


def test_texts_of_several_passages_keep_each_skills_best_passage() -> None:
    blend = Blend(WORD_FEATURES, (3.0, 3.0, 1.0, 0.0), -2.0)
    text = "Bake bread daily.\nDrive vans to shops."
    (found,) = FastSkillInferencer(ENTRIES, SCORER, blend).infer([text], top=3)
    spans = {s.key: text[s.start : s.end] for s in found}
    assert spans["bake"] == "Bake bread daily."
    assert spans["drive"] == "Drive vans to shops."


STATIC = StaticModel(
    ("python", "sql", "team", "lead", "bread", "oven", "baker"),
    np.random.default_rng(7).standard_normal((7, 6)).astype(np.float32),
)
STATIC_SCORER = FastScorer(ENTRIES, common_share=None, static=STATIC, per_word=len(ENTRIES))


def static_scores(skill_texts: list[str], passages: list[str]) -> np.ndarray:
    """Each passage's static score with each skill text, computed directly: the sum over its
    words of weight × (the word's positive similarity with the skill's unit vector), over the
    norm of the passage's vector."""

    def weighted(text: str) -> dict[int, float]:
        words = [w for w in text.lower().replace(".", " ").split() if w in STATIC.vocabulary]
        return {STATIC.vocabulary.index(w): 1.0 + np.log(words.count(w)) for w in set(words)}

    skills = []
    for text in skill_texts:
        total = sum((w * STATIC.vectors[i] for i, w in weighted(text).items()), np.zeros(6))
        skills.append(total / np.linalg.norm(total) if np.linalg.norm(total) > 0 else total)
    rows = []
    for passage in passages:
        words = weighted(passage)
        vector = sum((w * STATIC.vectors[i] for i, w in words.items()), np.zeros(6))
        norm = np.linalg.norm(vector)
        rows.append(
            [
                sum(w * max(float(STATIC.vectors[i] @ skill), 0.0) for i, w in words.items()) / norm
                if norm > 0
                else 0.0
                for skill in skills
            ]
        )
    return np.array(rows)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(WORDS | st.just("baker"), max_size=8).map(" ".join), min_size=1,
                max_size=4))  # fmt: skip
def test_static_scores_sum_each_words_similarity_with_the_skill(passages: list[str]) -> None:
    scores = STATIC_SCORER.scores(passages)
    expected = {
        "static_label": [e.label for e in ENTRIES],
        "static_labels": [entry_words(e) for e in ENTRIES],
        "static_description": [e.description for e in ENTRIES],
    }
    for name, texts in expected.items():
        assert np.allclose(scores[name], static_scores(texts, passages), atol=1e-5), name
    # The word scorers are unchanged by a static model (its extra words have no idf there).
    plain = SCORER.scores(passages)
    for name in WORD_SCORERS:
        assert np.allclose(scores[name], plain[name], atol=1e-5), name


def test_a_word_only_the_static_model_knows_finds_skills() -> None:
    # "baker" is in no skill's text: only the static model reads it.
    scores = STATIC_SCORER.scores(["baker"])
    assert all(scores[n].max() == 0.0 for n in WORD_SCORERS)
    assert scores["static_label"].max() > 0.0


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.lists(WORDS, max_size=8).map(" ".join), min_size=1, max_size=5),
    st.lists(st.floats(-3, 3), min_size=len(FAST_SCORERS), max_size=len(FAST_SCORERS)),
)
def test_the_one_product_blend_includes_the_static_scores(
    passages: list[str], weights: list[float]
) -> None:
    named = {n: np.float32(w) for n, w in zip(FAST_SCORERS, weights, strict=True)}
    separate = STATIC_SCORER.sparse_scores(passages)
    expected = sum(separate[n].toarray() * w for n, w in named.items())
    assert np.allclose(STATIC_SCORER.blended_scores(passages, named).toarray(), expected,
                       atol=1e-4)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["Python", "SQL", "team's", "oven-baked", "café", "the", "LEAD", "a"])
            | st.sampled_from([",", ".", "\n", " ", "-", "Bread!"]),
            max_size=12,
        ).map("".join),
        min_size=1,
        max_size=5,
    )
)
def test_own_term_counts_equal_count_vectorizers(passages: list[str]) -> None:
    for scorer in (SCORER, STATIC_SCORER):
        expected = scorer._counter.transform(passages).astype(np.float32)
        expected.data = 1.0 + np.log(expected.data)
        assert abs(scorer._terms_of(passages) - expected).max() == 0.0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.tuples(st.integers(0, 30), st.sampled_from([0.5, 1.0, -2.0, 3.0])), max_size=25
        ),
        min_size=1,
        max_size=6,
    ),
    st.integers(1, 8),
)
def test_each_rows_best_entries_best_first_ties_to_the_lower_column(
    rows: list[list[tuple[int, float]]], top: int
) -> None:
    matrix = sp.csr_matrix(
        (
            np.array([v for row in rows for _, v in dict(row).items()], dtype=np.float32),
            np.array([c for row in rows for c in dict(row)], dtype=np.int32),
            np.cumsum([0] + [len(dict(row)) for row in rows]).astype(np.int32),
        ),
        shape=(len(rows), 31),
    )
    columns = np.empty((len(rows), top), dtype=np.int64)
    values = np.empty((len(rows), top), dtype=np.float32)
    sizes = np.empty(len(rows), dtype=np.int64)
    _row_tops(matrix.indptr, matrix.indices, matrix.data, columns, values, sizes)
    for number, row in enumerate(rows):
        expected = sorted(dict(row).items(), key=lambda item: (-item[1], item[0]))[:top]
        size = sizes[number]
        assert columns[number, :size].tolist() == [c for c, _ in expected]
        assert values[number, :size].tolist() == [v for _, v in expected]
