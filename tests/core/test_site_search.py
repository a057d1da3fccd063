"""Ranking for the site search: stems, word pairs, weights, and an empty corpus."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.site_search import SearchDocument, SiteIndex, stem, terms


def test_stems_join_plural_and_verb_forms() -> None:
    assert stem("chatbots") == stem("chatbot") == "chatbot"
    assert stem("policies") == "policy"
    assert stem("testing") == stem("tested") == "test"
    assert stem("process") == "process"
    assert terms("Data ethics, and the framework") == [
        "data",
        "ethic",
        "framework",
        "data ethic",
        "ethic framework",
    ]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=20))
def test_a_stem_is_never_longer_and_never_empty(word: str) -> None:
    stemmed = stem(word)
    assert 0 < len(stemmed) <= len(word)


def test_a_title_match_outranks_a_passing_mention_and_weight_lowers_a_document() -> None:
    documents = [
        SearchDocument("guidance", "a", "Testing chatbots", "How to check answers."),
        SearchDocument("project", "b", "Parking permits", "Answers questions; a chatbot helps."),
        SearchDocument("learning", "c", "Spreadsheets", "Formulas and charts."),
    ]
    ranked = SiteIndex(documents).rank("chatbot")
    assert [documents[r.position].key for r in ranked] == ["a", "b"]
    lowered = [
        documents[0].__class__("guidance", "a", "Testing chatbots", "x", 0.1),
        *documents[1:],
    ]
    assert [lowered[r.position].key for r in SiteIndex(lowered).rank("chatbot")] == ["b", "a"]


def test_an_empty_corpus_or_a_query_of_stop_words_finds_nothing() -> None:
    assert SiteIndex([]).rank("chatbot") == []
    assert SiteIndex([SearchDocument("project", "a", "The", "and")]).rank("chatbot") == []
    assert SiteIndex([SearchDocument("project", "a", "Chatbot", "")]).rank("the") == []
