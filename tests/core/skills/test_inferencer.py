"""The inferencer on a small hand-written taxonomy: obvious skills found, spans, determinism."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.skills import SkillInferencer, TaxonomyEntry
from mobilise.core.skills.blend import Blend
from mobilise.core.skills.lexical import CharTfidfScorer, LexicalScorer
from mobilise.core.skills.passages import passages_of

ENTRIES = [
    TaxonomyEntry("py", "Python (computer programming)", ("Python",), "Programming in Python."),
    TaxonomyEntry("sql", "SQL", ("structured query language",), "The database query language."),
    TaxonomyEntry("team", "manage a team", ("lead a team", "team management"), "Lead people."),
    TaxonomyEntry("bake", "bake bread", ("baking",), "Make bread in an oven."),
    TaxonomyEntry("drive", "drive vehicles", ("driving",), "Drive cars and lorries."),
]


def _inferencer() -> SkillInferencer:
    return SkillInferencer(ENTRIES, [CharTfidfScorer(ENTRIES)], Blend.single("char_baseline"))


def test_a_blend_over_several_scorers_gives_probabilities() -> None:
    scorers = [LexicalScorer(ENTRIES)]
    features = ("word_labels", "char_labels:rank", "alt_label_count")
    blend = Blend(features, (4.0, 2.0, 0.1), -3.0)
    found = SkillInferencer(ENTRIES, scorers, blend).infer(["I lead a team of bakers"], 5)[0]
    assert found[0].key == "team"
    assert all(0.0 < s.score < 1.0 for s in found)


def test_a_blend_needing_a_missing_scorer_is_refused() -> None:
    with pytest.raises(ValueError, match="dense_label"):
        SkillInferencer(ENTRIES, [LexicalScorer(ENTRIES)], Blend.single("dense_label"))


def test_obvious_skills_come_first_with_their_sentence_as_span() -> None:
    text = "I bake bread every morning. Later I lead a team of drivers."
    found = _inferencer().infer([text], top=5)[0]
    keys = [s.key for s in found[:2]]
    assert set(keys) == {"bake", "team"}
    by_key = {s.key: s for s in found}
    assert text[by_key["bake"].start : by_key["bake"].end] == "I bake bread every morning."
    assert text[by_key["team"].start : by_key["team"].end] == "Later I lead a team of drivers."


def test_scores_are_in_zero_to_one_and_descending() -> None:
    found = _inferencer().infer(["Python and SQL for data work, and some baking"], top=5)[0]
    scores = [s.score for s in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s <= 1.0 for s in scores)


def test_blank_text_has_no_suggestions() -> None:
    assert _inferencer().infer(["", "   \n\t "], top=3) == [[], []]


def test_top_bounds_the_list() -> None:
    assert len(_inferencer().infer(["Python SQL bread team driving"], top=2)[0]) == 2


@given(st.lists(st.text(max_size=200), max_size=5))
def test_any_text_gives_valid_spans_and_is_deterministic(texts: list[str]) -> None:
    inferencer = _inferencer()
    first = inferencer.infer(texts, top=3)
    assert first == inferencer.infer(texts, top=3)
    for text, found in zip(texts, first, strict=True):
        for suggestion in found:
            assert 0 <= suggestion.start < suggestion.end <= len(text)
            assert 0.0 <= suggestion.score <= 1.0


@given(st.text(max_size=2000))
def test_passages_are_stripped_ordered_and_inside_the_text(text: str) -> None:
    previous_end = 0
    for passage in passages_of(text):
        words = text[passage.start : passage.end]
        assert words
        assert words == words.strip()
        assert passage.start >= previous_end
        previous_end = passage.end
