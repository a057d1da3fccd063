"""infer_skills on the shipped ESCO taxonomy and the DDaT framework, and bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from mobilise.core.problems import InvalidInput
from mobilise.services.skill_inference import (
    MAX_TEXT_BYTES,
    infer_skills,
    read_esco_entries,
)


def test_the_shipped_esco_file_has_every_skill() -> None:
    entries = read_esco_entries()
    assert len(entries) == 13_896
    assert len({e.key for e in entries}) == len(entries)


def test_obvious_esco_skills() -> None:
    found = infer_skills(["Strong Python programming skills.", "Fluent in Spanish."], "esco", 10)
    assert "Python (computer programming)" in [s.label for s in found[0][:5]]
    assert "Spanish" in [s.label for s in found[1][:5]]


def test_ddat_skills_from_the_stored_default_framework(engine: Engine) -> None:
    text = "I design accessible services for people with impaired vision."
    found = infer_skills([text], "ddat", 3, engine=engine)[0]
    assert "accessibility" in [s.key for s in found]


def test_empty_text_gives_an_empty_result() -> None:
    assert infer_skills(["", "  "], "esco", 5) == [[], []]


def test_another_language_is_graceful() -> None:
    found = infer_skills(["这是一个关于烹饪的句子。", "Je parle français."], "esco", 5)
    assert len(found) == 2
    assert all(0.0 <= s.score <= 1.0 for row in found for s in row)


def test_more_than_a_megabyte_is_rejected_by_name() -> None:
    with pytest.raises(InvalidInput) as raised:
        infer_skills(["fine", "x" * (MAX_TEXT_BYTES + 1)], "esco", 5)
    (problem,) = raised.value.problems
    assert problem.row == 2
    assert "1 MB" in problem.rule


def test_top_out_of_range_and_unknown_taxonomy_are_rejected() -> None:
    with pytest.raises(InvalidInput, match="top"):
        infer_skills(["Python"], "esco", 0)
    with pytest.raises(InvalidInput, match="must be esco or ddat"):
        infer_skills(["Python"], "onet", 5)  # type: ignore[arg-type]
